#include "keras/optimizers/optimizers.hpp"

#include "keras/core/config.hpp"
#include "keras/ops/ops.hpp"
#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

namespace {

// Adafactor's own arguments, in Keras's order.
constexpr auto kFields = [](auto& o, auto&& field) {
  field("beta_2_decay", o.beta_2_decay);
  field("epsilon_1", o.epsilon_1);
  field("epsilon_2", o.epsilon_2);
  field("clip_threshold", o.clip_threshold);
  field("relative_step", o.relative_step);
};

}  // namespace

Adafactor::Adafactor(Options options)
    : Optimizer(detail::common_options(options), "Adafactor"), options_(std::move(options)) {}

Config Adafactor::get_config() const {
  return saving::write_fields(Optimizer::get_config(), options_, kFields);
}

std::shared_ptr<Optimizer> Adafactor::from_config(const Config& config) {
  return detail::from_fields<Adafactor>(config, "Adafactor", kFields);
}

void Adafactor::build_slots(const std::vector<Variable>& var_list) {
  std::vector<Variable> r, c, v;
  for (const Variable& var : var_list) {
    const Shape& shape = var.shape();
    if (shape.rank() < 2) {
      // Keras: backend.Variable(0, name=var.name), a floatx scalar.
      r.push_back(add_variable({}, config::floatx(), var.name()));
      c.push_back(add_variable({}, config::floatx(), var.name()));
    } else {
      Shape r_shape(shape.begin(), shape.end() - 1);
      Shape c_shape(shape.begin(), shape.end() - 2);
      c_shape.push_back(shape.back());
      r.push_back(add_variable(r_shape, var.dtype(), var.name()));
      c.push_back(add_variable(c_shape, var.dtype(), var.name()));
    }
    v.push_back(add_variable_from_reference(var, "velocity"));
  }
  add_slot_group(std::move(r));
  add_slot_group(std::move(c));
  add_slot_group(std::move(v));
}

namespace {
Tensor rms(const Tensor& x) { return ops::sqrt(ops::mean(ops::square(x))); }
}  // namespace

void Adafactor::update_step(const Tensor& gradient, const Variable& variable,
                            const Tensor& learning_rate, size_t index) {
  Variable w = variable;
  DType dt = w.dtype();
  Tensor lr = ops::cast(learning_rate, dt);
  Tensor epsilon_2 = ops::cast(Tensor(options_.epsilon_2), dt);
  Tensor one = ops::cast(Tensor(1.0), dt);
  Tensor step = local_step(dt);
  // Keras skips this for a callable learning rate, which a schedule is.
  if (!learning_rate_schedule() && options_.relative_step)
    lr = ops::minimum(lr, 1 / ops::sqrt(step));
  Variable r = slot(0, index);
  Variable c = slot(1, index);
  Variable v = slot(2, index);
  Tensor w_old = read(w);
  Tensor rho_t = ops::minimum(lr, 1 / ops::sqrt(step));
  Tensor alpha_t = ops::maximum(epsilon_2, rms(w_old)) * rho_t;
  Tensor regulated_grad_square = ops::square(gradient) + options_.epsilon_1;
  Tensor beta_2_t = 1 - ops::power(step, options_.beta_2_decay);
  Tensor v_new;
  if (w.ndim() >= 2) {
    Tensor r_new =
        beta_2_t * read(r) + (1 - beta_2_t) * ops::mean(regulated_grad_square, {.axis = -1});
    r.assign(r_new);
    Tensor c_new =
        beta_2_t * read(c) + (1 - beta_2_t) * ops::mean(regulated_grad_square, {.axis = -2});
    c.assign(c_new);
    v_new = ops::expand_dims(r_new / ops::mean(r_new, {.axis = -1, .keepdims = true}), -1) *
            ops::expand_dims(c_new, -2);
  } else {
    v_new = beta_2_t * read(v) + (1 - beta_2_t) * regulated_grad_square;
  }
  v.assign(v_new);
  Tensor u_t = gradient / ops::sqrt(v_new);
  Tensor u_t_hat = u_t / ops::maximum(one, rms(u_t) / options_.clip_threshold);
  w.assign(w_old - alpha_t * u_t_hat);
}

}  // namespace keras::optimizers
