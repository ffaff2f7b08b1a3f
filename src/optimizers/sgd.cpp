#include "keras/optimizers/optimizers.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

namespace {

// SGD's own arguments, in Keras's order.
constexpr auto kFields = [](auto& o, auto&& field) {
  field("momentum", o.momentum);
  field("nesterov", o.nesterov);
};

}  // namespace

SGD::SGD(Options options)
    : Optimizer(detail::common_options(options), "SGD"), options_(std::move(options)) {
  if (options_.momentum < 0 || options_.momentum > 1)
    throw ValueError("SGD: `momentum` must be a float between [0, 1]. Received: momentum=" +
                     Config(options_.momentum).dump());
}

Config SGD::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, kFields);
}

std::shared_ptr<Optimizer> SGD::from_config(const Config& config) {
  return detail::from_fields<SGD>(config, "SGD", kFields);
}

void SGD::build_slots(const std::vector<Variable>& var_list) {
  if (options_.momentum != 0) add_slot_group(add_optimizer_variables(var_list, {"momentum"})[0]);
}

void SGD::update_step(const Tensor& gradient, const Variable& variable, const Tensor& learning_rate,
                      size_t index) {
  Variable w = variable;
  DType dt = w.dtype();
  Tensor lr = ops::cast(learning_rate, dt);
  if (options_.momentum == 0) {
    w.assign(read(w) - gradient * lr);
    return;
  }
  Variable m = slot(0, index);
  Tensor momentum = ops::cast(Tensor(options_.momentum), dt);
  Tensor m_new = read(m) * momentum - gradient * lr;
  m.assign(m_new);
  if (options_.nesterov)
    w.assign(read(w) + (m_new * momentum - gradient * lr));
  else
    w.assign(read(w) + m_new);
}

}  // namespace keras::optimizers
