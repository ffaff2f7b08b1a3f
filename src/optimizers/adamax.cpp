#include "keras/optimizers/optimizers.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

Adamax::Adamax(Options options)
    : Optimizer(detail::common_options(options), "Adamax"), options_(std::move(options)) {}

Config Adamax::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, detail::kBetasEpsilonFields);
}

std::shared_ptr<Optimizer> Adamax::from_config(const Config& config) {
  return detail::from_fields<Adamax>(config, "Adamax", detail::kBetasEpsilonFields);
}

void Adamax::build_slots(const std::vector<Variable>& var_list) {
  auto slots = add_optimizer_variables(var_list, {"momentum", "norm"});
  add_slot_group(std::move(slots[0]));
  add_slot_group(std::move(slots[1]));
}

void Adamax::update_step(const Tensor& gradient, const Variable& variable,
                         const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  DType dt = w.dtype();
  Tensor lr = ops::cast(learning_rate, dt);
  Tensor one_minus_beta_1_power = step_scalar(0, dt, [&] {
    return 1 - ops::power(ops::cast(Tensor(options_.beta_1), dt), local_step(dt));
  });
  Variable m = slot(0, index);
  Variable u = slot(1, index);
  Tensor m_old = read(m);
  Tensor m_new = m_old + (gradient - m_old) * (1 - options_.beta_1);
  m.assign(m_new);
  Tensor u_new = ops::maximum(options_.beta_2 * read(u), ops::abs(gradient));
  u.assign(u_new);
  w.assign(read(w) - (lr * m_new) / (one_minus_beta_1_power * (u_new + options_.epsilon)));
}

}  // namespace keras::optimizers
