#include "keras/optimizers/optimizers.hpp"

#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

namespace {

// Ftrl's own arguments, in Keras's order.
constexpr auto kFields = [](auto& o, auto&& field) {
  field("learning_rate_power", o.learning_rate_power);
  field("initial_accumulator_value", o.initial_accumulator_value);
  field("l1_regularization_strength", o.l1_regularization_strength);
  field("l2_regularization_strength", o.l2_regularization_strength);
  field("l2_shrinkage_regularization_strength", o.l2_shrinkage_regularization_strength);
  field("beta", o.beta);
};

}  // namespace

Ftrl::Ftrl(Options options)
    : Optimizer(detail::common_options(options), "Ftrl"), options_(std::move(options)) {
  auto check = [](double value, bool bad, const char* arg, const char* rule) {
    if (bad)
      throw ValueError(std::string("Ftrl: `") + arg + "` needs to be " + rule +
                       ". Received: " + arg + "=" + Config(value).dump() + ".");
  };
  check(options_.initial_accumulator_value, options_.initial_accumulator_value < 0.0,
        "initial_accumulator_value", "positive or zero");
  check(options_.learning_rate_power, options_.learning_rate_power > 0.0, "learning_rate_power",
        "negative or zero");
  check(options_.l1_regularization_strength, options_.l1_regularization_strength < 0.0,
        "l1_regularization_strength", "positive or zero");
  check(options_.l2_regularization_strength, options_.l2_regularization_strength < 0.0,
        "l2_regularization_strength", "positive or zero");
  check(options_.l2_shrinkage_regularization_strength,
        options_.l2_shrinkage_regularization_strength < 0.0, "l2_shrinkage_regularization_strength",
        "positive or zero");
}

Config Ftrl::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, kFields);
}

std::shared_ptr<Optimizer> Ftrl::from_config(const Config& config) {
  return detail::from_fields<Ftrl>(config, "Ftrl", kFields);
}

void Ftrl::build_slots(const std::vector<Variable>& var_list) {
  auto slots = add_optimizer_variables(var_list, {"accumulator", "linear"},
                                       {options_.initial_accumulator_value, 0.0});
  add_slot_group(std::move(slots[0]));
  add_slot_group(std::move(slots[1]));
}

void Ftrl::update_step(const Tensor& gradient, const Variable& variable,
                       const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  Tensor lr = ops::cast(learning_rate, w.dtype());
  Variable accum = slot(0, index);
  Variable linear = slot(1, index);
  const double lr_power = options_.learning_rate_power;
  Tensor l2_reg = options_.l2_regularization_strength + options_.beta / (2.0 * lr);
  Tensor w_old = read(w);
  Tensor grad_to_use = gradient + 2 * options_.l2_shrinkage_regularization_strength * w_old;
  Tensor accum_old = read(accum);
  Tensor accum_new = accum_old + ops::square(gradient);
  Tensor accum_new_pow = ops::power(accum_new, -lr_power);
  Tensor linear_new =
      read(linear) +
      (grad_to_use - ((accum_new_pow - ops::power(accum_old, -lr_power)) / lr) * w_old);
  linear.assign(linear_new);
  Tensor quadratic = accum_new_pow / lr + 2 * l2_reg;
  const double l1 = options_.l1_regularization_strength;
  Tensor linear_clipped = ops::clip(linear_new, -l1, l1);
  w.assign((linear_clipped - linear_new) / quadratic);
  accum.assign(accum_new);
}

}  // namespace keras::optimizers
