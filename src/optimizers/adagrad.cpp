#include "keras/optimizers/adagrad.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

Adagrad::Adagrad(Options options)
    : Optimizer(detail::common_options(options), "Adagrad"), options_(std::move(options)) {}

Config Adagrad::get_config() const {
  Config config = Optimizer::get_config();
  config["initial_accumulator_value"] = options_.initial_accumulator_value;
  config["epsilon"] = options_.epsilon;
  return config;
}

std::shared_ptr<Optimizer> Adagrad::from_config(const Config& config) {
  detail::ConfigReader r(config, "Adagrad");
  Options o;
  detail::read_common(r, o);
  r.read("initial_accumulator_value", o.initial_accumulator_value);
  r.read("epsilon", o.epsilon);
  r.finish();
  return std::make_shared<Adagrad>(o);
}

void Adagrad::build_slots(const std::vector<Variable>& var_list) {
  add_slot_group(
      add_optimizer_variables(var_list, {"accumulator"}, {options_.initial_accumulator_value})[0]);
}

void Adagrad::update_step(const Tensor& gradient, const Variable& variable,
                          const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  Tensor lr = ops::cast(learning_rate, w.dtype());
  Variable accumulator = slot(0, index);
  Tensor accumulator_new = read(accumulator) + ops::square(gradient);
  accumulator.assign(accumulator_new);
  w.assign(read(w) - (lr * gradient) / ops::sqrt(accumulator_new + options_.epsilon));
}

}  // namespace keras::optimizers
