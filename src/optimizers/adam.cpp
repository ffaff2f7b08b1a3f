#include "keras/optimizers/optimizers.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

Adam::Adam(Options options)
    : Optimizer(detail::common_options(options), "Adam"), options_(std::move(options)) {}

Config Adam::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, detail::kAdamFields);
}

std::shared_ptr<Optimizer> Adam::from_config(const Config& config) {
  return detail::from_fields<Adam>(config, "Adam", detail::kAdamFields);
}

void Adam::build_slots(const std::vector<Variable>& var_list) {
  auto slots = add_optimizer_variables(var_list, {"momentum", "velocity"});
  add_slot_group(std::move(slots[0]));
  add_slot_group(std::move(slots[1]));
  if (options_.amsgrad) add_slot_group(add_optimizer_variables(var_list, {"velocity_hat"})[0]);
}

void Adam::update_step(const Tensor& gradient, const Variable& variable,
                       const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  DType dt = w.dtype();
  // alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t), once per step.
  Tensor alpha = step_scalar(0, dt, [&] {
    Tensor step = local_step(dt);
    Tensor beta_1_power = ops::power(ops::cast(Tensor(options_.beta_1), dt), step);
    Tensor beta_2_power = ops::power(ops::cast(Tensor(options_.beta_2), dt), step);
    return ops::cast(learning_rate, dt) * ops::sqrt(1 - beta_2_power) / (1 - beta_1_power);
  });
  Variable m = slot(0, index);
  Variable v = slot(1, index);
  Tensor m_old = read(m);
  Tensor m_new = m_old + (gradient - m_old) * (1 - options_.beta_1);
  m.assign(m_new);
  Tensor v_old = read(v);
  Tensor v_new = v_old + (ops::square(gradient) - v_old) * (1 - options_.beta_2);
  v.assign(v_new);
  if (options_.amsgrad) {
    Variable v_hat = slot(2, index);
    v_new = ops::maximum(read(v_hat), v_new);
    v_hat.assign(v_new);
  }
  w.assign(read(w) - (m_new * alpha) / (ops::sqrt(v_new) + options_.epsilon));
}

Adam::Adam(Options options, const std::string& class_name)
    : Optimizer(detail::common_options(options), class_name), options_(std::move(options)) {}

}  // namespace keras::optimizers
