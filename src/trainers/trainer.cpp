// Trainer: compile, the train/test/predict steps, compiled losses and metrics.
#include "keras/trainers/trainer.hpp"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/backend/kernel_trace.hpp"
#include "keras/graph/graph.hpp"
#include "keras/losses/losses.hpp"
#include "keras/losses/serialization.hpp"
#include "keras/metrics/accuracy_metrics.hpp"
#include "keras/metrics/reduction_metrics.hpp"
#include "keras/ops/ops.hpp"
#include "keras/optimizers/optimizers.hpp"
#include "trainers/loaded_model_check.hpp"
#include "trainers/trainer_state.hpp"

namespace keras {

Trainer::Trainer() : state_(std::make_unique<State>()) {}
Trainer::~Trainer() = default;

void Trainer::compile(CompileOptions options) {
  if (!options.optimizer) throw ValueError("compile: `optimizer` is required (e.g. \"adam\")");
  if (options.steps_per_execution < 1)
    throw ValueError("compile: `steps_per_execution` must be >= 1, got " +
                     std::to_string(options.steps_per_execution));
  for (const auto& [name, w] : options.loss_weights)
    if (!options.loss.per_output().empty() && !options.loss.per_output().count(name))
      throw ValueError("compile: `loss_weights` names output '" + name +
                       "', which has no loss in `loss`");
  *state_ = State{};
  state_->options = std::move(options);
  state_->optimizer = state_->options.optimizer.get();
  state_->compiled = true;
}

bool Trainer::compiled() const { return state_->compiled; }

const std::shared_ptr<optimizers::Optimizer>& Trainer::optimizer() const {
  return state_->optimizer;
}

const CompileOptions& Trainer::compile_options() const { return state_->options; }

void Trainer::require_compiled(const char* method) const {
  if (!state_->compiled)
    throw RuntimeError(std::string(method) + ": you must call compile() on model '" + model_name() +
                       "' before using it");
}

// Resolves losses and metrics once the shapes of targets and predictions are known (Keras's
// CompileLoss / CompileMetrics build).
void Trainer::build_compiled(const std::vector<Tensor>& y, const std::vector<Tensor>& y_pred) {
  State& s = *state_;
  if (s.built) return;
  const CompileOptions& o = s.options;
  std::vector<std::string> names = output_names();
  if (names.size() != y_pred.size()) {
    names.clear();
    for (size_t i = 0; i < y_pred.size(); ++i)
      names.push_back(y_pred.size() == 1 ? "output" : "output_" + std::to_string(i + 1));
  }
  if (y.size() != y_pred.size())
    throw ValueError("Model '" + model_name() + "' has " + std::to_string(y_pred.size()) +
                     " outputs but " + std::to_string(y.size()) + " targets were given");
  s.outputs.clear();
  for (size_t i = 0; i < y_pred.size(); ++i) {
    State::Output out;
    out.name = names[i];
    LossRef ref;
    if (!o.loss.per_output().empty()) {
      auto it = o.loss.per_output().find(names[i]);
      if (it != o.loss.per_output().end()) ref = it->second;
    } else {
      ref = o.loss.single();
    }
    if (ref) {
      out.loss = ref.identifier().empty()
                     ? ref.get()
                     : losses::get_compile_loss(ref.identifier(), y[i].shape(), y_pred[i].shape());
      auto w = o.loss_weights.find(names[i]);
      out.loss_weight = w == o.loss_weights.end() ? 1.0 : w->second;
      if (y_pred.size() > 1)
        out.loss_tracker =
            std::make_shared<metrics::Mean>(metrics::MetricOptions{.name = names[i] + "_loss"});
    }
    auto resolve = [&](const MetricRef& m, bool weighted) {
      std::shared_ptr<metrics::Metric> metric;
      std::string id = m.identifier();
      if (id == "accuracy" || id == "acc") {
        auto [is_binary, is_sparse] =
            losses::is_binary_or_sparse_categorical(y[i].shape(), y_pred[i].shape());
        if (is_binary)
          metric =
              std::make_shared<metrics::BinaryAccuracy>(metrics::BinaryAccuracyOptions{.name = id});
        else if (is_sparse)
          metric = std::make_shared<metrics::SparseCategoricalAccuracy>(
              metrics::MetricOptions{.name = id});
        else
          metric =
              std::make_shared<metrics::CategoricalAccuracy>(metrics::MetricOptions{.name = id});
      } else {
        metric = m.get();
        // A metric given by string is logged under that string ("mae"), as Keras does.
        if (!id.empty()) metric->set_name(id);
      }
      if (y_pred.size() > 1) metric->set_name(names[i] + "_" + metric->name());
      (weighted ? out.weighted_metrics : out.metrics).push_back(metric);
    };
    for (const MetricRef& m : o.metrics) resolve(m, false);
    for (const MetricRef& m : o.weighted_metrics) resolve(m, true);
    s.outputs.push_back(std::move(out));
  }
  bool any_loss = false;
  for (const auto& out : s.outputs) any_loss = any_loss || out.loss != nullptr;
  if (!any_loss)
    throw ValueError("compile: no loss was given for any output of model '" + model_name() +
                     "' (outputs: " +
                     [&] {
                       std::string t;
                       for (const auto& n : names) t += (t.empty() ? "" : ", ") + n;
                       return t;
                     }() +
                     ")");
  s.built = true;
}

Tensor Trainer::compute_loss(const Batch& batch, const std::vector<Tensor>& y_pred) {
  State& s = *state_;
  build_compiled(batch.y, y_pred);
  Tensor total;
  for (size_t i = 0; i < s.outputs.size(); ++i) {
    State::Output& out = s.outputs[i];
    if (!out.loss) continue;
    Tensor value = (*out.loss)(batch.y[i], y_pred[i], batch.sample_weight);
    if (out.loss_tracker) out.loss_tracker->update_state(ops::stop_gradient(value));
    if (out.loss_weight != 1.0) value = ops::multiply(value, out.loss_weight);
    total = total.defined() ? ops::add(total, value) : value;
  }
  for (const Tensor& extra : model_losses())
    total = ops::add(total, ops::cast(ops::sum(extra), total.dtype()));
  s.loss_tracker->update_state(ops::stop_gradient(total));
  return total;
}

Logs Trainer::compute_metrics(const Batch& batch, const std::vector<Tensor>& y_pred) {
  update_metrics(batch, y_pred);
  return get_metrics_result();
}

void Trainer::update_metrics(const Batch& batch, const std::vector<Tensor>& y_pred) {
  State& s = *state_;
  build_compiled(batch.y, y_pred);
  for (size_t i = 0; i < s.outputs.size(); ++i) {
    Tensor yp = ops::stop_gradient(y_pred[i]);
    if (y_pred[i].keras_mask().defined()) yp.set_keras_mask(y_pred[i].keras_mask());
    for (auto& m : s.outputs[i].metrics) m->update_state(batch.y[i], yp);
    for (auto& m : s.outputs[i].weighted_metrics)
      m->update_state(batch.y[i], yp, batch.sample_weight);
  }
}

std::vector<std::shared_ptr<metrics::Metric>> Trainer::metrics() const {
  const State& s = *state_;
  std::vector<std::shared_ptr<metrics::Metric>> out;
  for (const auto& o : s.outputs) {
    if (o.loss_tracker) out.push_back(o.loss_tracker);
    for (const auto& m : o.metrics) out.push_back(m);
    for (const auto& m : o.weighted_metrics) out.push_back(m);
  }
  return out;
}

namespace {

// The logs a step being traced reads from its metrics (get_metrics_result, compute_metrics): the
// graph outputs those tensors, so a replay gives the logs without the step's code.
struct LogCapture {
  std::map<std::string, Tensor> tensors;  // the last read
  Logs values;                            // what it gave the step

  // The graph's outputs for the logs the step returned, named in `names`. Logs made on the host
  // (not exactly one read's) would not be the replays' logs: they end the trace.
  std::vector<Tensor> outputs(const Logs& returned, std::vector<std::string>& names) const {
    names.clear();
    std::vector<Tensor> out;
    if (returned.empty()) return out;
    auto same = [](const auto& a, const auto& b) {
      return a.first == b.first &&
             std::bit_cast<uint64_t>(a.second) == std::bit_cast<uint64_t>(b.second);
    };
    if (!std::equal(returned.begin(), returned.end(), values.begin(), values.end(), same))
      throw graph::TraceError(
          "it returns logs other than the metric results it read last (compute_metrics or "
          "get_metrics_result)");
    for (const auto& [name, t] : tensors) {
      names.push_back(name);
      out.push_back(t);
    }
    return out;
  }
};

thread_local LogCapture* log_capture = nullptr;

struct CaptureScope {
  explicit CaptureScope(LogCapture* capture) { log_capture = capture; }
  ~CaptureScope() { log_capture = nullptr; }
  CaptureScope(const CaptureScope&) = delete;
  CaptureScope& operator=(const CaptureScope&) = delete;
};

Logs read_logs(const std::map<std::string, Tensor>& results) {
  // While a step is traced, the host reads are not part of its graph; the tensors are outputs.
  std::optional<backend::RecorderScope> pause;
  if (log_capture) pause.emplace(nullptr);
  Logs logs;
  for (const auto& [name, t] : results) logs[name] = t.item<double>();
  if (log_capture) *log_capture = LogCapture{results, logs};
  return logs;
}

}  // namespace

Logs Trainer::get_metrics_result() const {
  std::map<std::string, Tensor> results;
  results["loss"] = state_->loss_tracker->result();
  for (const auto& m : metrics()) results[m->name()] = m->result();
  return read_logs(results);
}

void Trainer::reset_metrics() {
  state_->loss_tracker->reset_state();
  for (const auto& m : metrics()) m->reset_state();
}

Logs Trainer::train_step(const Batch& batch) {
  require_compiled("train_step");
  std::vector<Variable> trainable = model_trainable_variables();
  std::vector<Tensor> y_pred;
  std::vector<Tensor> grads;
  {
    GradientTape tape;
    y_pred = forward(batch.x, /*training=*/true);
    Tensor loss = compute_loss(batch, y_pred);
    loss = state_->optimizer->scale_loss(loss);
    grads = tape.gradient(loss, trainable);
  }
  if (!trainable.empty()) {
    state_->optimizer->apply(grads, trainable);
    model_apply_constraints();
  }
  return compute_metrics(batch, y_pred);
}

Logs Trainer::test_step(const Batch& batch) {
  require_compiled("test_step");
  std::vector<Tensor> y_pred = forward(batch.x, /*training=*/false);
  compute_loss(batch, y_pred);
  return compute_metrics(batch, y_pred);
}

std::vector<Tensor> Trainer::predict_step(const Batch& batch) {
  return forward(batch.x, /*training=*/false);
}

namespace {

// KERAS_RUN_EAGERLY=1 (any value but empty or "0"): every model runs its steps eagerly, as if
// compiled with run_eagerly=true (TensorFlow's run_functions_eagerly); for debugging, and how the
// test suite runs a second time in eager mode.
bool run_eagerly_everywhere() {
  static const bool on = [] {
    const char* v = std::getenv("KERAS_RUN_EAGERLY");
    return v && *v && std::string(v) != "0";
  }();
  return on;
}

}  // namespace

JitCompile Trainer::jit_mode() const {
  const CompileOptions& o = state_->options;
  return o.run_eagerly || run_eagerly_everywhere() ? JitCompile(false) : o.jit_compile;
}

std::vector<Variable> Trainer::model_variables() const {
  std::vector<Variable> variables = model_trainable_variables();
  for (Variable& v : model_non_trainable_variables()) variables.push_back(v);
  return variables;
}

std::vector<Tensor> Trainer::run_predict_step(const Batch& batch) {
  return state_->predict_function(jit_mode(), batch.x, model_variables(),
                                  [&] { return predict_step(batch); });
}

Logs Trainer::run_step(bool training, const Batch& batch) {
  auto step = [&] { return training ? train_step(batch) : test_step(batch); };
  JitCompile mode = jit_mode();
  if (mode.is_off()) return step();
  require_compiled(training ? "train_step" : "test_step");
  State& s = *state_;
  std::vector<Tensor> tensors = batch.x;
  tensors.insert(tensors.end(), batch.y.begin(), batch.y.end());
  if (batch.sample_weight.defined()) tensors.push_back(batch.sample_weight);
  // The variables the step reads or assigns: the model's, the optimizer's (train step), the
  // metrics' (a custom step's others are found by the compiled function). Which of the model's
  // are trainable decides what the step updates: part of the signature.
  std::vector<Variable> variables = model_trainable_variables();
  std::string key = "trainable=" + std::to_string(variables.size());
  for (Variable& v : model_non_trainable_variables()) variables.push_back(v);
  if (training)
    for (Variable& v : s.optimizer->variables()) variables.push_back(v);
  for (Variable& v : s.loss_tracker->variables()) variables.push_back(v);
  // Each metric once (one metric object may be listed for two outputs).
  std::set<const metrics::Metric*> seen;
  for (const auto& m : metrics())
    if (seen.insert(m.get()).second)
      for (Variable& v : m->variables()) variables.push_back(v);
  Logs logs;
  bool ran = false;
  std::vector<std::string> names;
  std::vector<Tensor> out = (training ? s.train_function : s.test_function)(
      mode, tensors, variables,
      [&] {
        ran = true;
        if (!backend::active_recorder()) {
          logs = step();
          return std::vector<Tensor>{};
        }
        LogCapture capture;
        {
          CaptureScope scope(&capture);
          logs = step();
        }
        return capture.outputs(logs, names);
      },
      key, &names);
  if (ran) return logs;
  for (size_t i = 0; i < out.size(); ++i) logs[names[i]] = out[i].item<double>();
  return logs;
}

Logs Trainer::train_on_batch(const Tensor& x, const Tensor& y, const Tensor& sample_weight) {
  require_compiled("train_on_batch");
  saving::check_loaded_model_activations(*this, {x}, 0, "train_on_batch");
  reset_metrics();
  return run_step(/*training=*/true, Batch{{x}, {y}, sample_weight});
}

Logs Trainer::test_on_batch(const Tensor& x, const Tensor& y, const Tensor& sample_weight) {
  require_compiled("test_on_batch");
  saving::check_loaded_model_activations(*this, {x}, 0, "test_on_batch");
  reset_metrics();
  return run_step(/*training=*/false, Batch{{x}, {y}, sample_weight});
}

Tensor Trainer::predict_on_batch(const Tensor& x) {
  saving::check_loaded_model_activations(*this, {x}, 0, "predict_on_batch");
  return run_predict_step(Batch{{x}, {}, {}}).at(0);
}

}  // namespace keras
