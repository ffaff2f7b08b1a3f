#pragma once
// keras::optimizers::Optimizer (keras/src/optimizers/base_optimizer.py): the base of every
// optimizer. It owns the `iteration` counter, the `learning_rate` variable (absent when the
// learning rate is a schedule) and the slot variables that build(var_list) creates, and applies
// gradients with Keras's loss-scale, clipping, weight-decay, gradient-accumulation and EMA steps
// around each subclass's update_step.
//
//   auto optimizer = keras::optimizers::Adam({.learning_rate = 1e-3, .clipnorm = 1.0});
//   optimizer.apply(grads, model.trainable_variables());
//
// Copies alias one optimizer (Python reference semantics): all mutable state lives behind a
// shared_ptr, so `std::make_shared<Adam>(adam)` and `adam` update the same variables.
//
// A custom optimizer derives from Optimizer, creates its slots in build_slots() with
// add_optimizer_variables() and writes update_step() with keras::ops.
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/core/tensor.hpp"
#include "keras/core/variable.hpp"
#include "keras/optimizers/schedules/learning_rate_schedule.hpp"
#include "keras/serialization/config.hpp"

namespace keras::optimizers {

// The `learning_rate` argument: a float or a schedule.
//   .learning_rate = 1e-3
//   .learning_rate = schedules::ExponentialDecay({...})
class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}  // NOLINT: implicit, like a Python float
  template <std::derived_from<schedules::LearningRateSchedule> S>
  LearningRate(const S& schedule) : schedule_(std::make_shared<S>(schedule)) {}  // NOLINT
  LearningRate(std::shared_ptr<schedules::LearningRateSchedule> schedule)        // NOLINT
      : schedule_(std::move(schedule)) {}

  bool is_schedule() const { return schedule_ != nullptr; }
  double value() const { return value_; }
  const std::shared_ptr<schedules::LearningRateSchedule>& schedule() const { return schedule_; }

 private:
  double value_ = 0.0;
  std::shared_ptr<schedules::LearningRateSchedule> schedule_;
};

// ⟨opt-common⟩: the base class's arguments, in Keras's order. Each optimizer's own options struct
// expands these members after its own (so designated initializers read like the Python call);
// a macro rather than a base struct, because designated initializers cannot name a base's members.
//   clipnorm: per-gradient norm clipping; clipvalue: elementwise clipping to [-clipvalue,
//   clipvalue]; use_ema: keep an exponential moving average of the model variables;
//   gradient_accumulation_steps: apply averaged gradients every N steps; name: default the
//   snake-cased class name.
#define KERAS_OPTIMIZER_CLIP_EMA_OPTIONS              \
  std::optional<double> clipnorm;                     \
  std::optional<double> clipvalue;                    \
  std::optional<double> global_clipnorm;              \
  bool use_ema = false;                               \
  double ema_momentum = 0.99;                         \
  std::optional<int64_t> ema_overwrite_frequency;     \
  std::optional<double> loss_scale_factor;            \
  std::optional<int64_t> gradient_accumulation_steps; \
  std::string name
// weight_decay (decoupled: w -= w * weight_decay * learning_rate) and the rest; AdamW puts its
// weight_decay earlier, with a default.
#define KERAS_OPTIMIZER_COMMON_OPTIONS \
  std::optional<double> weight_decay;  \
  KERAS_OPTIMIZER_CLIP_EMA_OPTIONS

struct OptimizerOptions {
  LearningRate learning_rate = 0.001;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

namespace detail {
// The ⟨opt-common⟩ fields of any optimizer's options struct.
template <class O>
OptimizerOptions common_options(const O& o) {
  return {.learning_rate = o.learning_rate,
          .weight_decay = o.weight_decay,
          .clipnorm = o.clipnorm,
          .clipvalue = o.clipvalue,
          .global_clipnorm = o.global_clipnorm,
          .use_ema = o.use_ema,
          .ema_momentum = o.ema_momentum,
          .ema_overwrite_frequency = o.ema_overwrite_frequency,
          .loss_scale_factor = o.loss_scale_factor,
          .gradient_accumulation_steps = o.gradient_accumulation_steps,
          .name = o.name};
}
}  // namespace detail

class Optimizer {
 public:
  virtual ~Optimizer() = default;

  virtual std::string class_name() const = 0;
  // Keras's keys in Keras's order: the base keys, then the subclass's.
  virtual Config get_config() const;

  // Creates the slot variables for `var_list` (done by the first apply()); a second call is a
  // no-op, like Keras.
  void build(const std::vector<Variable>& var_list);
  bool built() const;

  // Applies one gradient per variable (an undefined Tensor: no gradient, the variable is
  // skipped). The first call builds the optimizer on `variables`; later calls must pass
  // variables it was built with. Keras's apply() / apply_gradients().
  void apply(const std::vector<Tensor>& grads, const std::vector<Variable>& variables);
  // Gradients for the variables the optimizer was built with, in that order.
  void apply(const std::vector<Tensor>& grads);
  void apply_gradients(const std::vector<std::pair<Tensor, Variable>>& grads_and_vars);

  // JAX-style: runs apply() on the given values instead of the variables' and returns
  // {new trainable values, new optimizer variable values}; no variable changes.
  // `optimizer_variables` are values for variables(), `trainable_variables` for the variables
  // the optimizer was built with.
  std::pair<std::vector<Tensor>, std::vector<Tensor>> stateless_apply(
      const std::vector<Tensor>& optimizer_variables, const std::vector<Tensor>& grads,
      const std::vector<Tensor>& trainable_variables);

  // Every optimizer variable in save order (.keras `optimizer/vars`): iteration, learning_rate
  // (absent with a schedule), then what build() created.
  std::vector<Variable> variables() const;
  // Assigns values to variables() in order (Keras's set_weights); the optimizer must be built.
  void set_weights(const std::vector<Tensor>& weights);

  // The step counter (`iteration` divided by gradient_accumulation_steps when accumulating).
  Tensor iterations() const;
  // The raw `iteration` variable: apply() calls so far.
  Variable iterations_variable() const;
  // The learning rate now: the variable's value, or the schedule at the current iteration.
  Tensor learning_rate() const;
  void set_learning_rate(double value);  // TypeError when the optimizer uses a schedule
  void set_learning_rate(const LearningRate& learning_rate);
  const std::shared_ptr<schedules::LearningRateSchedule>& learning_rate_schedule() const;

  const std::string& name() const;
  const OptimizerOptions& common() const { return common_; }

  // loss * loss_scale_factor (identity without one).
  Tensor scale_loss(const Tensor& loss) const;

  // Excludes variables from weight decay, by identity or by any of `var_names` occurring in
  // the variable's name (a regular-expression search, like Keras). Must precede build().
  void exclude_from_weight_decay(const std::vector<Variable>& var_list,
                                 const std::vector<std::string>& var_names = {});

  // With use_ema, overwrites `var_list` with their moving averages (end of training).
  void finalize_variable_values(const std::vector<Variable>& var_list);

 protected:
  // `class_name` gives the default name (snake-cased, made unique like Keras's auto_name).
  Optimizer(const OptimizerOptions& options, const std::string& class_name);

  // Subclass hooks. build_slots() runs once, after the base created EMA copies and gradient
  // accumulators; update_step() updates one variable from its (unscaled, clipped) gradient;
  // `index` is the variable's position in the list the optimizer was built with.
  virtual void build_slots(const std::vector<Variable>& var_list) = 0;
  virtual void update_step(const Tensor& gradient, const Variable& variable,
                           const Tensor& learning_rate, size_t index) = 0;
  // Runs update_step for every (gradient, variable); Nadam overrides it to advance a shared
  // product first (Keras's _backend_update_step).
  virtual void update_steps(const std::vector<Tensor>& grads, const std::vector<Variable>& vars,
                            const std::vector<size_t>& indices, const Tensor& learning_rate);

  // Slot helpers: a zero-initialized (or `fill`-initialized) non-trainable variable named
  // "<reference path with / as _>_<name>", shaped and typed like the reference.
  Variable add_variable(const Shape& shape, DType dtype, const std::string& name,
                        double fill = 0.0);
  Variable add_variable_from_reference(const Variable& reference, const std::string& name,
                                       double fill = 0.0);
  // One slot per variable for each name, created interleaved per variable (Keras's
  // add_optimizer_variables); result[k][i] is slot names[k] of variable i.
  std::vector<std::vector<Variable>> add_optimizer_variables(const std::vector<Variable>& vars,
                                                             const std::vector<std::string>& names,
                                                             const std::vector<double>& fills = {});
  // Stores a group of slots in the shared state (so copies of the optimizer see them).
  size_t add_slot_group(std::vector<Variable> slots);
  const Variable& slot(size_t group, size_t index) const;

  // The value of a variable for update math: stop_gradient'ed, so no active tape records the
  // update.
  static Tensor read(const Variable& v);
  // cast(iterations() + 1, dtype), computed once per apply() and dtype.
  Tensor local_step(DType dtype) const;
  // A per-apply() cache for step-wide scalars (bias corrections and the like), keyed by a
  // subclass-chosen integer and the dtype.
  template <class F>
  Tensor step_scalar(int key, DType dtype, F&& compute) const {
    if (const Tensor* t = find_step_scalar(key, dtype)) return *t;
    return store_step_scalar(key, dtype, compute());
  }

  OptimizerOptions common_;

 private:
  struct State;
  const Tensor* find_step_scalar(int key, DType dtype) const;
  Tensor store_step_scalar(int key, DType dtype, Tensor value) const;
  Variable track(Variable v);
  std::vector<size_t> resolve_indices(const std::vector<Variable>& variables) const;
  int64_t host_iterations() const;
  void apply_resolved(std::vector<Tensor> grads, std::vector<Variable> vars,
                      std::vector<size_t> indices);
  std::vector<Tensor> clip_gradients(std::vector<Tensor> grads) const;
  void apply_weight_decay(const std::vector<Variable>& vars, const std::vector<size_t>& indices,
                          const Tensor& learning_rate);
  void update_moving_averages();
  void overwrite_with_moving_averages(const std::vector<Variable>& vars);

  std::shared_ptr<State> state_;
};

}  // namespace keras::optimizers
