#include "keras/optimizers/optimizers.hpp"

#include "keras/core/config.hpp"
#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

Nadam::Nadam(Options options)
    : Optimizer(detail::common_options(options), "Nadam"), options_(std::move(options)) {}

Config Nadam::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, detail::kBetasEpsilonFields);
}

std::shared_ptr<Optimizer> Nadam::from_config(const Config& config) {
  return detail::from_fields<Nadam>(config, "Nadam", detail::kBetasEpsilonFields);
}

void Nadam::build_slots(const std::vector<Variable>& var_list) {
  DType dtype = var_list.empty() ? config::floatx() : var_list[0].dtype();
  auto slots = add_optimizer_variables(var_list, {"momentum", "velocity"});
  add_slot_group(std::move(slots[0]));
  add_slot_group(std::move(slots[1]));
  // Keras creates it as backend.Variable(1.0) without a name: "variable".
  add_slot_group({add_variable({}, dtype, "variable", 1.0)});
}

void Nadam::update_steps(const std::vector<Tensor>& grads, const std::vector<Variable>& vars,
                         const std::vector<size_t>& indices, const Tensor& learning_rate) {
  Variable u_product = slot(2, 0);
  DType dt = u_product.dtype();
  u_product.assign(read(u_product) * options_.beta_1 *
                   (1.0 - 0.5 * ops::power(0.96, local_step(dt))));
  Optimizer::update_steps(grads, vars, indices, learning_rate);
}

void Nadam::update_step(const Tensor& gradient, const Variable& variable,
                        const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  DType dt = w.dtype();
  enum { kUt, kUt1, kUProductT, kUProductT1, kBeta2Power, kBeta1, kBeta2 };
  auto scalar = [&](int key) {
    return step_scalar(key, dt, [&]() -> Tensor {
      Tensor decay = ops::cast(Tensor(0.96), dt);
      Tensor beta_1 = ops::cast(Tensor(options_.beta_1), dt);
      switch (key) {
        case kUt:
          return beta_1 * (1.0 - 0.5 * ops::power(decay, local_step(dt)));
        case kUt1:
          return beta_1 * (1.0 - 0.5 * ops::power(decay, ops::cast(iterations() + 2, dt)));
        case kUProductT:
          return ops::cast(read(slot(2, 0)), dt);
        case kBeta1:
          return beta_1;
        case kBeta2:
          return ops::cast(Tensor(options_.beta_2), dt);
        default:
          return Tensor();
      }
    });
  };
  Tensor u_t = scalar(kUt);
  Tensor u_t_1 = scalar(kUt1);
  Tensor u_product_t = scalar(kUProductT);
  Tensor beta_1 = scalar(kBeta1);
  Tensor beta_2 = scalar(kBeta2);
  Tensor u_product_t_1 = step_scalar(kUProductT1, dt, [&] { return u_product_t * u_t_1; });
  Tensor beta_2_power =
      step_scalar(kBeta2Power, dt, [&] { return ops::power(beta_2, local_step(dt)); });
  Tensor lr = ops::cast(learning_rate, dt);
  Variable m = slot(0, index);
  Variable v = slot(1, index);
  Tensor m_old = read(m);
  Tensor m_new = m_old + (gradient - m_old) * (1 - beta_1);
  m.assign(m_new);
  Tensor v_old = read(v);
  Tensor v_new = v_old + (ops::square(gradient) - v_old) * (1 - beta_2);
  v.assign(v_new);
  Tensor m_hat = (u_t_1 * m_new) / (1 - u_product_t_1) + ((1 - u_t) * gradient) / (1 - u_product_t);
  Tensor v_hat = v_new / (1 - beta_2_power);
  w.assign(read(w) - (m_hat * lr) / (ops::sqrt(v_hat) + options_.epsilon));
}

}  // namespace keras::optimizers
