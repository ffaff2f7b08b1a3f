#include "keras/optimizers/optimizer.hpp"

#include <map>
#include <mutex>
#include <regex>
#include <tuple>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/core/errors.hpp"
#include "keras/ops/ops.hpp"
#include "keras/serialization/object_registry.hpp"

namespace keras::optimizers {

struct Optimizer::State {
  std::string name;
  Variable iterations;
  Variable learning_rate;  // undefined when the learning rate is a schedule
  std::shared_ptr<schedules::LearningRateSchedule> schedule;
  std::vector<Variable> variables;  // save order
  bool built = false;
  std::vector<Variable> trainable;  // the variables build() was called with
  std::vector<Variable> averages;   // use_ema
  std::vector<Variable> accumulators;
  std::vector<std::vector<Variable>> slot_groups;
  std::vector<bool> use_weight_decay;  // per built variable
  std::vector<Variable> exclude_vars;
  std::vector<std::string> exclude_names;
  // Host copy of `iteration`, valid while the variable still holds `iteration_value` (loading
  // weights or stateless_apply replace it); only read when a host decision needs the step.
  std::shared_ptr<TensorImpl> iteration_value;
  int64_t iteration_host = 0;
  std::vector<std::tuple<int, DType, Tensor>> step_cache;
};

namespace {

// Keras's auto_name: "adam", "adam_1", ... (keras/src/utils/naming.py).
std::string auto_name(const std::string& class_name) {
  static std::mutex mutex;
  static std::map<std::string, int> uids;
  std::string prefix = saving::to_snake_case(class_name);
  std::lock_guard lock(mutex);
  int& n = uids[prefix];
  std::string name = n == 0 ? prefix : prefix + "_" + std::to_string(n);
  ++n;
  return name;
}

std::string fmt(double v) {
  Config c = v;
  return c.dump();
}

constexpr int kLocalStepKey = -1;

}  // namespace

Optimizer::Optimizer(const OptimizerOptions& options, const std::string& class_name)
    : common_(options), state_(std::make_shared<State>()) {
  State& s = *state_;
  s.name = options.name.empty() ? auto_name(class_name) : options.name;
  if (options.gradient_accumulation_steps && *options.gradient_accumulation_steps < 2)
    throw ValueError(class_name + ": `gradient_accumulation_steps` must be an integer >= 2. " +
                     "Received: gradient_accumulation_steps=" +
                     std::to_string(*options.gradient_accumulation_steps));
  if (options.use_ema) {
    if (options.ema_momentum > 1 || options.ema_momentum < 0)
      throw ValueError(class_name + ": `ema_momentum` must be in the range [0, 1]. Received: " +
                       "ema_momentum=" + fmt(options.ema_momentum));
    if (options.ema_overwrite_frequency && *options.ema_overwrite_frequency < 1)
      throw ValueError(class_name +
                       ": `ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                       "ema_overwrite_frequency=" +
                       std::to_string(*options.ema_overwrite_frequency));
  }
  int clip_args = options.clipnorm.has_value() + options.clipvalue.has_value() +
                  options.global_clipnorm.has_value();
  if (clip_args > 1)
    throw ValueError(class_name +
                     ": only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set.");

  // Keras's dtype="int" is int32 on every backend but TensorFlow (int64 there).
  s.iterations = track(Variable(ops::zeros({}, int32), {.trainable = false, .name = "iteration"}));
  if (options.learning_rate.is_schedule()) {
    s.schedule = options.learning_rate.schedule();
  } else {
    s.learning_rate =
        track(Variable(ops::cast(Tensor(options.learning_rate.value()), config::floatx()),
                       {.trainable = false, .name = "learning_rate"}));
  }
}

Variable Optimizer::track(Variable v) {
  v.set_path(state_->name + "/" + v.name());
  state_->variables.push_back(v);
  return v;
}

const std::string& Optimizer::name() const { return state_->name; }
bool Optimizer::built() const { return state_->built; }
std::vector<Variable> Optimizer::variables() const { return state_->variables; }
Variable Optimizer::iterations_variable() const { return state_->iterations; }
const std::shared_ptr<schedules::LearningRateSchedule>& Optimizer::learning_rate_schedule() const {
  return state_->schedule;
}

Tensor Optimizer::iterations() const {
  Tensor it = state_->iterations.value();
  if (common_.gradient_accumulation_steps)
    return ops::floor_divide(it, static_cast<int>(*common_.gradient_accumulation_steps));
  return it;
}

Tensor Optimizer::learning_rate() const {
  const State& s = *state_;
  if (s.schedule) return (*s.schedule)(s.iterations.value());
  return s.learning_rate.value();
}

void Optimizer::set_learning_rate(double value) {
  State& s = *state_;
  if (s.schedule)
    throw TypeError(s.name +
                    ": this optimizer was created with a LearningRateSchedule as its "
                    "learning_rate, hence its learning rate is not settable. Create the optimizer "
                    "with a float learning_rate to be able to set it.");
  s.learning_rate.assign(ops::cast(Tensor(value), s.learning_rate.dtype()));
}

void Optimizer::set_learning_rate(const LearningRate& learning_rate) {
  State& s = *state_;
  if (!learning_rate.is_schedule()) return set_learning_rate(learning_rate.value());
  s.schedule = learning_rate.schedule();
  if (s.learning_rate.defined()) {  // untrack the variable, like Keras
    std::erase_if(s.variables, [&](const Variable& v) { return v.is(s.learning_rate); });
    s.learning_rate = Variable();
  }
}

Tensor Optimizer::scale_loss(const Tensor& loss) const {
  if (common_.loss_scale_factor) return loss * *common_.loss_scale_factor;
  return loss;
}

Tensor Optimizer::read(const Variable& v) { return stop_gradient(v.value()); }

// ---- variables ----

Variable Optimizer::add_variable(const Shape& shape, DType dtype, const std::string& name,
                                 double fill) {
  Tensor init = fill == 0.0 ? ops::zeros(shape, dtype) : ops::full(shape, fill, dtype);
  return track(Variable(init, {.trainable = false, .name = name}));
}

Variable Optimizer::add_variable_from_reference(const Variable& reference, const std::string& name,
                                                double fill) {
  std::string prefix = reference.path();
  for (char& c : prefix)
    if (c == '/') c = '_';
  return add_variable(reference.shape(), reference.dtype(), prefix + "_" + name, fill);
}

std::vector<std::vector<Variable>> Optimizer::add_optimizer_variables(
    const std::vector<Variable>& vars, const std::vector<std::string>& names,
    const std::vector<double>& fills) {
  if (!fills.empty() && fills.size() != names.size())
    throw ValueError(state_->name +
                     ": the number of provided names must match the number of provided "
                     "initializers.");
  std::vector<std::vector<Variable>> out(names.size());
  for (const Variable& v : vars)
    for (size_t k = 0; k < names.size(); ++k)
      out[k].push_back(add_variable_from_reference(v, names[k], fills.empty() ? 0.0 : fills[k]));
  return out;
}

size_t Optimizer::add_slot_group(std::vector<Variable> slots) {
  state_->slot_groups.push_back(std::move(slots));
  return state_->slot_groups.size() - 1;
}

const Variable& Optimizer::slot(size_t group, size_t index) const {
  return state_->slot_groups[group][index];
}

void Optimizer::build(const std::vector<Variable>& var_list) {
  State& s = *state_;
  if (s.built) return;
  for (const Variable& v : var_list)
    if (!v.defined()) throw ValueError(s.name + ".build: a variable is undefined");
  if (common_.use_ema) s.averages = add_optimizer_variables(var_list, {"average"})[0];
  if (common_.gradient_accumulation_steps)
    for (const Variable& v : var_list)
      s.accumulators.push_back(add_variable_from_reference(v, "gradient_accumulator"));
  s.trainable = var_list;
  // Which variables take weight decay (Keras's _use_weight_decay, computed once here).
  std::optional<std::regex> pattern;
  if (!s.exclude_names.empty()) {
    std::string joined;
    for (const auto& n : s.exclude_names) joined += (joined.empty() ? "" : "|") + n;
    pattern.emplace(joined);
  }
  s.use_weight_decay.clear();
  for (const Variable& v : var_list) {
    bool use = true;
    for (const Variable& e : s.exclude_vars)
      if (e.is(v)) use = false;
    if (use && pattern && std::regex_search(v.name(), *pattern)) use = false;
    s.use_weight_decay.push_back(use);
  }
  build_slots(var_list);
  s.built = true;
}

void Optimizer::exclude_from_weight_decay(const std::vector<Variable>& var_list,
                                          const std::vector<std::string>& var_names) {
  State& s = *state_;
  if (s.built)
    throw ValueError(s.name +
                     ".exclude_from_weight_decay() can only be configured before the optimizer "
                     "is built.");
  s.exclude_vars = var_list;
  s.exclude_names = var_names;
}

void Optimizer::set_weights(const std::vector<Tensor>& weights) {
  State& s = *state_;
  if (!s.built)
    throw ValueError(s.name +
                     ": set_weights() was called on an optimizer that has not been built yet. "
                     "Call build(trainable_variables) first.");
  if (weights.size() != s.variables.size())
    throw ValueError(s.name + ".set_weights: got " + std::to_string(weights.size()) +
                     " weights, the optimizer has " + std::to_string(s.variables.size()) +
                     " variables");
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i].shape() != s.variables[i].shape())
      throw ValueError(s.name + ".set_weights: optimizer variable '" + s.variables[i].path() +
                       "' has shape " + s.variables[i].shape().to_string() +
                       ", not compatible with the provided weight shape " +
                       weights[i].shape().to_string());
    s.variables[i].assign(weights[i]);
  }
}

// ---- applying gradients ----

std::vector<size_t> Optimizer::resolve_indices(const std::vector<Variable>& variables) const {
  const State& s = *state_;
  std::vector<size_t> indices(variables.size());
  for (size_t i = 0; i < variables.size(); ++i) {
    // Fast path: the variables come in build order (the usual training loop).
    if (i < s.trainable.size() && s.trainable[i].is(variables[i])) {
      indices[i] = i;
      continue;
    }
    size_t j = 0;
    while (j < s.trainable.size() && !s.trainable[j].is(variables[i])) ++j;
    if (j == s.trainable.size())
      throw ValueError(s.name + ": unknown variable '" +
                       (variables[i].defined() ? variables[i].path() : "<undefined>") +
                       "'. This optimizer can only be called for the variables it was "
                       "originally built with. When working with a new set of variables, you "
                       "should recreate a new optimizer instance.");
    indices[i] = j;
  }
  return indices;
}

void Optimizer::apply(const std::vector<Tensor>& grads, const std::vector<Variable>& variables) {
  if (grads.empty()) return;  // Keras: a no-op, the step counter does not move
  if (grads.size() != variables.size())
    throw ValueError(state_->name + ".apply: got " + std::to_string(grads.size()) +
                     " gradients for " + std::to_string(variables.size()) +
                     " variables; pass one gradient per variable.");
  if (!state_->built) build(variables);
  apply_resolved(grads, variables, resolve_indices(variables));
}

void Optimizer::apply(const std::vector<Tensor>& grads) {
  State& s = *state_;
  if (grads.empty()) return;
  if (!s.built)
    throw ValueError(s.name +
                     ".apply: when passing gradients without variables, the optimizer must "
                     "already be built on a list of variables. Call build(trainable_variables) "
                     "first.");
  if (grads.size() != s.trainable.size())
    throw ValueError(s.name + ".apply: received " + std::to_string(grads.size()) +
                     " gradients, but the optimizer is tracking " +
                     std::to_string(s.trainable.size()) + " trainable variables.");
  std::vector<size_t> indices(grads.size());
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = i;
  apply_resolved(grads, s.trainable, std::move(indices));
}

void Optimizer::apply_gradients(const std::vector<std::pair<Tensor, Variable>>& grads_and_vars) {
  std::vector<Tensor> grads;
  std::vector<Variable> vars;
  for (const auto& [g, v] : grads_and_vars) {
    grads.push_back(g);
    vars.push_back(v);
  }
  apply(grads, vars);
}

int64_t Optimizer::host_iterations() const {
  State& s = *state_;
  const Tensor& v = s.iterations.value();
  if (v.impl() != s.iteration_value) {
    s.iteration_host = v.item<int64_t>();
    s.iteration_value = v.impl();
  }
  return s.iteration_host;
}

void Optimizer::apply_resolved(std::vector<Tensor> grads, std::vector<Variable> vars,
                               std::vector<size_t> indices) {
  State& s = *state_;
  // Drop variables without a gradient (Keras's _filter_empty_gradients).
  size_t kept = 0;
  for (size_t i = 0; i < grads.size(); ++i) {
    if (!grads[i].defined()) continue;
    if (grads[i].shape() != vars[i].shape())
      throw ValueError(s.name + ".apply: the gradient for variable '" + vars[i].path() +
                       "' has shape " + grads[i].shape().to_string() + ", the variable has shape " +
                       vars[i].shape().to_string());
    grads[kept] = stop_gradient(grads[i]);
    vars[kept] = vars[i];
    indices[kept] = indices[i];
    ++kept;
  }
  if (kept == 0) throw ValueError(s.name + ".apply: no gradients provided for any variable.");
  grads.resize(kept);
  vars.resize(kept);
  indices.resize(kept);

  s.step_cache.clear();
  struct ClearCache {
    State& s;
    ~ClearCache() { s.step_cache.clear(); }
  } clear_cache{s};

  if (common_.loss_scale_factor)
    for (Tensor& g : grads) g = g / *common_.loss_scale_factor;

  Tensor lr = learning_rate();
  if (common_.gradient_accumulation_steps) {
    const int64_t steps = *common_.gradient_accumulation_steps;
    const bool is_update_step = (host_iterations() + 1) % steps == 0;
    if (is_update_step) {
      for (size_t i = 0; i < grads.size(); ++i)
        grads[i] = (grads[i] + read(s.accumulators[indices[i]])) / static_cast<double>(steps);
      grads = clip_gradients(std::move(grads));
      apply_weight_decay(vars, indices, lr);
      update_steps(grads, vars, indices, lr);
      for (Variable& acc : s.accumulators) acc.assign(ops::zeros(acc.shape(), acc.dtype()));
    } else {
      for (size_t i = 0; i < grads.size(); ++i) {
        Variable& acc = s.accumulators[indices[i]];
        acc.assign(grads[i] + read(acc));
      }
    }
  } else {
    grads = clip_gradients(std::move(grads));
    apply_weight_decay(vars, indices, lr);
    update_steps(grads, vars, indices, lr);
  }

  if (common_.use_ema) {
    update_moving_averages();
    if (common_.ema_overwrite_frequency) {
      int64_t it = host_iterations();
      if (common_.gradient_accumulation_steps) it /= *common_.gradient_accumulation_steps;
      if ((it + 1) % *common_.ema_overwrite_frequency == 0)
        overwrite_with_moving_averages(s.trainable);
    }
  }

  // Keep the host copy of the counter in step without reading the device.
  const bool host_valid = s.iterations.value().impl() == s.iteration_value;
  s.iterations.assign_add(1);
  if (host_valid) {
    ++s.iteration_host;
    s.iteration_value = s.iterations.value().impl();
  }
}

void Optimizer::update_steps(const std::vector<Tensor>& grads, const std::vector<Variable>& vars,
                             const std::vector<size_t>& indices, const Tensor& learning_rate) {
  for (size_t i = 0; i < grads.size(); ++i)
    update_step(ops::cast(grads[i], vars[i].dtype()), vars[i], learning_rate, indices[i]);
}

std::vector<Tensor> Optimizer::clip_gradients(std::vector<Tensor> grads) const {
  if (common_.clipnorm && *common_.clipnorm > 0) {
    const double clipnorm = *common_.clipnorm;
    // Keras's _clip_by_norm; its two-tap `where` only guards autodiff, which never runs here.
    for (Tensor& g : grads) {
      Tensor l2norm = ops::sqrt(ops::sum(ops::square(g), {.keepdims = true}));
      g = g * clipnorm / ops::maximum(l2norm, clipnorm);
    }
  } else if (common_.global_clipnorm && *common_.global_clipnorm > 0) {
    const double clip_norm = *common_.global_clipnorm;
    std::vector<Tensor> squared;
    squared.reserve(grads.size());
    for (const Tensor& g : grads) squared.push_back(ops::sum(ops::square(g)));
    Tensor norm = ops::sqrt(ops::sum(ops::stack(squared)));
    // NaN scale for a non-finite norm, like Keras's clip_by_global_norm.
    Tensor scale = clip_norm * ops::minimum(1.0 / norm, 1.0 / clip_norm) + (norm - norm);
    for (Tensor& g : grads) g = g * scale;
  } else if (common_.clipvalue && *common_.clipvalue > 0) {
    const double v = *common_.clipvalue;
    for (Tensor& g : grads) g = ops::clip(g, -v, v);
  }
  return grads;
}

void Optimizer::apply_weight_decay(const std::vector<Variable>& vars,
                                   const std::vector<size_t>& indices,
                                   const Tensor& learning_rate) {
  if (!common_.weight_decay) return;
  for (size_t i = 0; i < vars.size(); ++i) {
    if (!state_->use_weight_decay[indices[i]]) continue;
    Variable v = vars[i];
    DType dt = v.dtype();
    Tensor w = read(v);
    v.assign(w - w * ops::cast(Tensor(*common_.weight_decay), dt) * ops::cast(learning_rate, dt));
  }
}

void Optimizer::update_moving_averages() {
  State& s = *state_;
  int64_t it = host_iterations();
  if (common_.gradient_accumulation_steps) it /= *common_.gradient_accumulation_steps;
  for (size_t i = 0; i < s.trainable.size(); ++i) {
    Variable& average = s.averages[i];
    DType dt = average.dtype();
    Tensor momentum = ops::cast(Tensor(it != 0 ? common_.ema_momentum : 0.0), dt);
    average.assign(momentum * read(average) + (1 - momentum) * read(s.trainable[i]));
  }
}

void Optimizer::overwrite_with_moving_averages(const std::vector<Variable>& vars) {
  State& s = *state_;
  if (vars.size() != s.averages.size())
    throw ValueError(s.name + ": the length of model variables (" + std::to_string(vars.size()) +
                     ") to override does not match the length of model variables stored in the "
                     "optimizer (" +
                     std::to_string(s.averages.size()) +
                     "). Please check if the optimizer was called on your model.");
  for (size_t i = 0; i < vars.size(); ++i) {
    Variable v = vars[i];
    v.assign(s.averages[i].value());
  }
}

void Optimizer::finalize_variable_values(const std::vector<Variable>& var_list) {
  if (common_.use_ema) overwrite_with_moving_averages(var_list);
}

// ---- stateless ----

std::pair<std::vector<Tensor>, std::vector<Tensor>> Optimizer::stateless_apply(
    const std::vector<Tensor>& optimizer_variables, const std::vector<Tensor>& grads,
    const std::vector<Tensor>& trainable_variables) {
  State& s = *state_;
  const std::string cls = class_name();
  if (!s.built)
    throw ValueError("To call stateless_apply, " + cls +
                     " must be built (i.e. its variables must have been created). You can build "
                     "it via optimizer.build(trainable_variables).");
  if (optimizer_variables.size() != s.variables.size())
    throw ValueError(
        "Argument `optimizer_variables` must be a list of tensors corresponding 1:1 "
        "to " +
        cls + "().variables. Received list with length " +
        std::to_string(optimizer_variables.size()) + ", but expected " +
        std::to_string(s.variables.size()) + " variables.");
  if (trainable_variables.size() != s.trainable.size())
    throw ValueError(
        "Argument `trainable_variables` must be a list of tensors corresponding 1:1 "
        "to the trainable variables list that the optimizer was built with. "
        "Received " +
        std::to_string(trainable_variables.size()) + " whereas the optimizer was built with " +
        std::to_string(s.trainable.size()) + " variables.");
  // Run apply() on the given values, then put every variable back.
  std::vector<Variable> all = s.trainable;
  all.insert(all.end(), s.variables.begin(), s.variables.end());
  std::vector<Tensor> saved;
  saved.reserve(all.size());
  for (const Variable& v : all) saved.push_back(v.value());
  auto restore = [&] {
    for (size_t i = 0; i < all.size(); ++i) all[i].assign(saved[i]);
  };
  std::pair<std::vector<Tensor>, std::vector<Tensor>> out;
  try {
    for (size_t i = 0; i < s.trainable.size(); ++i) all[i].assign(trainable_variables[i]);
    for (size_t i = 0; i < s.variables.size(); ++i)
      all[s.trainable.size() + i].assign(optimizer_variables[i]);
    apply(grads);
    for (const Variable& v : s.trainable) out.first.push_back(v.value());
    for (const Variable& v : s.variables) out.second.push_back(v.value());
  } catch (...) {
    restore();
    throw;
  }
  restore();
  return out;
}

// ---- per-step helpers ----

const Tensor* Optimizer::find_step_scalar(int key, DType dtype) const {
  for (const auto& [k, d, t] : state_->step_cache)
    if (k == key && d == dtype) return &t;
  return nullptr;
}

Tensor Optimizer::store_step_scalar(int key, DType dtype, Tensor value) const {
  state_->step_cache.emplace_back(key, dtype, value);
  return value;
}

Tensor Optimizer::local_step(DType dtype) const {
  return step_scalar(kLocalStepKey, dtype, [&] { return ops::cast(iterations() + 1, dtype); });
}

// ---- config ----

namespace {
Config opt(const std::optional<double>& v) { return v ? Config(*v) : Config(nullptr); }
Config opt(const std::optional<int64_t>& v) { return v ? Config(*v) : Config(nullptr); }
}  // namespace

Config Optimizer::get_config() const {
  const State& s = *state_;
  Config lr = s.schedule ? schedules::serialize(*s.schedule)
                         : Config(s.learning_rate.value().item<double>());
  return {{"name", s.name},
          {"learning_rate", lr},
          {"weight_decay", opt(common_.weight_decay)},
          {"clipnorm", opt(common_.clipnorm)},
          {"global_clipnorm", opt(common_.global_clipnorm)},
          {"clipvalue", opt(common_.clipvalue)},
          {"use_ema", common_.use_ema},
          {"ema_momentum", common_.ema_momentum},
          {"ema_overwrite_frequency", opt(common_.ema_overwrite_frequency)},
          {"loss_scale_factor", opt(common_.loss_scale_factor)},
          {"gradient_accumulation_steps", opt(common_.gradient_accumulation_steps)}};
}

}  // namespace keras::optimizers
