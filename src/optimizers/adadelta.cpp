#include "keras/optimizers/optimizers.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

namespace {

// Adadelta's own arguments, in Keras's order.
constexpr auto kFields = [](auto& o, auto&& field) {
  field("rho", o.rho);
  field("epsilon", o.epsilon);
};

}  // namespace

Adadelta::Adadelta(Options options)
    : Optimizer(detail::common_options(options), "Adadelta"), options_(std::move(options)) {}

Config Adadelta::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, kFields);
}

std::shared_ptr<Optimizer> Adadelta::from_config(const Config& config) {
  return detail::from_fields<Adadelta>(config, "Adadelta", kFields);
}

void Adadelta::build_slots(const std::vector<Variable>& var_list) {
  auto slots = add_optimizer_variables(var_list, {"accumulated_grad", "accumulated_delta_var"});
  add_slot_group(std::move(slots[0]));
  add_slot_group(std::move(slots[1]));
}

void Adadelta::update_step(const Tensor& gradient, const Variable& variable,
                           const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  Tensor lr = ops::cast(learning_rate, w.dtype());
  const double rho = options_.rho;
  auto rms = [&](const Tensor& x) { return ops::sqrt(x + options_.epsilon); };
  Variable accumulated_grad = slot(0, index);
  Variable accumulated_delta_var = slot(1, index);
  Tensor grad_new = rho * read(accumulated_grad) + (1 - rho) * ops::square(gradient);
  accumulated_grad.assign(grad_new);
  Tensor delta_old = read(accumulated_delta_var);
  Tensor delta_var = -((rms(delta_old) * gradient) / rms(grad_new));
  accumulated_delta_var.assign(rho * delta_old + (1 - rho) * ops::square(delta_var));
  w.assign(read(w) + lr * delta_var);
}

}  // namespace keras::optimizers
