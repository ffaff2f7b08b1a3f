#include "keras/optimizers/optimizers.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

namespace {

// Lion's own arguments, in Keras's order.
constexpr auto kFields = [](auto& o, auto&& field) {
  field("beta_1", o.beta_1);
  field("beta_2", o.beta_2);
};

}  // namespace

Lion::Lion(Options options)
    : Optimizer(detail::common_options(options), "Lion"), options_(std::move(options)) {
  if (options_.beta_1 <= 0 || options_.beta_1 > 1)
    throw ValueError(
        "Lion: argument `beta_1` must be in the [0, 1] range. Otherwise, the "
        "optimizer degenerates to SignSGD. Received: beta_1=" +
        Config(options_.beta_1).dump() + ".");
}

Config Lion::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, kFields);
}

std::shared_ptr<Optimizer> Lion::from_config(const Config& config) {
  return detail::from_fields<Lion>(config, "Lion", kFields);
}

void Lion::build_slots(const std::vector<Variable>& var_list) {
  add_slot_group(add_optimizer_variables(var_list, {"momentum"})[0]);
}

void Lion::update_step(const Tensor& gradient, const Variable& variable,
                       const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  DType dt = w.dtype();
  Tensor lr = ops::cast(learning_rate, dt);
  Tensor beta_1 = ops::cast(Tensor(options_.beta_1), dt);
  Tensor beta_2 = ops::cast(Tensor(options_.beta_2), dt);
  Variable m = slot(0, index);
  Tensor m_old = read(m);
  w.assign(read(w) - lr * ops::sign(m_old * beta_1 + gradient * (1.0 - beta_1)));
  m.assign(m_old * beta_2 + gradient * (1.0 - beta_2));
}

}  // namespace keras::optimizers
