#include "keras/optimizers/optimizers.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

namespace {

// RMSprop's own arguments, in Keras's order.
constexpr auto kFields = [](auto& o, auto&& field) {
  field("rho", o.rho);
  field("momentum", o.momentum);
  field("epsilon", o.epsilon);
  field("centered", o.centered);
};

}  // namespace

RMSprop::RMSprop(Options options)
    : Optimizer(detail::common_options(options), "RMSprop"), options_(std::move(options)) {}

Config RMSprop::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, kFields);
}

std::shared_ptr<Optimizer> RMSprop::from_config(const Config& config) {
  return detail::from_fields<RMSprop>(config, "RMSprop", kFields);
}

void RMSprop::build_slots(const std::vector<Variable>& var_list) {
  add_slot_group(add_optimizer_variables(var_list, {"velocity"})[0]);
  if (options_.momentum > 0) add_slot_group(add_optimizer_variables(var_list, {"momentum"})[0]);
  if (options_.centered) add_slot_group(add_optimizer_variables(var_list, {"average_gradient"})[0]);
}

void RMSprop::update_step(const Tensor& gradient, const Variable& variable,
                          const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  Tensor lr = ops::cast(learning_rate, w.dtype());
  const double rho = options_.rho;
  Variable velocity = slot(0, index);
  Tensor velocity_new = rho * read(velocity) + (1 - rho) * ops::square(gradient);
  velocity.assign(velocity_new);
  Tensor denominator;
  if (options_.centered) {
    Variable average_grad = slot(options_.momentum > 0 ? 2 : 1, index);
    Tensor average_new = rho * read(average_grad) + (1 - rho) * gradient;
    average_grad.assign(average_new);
    denominator = velocity_new - ops::square(average_new) + options_.epsilon;
  } else {
    denominator = velocity_new + options_.epsilon;
  }
  Tensor increment = (lr * gradient) / ops::sqrt(denominator);
  if (options_.momentum > 0) {
    Variable momentum = slot(1, index);
    Tensor momentum_new = options_.momentum * read(momentum) + increment;
    momentum.assign(momentum_new);
    w.assign(read(w) - momentum_new);
  } else {
    w.assign(read(w) - increment);
  }
}

}  // namespace keras::optimizers
