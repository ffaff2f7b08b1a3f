#include "keras/optimizers/optimizers.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

namespace {

// Adagrad's own arguments, in Keras's order.
constexpr auto kFields = [](auto& o, auto&& field) {
  field("initial_accumulator_value", o.initial_accumulator_value);
  field("epsilon", o.epsilon);
};

}  // namespace

Adagrad::Adagrad(Options options)
    : Optimizer(detail::common_options(options), "Adagrad"), options_(std::move(options)) {}

Config Adagrad::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, kFields);
}

std::shared_ptr<Optimizer> Adagrad::from_config(const Config& config) {
  return detail::from_fields<Adagrad>(config, "Adagrad", kFields);
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
