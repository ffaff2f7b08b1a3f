#include "keras/optimizers/optimizers.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

Lamb::Lamb(Options options)
    : Optimizer(detail::common_options(options), "Lamb"), options_(std::move(options)) {}

Config Lamb::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, detail::kBetasEpsilonFields);
}

std::shared_ptr<Optimizer> Lamb::from_config(const Config& config) {
  return detail::from_fields<Lamb>(config, "Lamb", detail::kBetasEpsilonFields);
}

void Lamb::build_slots(const std::vector<Variable>& var_list) {
  auto slots = add_optimizer_variables(var_list, {"momentum", "velocity"});
  add_slot_group(std::move(slots[0]));
  add_slot_group(std::move(slots[1]));
}

void Lamb::update_step(const Tensor& gradient, const Variable& variable,
                       const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  DType dt = w.dtype();
  Tensor lr = ops::cast(learning_rate, dt);
  Tensor beta_1_power = step_scalar(
      0, dt, [&] { return ops::power(ops::cast(Tensor(options_.beta_1), dt), local_step(dt)); });
  Tensor beta_2_power = step_scalar(
      1, dt, [&] { return ops::power(ops::cast(Tensor(options_.beta_2), dt), local_step(dt)); });
  Variable m = slot(0, index);
  Variable v = slot(1, index);
  Tensor m_old = read(m);
  Tensor m_new = m_old + (gradient - m_old) * (1 - options_.beta_1);
  m.assign(m_new);
  Tensor v_old = read(v);
  Tensor v_new = v_old + (ops::square(gradient) - v_old) * (1 - options_.beta_2);
  v.assign(v_new);
  Tensor m_t_hat = m_new / (1.0 - beta_1_power);
  Tensor v_sqrt = ops::sqrt(v_new / (1.0 - beta_2_power)) + options_.epsilon;
  Tensor update = m_t_hat / v_sqrt;
  Tensor w_old = read(w);
  // Keras squares with ops.power(x, 2), which is exactly x * x.
  Tensor w_norm = ops::sqrt(ops::sum(ops::square(w_old)));
  Tensor g_norm = ops::sqrt(ops::sum(ops::square(update)));
  Tensor ratio = ops::where(w_norm > 0, ops::where(g_norm > 0, w_norm / g_norm, 1.0), 1.0);
  w.assign(w_old - ratio * lr * update);
}

}  // namespace keras::optimizers
