#pragma once
// The training API (keras/src/trainers/trainer.py and the per-backend trainers, here one
// implementation for every backend): compile, fit, evaluate, predict, train_on_batch, ...
// Models derive from Trainer; user models may override train_step / test_step / predict_step.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/callbacks/callback.hpp"
#include "keras/callbacks/history.hpp"
#include "keras/core/tensor.hpp"
#include "keras/core/variable.hpp"
#include "keras/data/dataset.hpp"
#include "keras/serialization/object_ref.hpp"

namespace keras {

namespace detail {
class CompiledFunction;
class BatchSource;
}  // namespace detail

namespace losses {
class Loss;
}
namespace metrics {
class Metric;
}
namespace optimizers {
class Optimizer;
}

using LossRef = saving::ObjectRef<losses::Loss>;
using MetricRef = saving::ObjectRef<metrics::Metric>;
using OptimizerRef = saving::ObjectRef<optimizers::Optimizer>;
using CallbackRef = std::shared_ptr<callbacks::Callback>;

// compile's `loss`: one loss for every output, or one per output name.
class LossSpec {
 public:
  LossSpec() = default;
  LossSpec(const char* identifier) : single_(identifier) {}         // NOLINT
  LossSpec(const std::string& identifier) : single_(identifier) {}  // NOLINT
  LossSpec(LossRef loss) : single_(std::move(loss)) {}              // NOLINT
  template <class T>
  requires std::derived_from<T, losses::Loss> LossSpec(const T& loss) : single_(loss) {}  // NOLINT
  LossSpec(std::initializer_list<std::pair<const std::string, LossRef>> per_output)
      : per_output_(per_output) {}
  LossSpec(std::map<std::string, LossRef> per_output) : per_output_(std::move(per_output)) {}

  bool empty() const { return !single_ && per_output_.empty(); }
  const LossRef& single() const { return single_; }
  const std::map<std::string, LossRef>& per_output() const { return per_output_; }

 private:
  LossRef single_;
  std::map<std::string, LossRef> per_output_;
};

// Keras's jit_compile: "auto" (the default), true or false. keras-cpp compiles the predict step
// and the default train and test steps (docs/compiled-steps.md): "auto" runs a step compiled
// where it can be traced and eagerly where it cannot (with one warning), true raises where it
// cannot, false always runs eagerly.
class JitCompile {
 public:
  JitCompile(bool enabled) : mode_(enabled ? Mode::On : Mode::Off) {}  // NOLINT
  JitCompile(const char* mode);                                        // NOLINT: "auto" only
  JitCompile(const std::string& mode) : JitCompile(mode.c_str()) {}    // NOLINT
  bool is_auto() const { return mode_ == Mode::Auto; }
  bool is_on() const { return mode_ == Mode::On; }
  bool is_off() const { return mode_ == Mode::Off; }
  bool operator==(const JitCompile&) const = default;

 private:
  enum class Mode { Auto, On, Off };
  Mode mode_ = Mode::Auto;
};

struct CompileOptions {
  OptimizerRef optimizer = "rmsprop";
  LossSpec loss;
  // One weight per output name (Keras's loss_weights dict); empty: 1 for each.
  std::map<std::string, double> loss_weights;
  // Metrics for every output ("accuracy" is resolved from the loss and output shape, as Keras).
  std::vector<MetricRef> metrics;
  std::vector<MetricRef> weighted_metrics;
  bool run_eagerly = false;  // true: every step runs eagerly, whatever jit_compile says
  JitCompile jit_compile = "auto";
  int steps_per_execution = 1;
};

// fit's validation_data, as in Keras: (x, y) tensors, one per model input and output, or a
// dataset whose elements are (x, y) or (x, y, sample_weight).
struct ValidationData {
  ValidationData(std::pair<std::vector<Tensor>, std::vector<Tensor>> xy)  // NOLINT: implicit
      : x(std::move(xy.first)), y(std::move(xy.second)) {}
  ValidationData(std::pair<Tensor, Tensor> xy) : x{xy.first}, y{xy.second} {}  // NOLINT
  ValidationData(data::Dataset data) : dataset(std::move(data)) {}             // NOLINT
  std::vector<Tensor> x, y;
  std::optional<data::Dataset> dataset;
};

struct FitOptions {
  std::optional<int64_t> batch_size;  // default 32; unused for a dataset, which batches itself
  int epochs = 1;
  int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
  std::vector<CallbackRef> callbacks;
  double validation_split = 0.0;  // the last fraction of the data, taken before shuffling
  // Evaluated at the end of each epoch (overrides validation_split).
  std::optional<ValidationData> validation_data;
  bool shuffle = true;
  std::map<int64_t, double> class_weight;
  Tensor sample_weight;  // (samples,)
  int initial_epoch = 0;
  std::optional<int64_t> steps_per_epoch;
  std::optional<int64_t> validation_steps;
  std::optional<int64_t> validation_batch_size;
  int validation_freq = 1;
  std::optional<uint64_t> seed;  // shuffling order; default: from keras::random's global seed
};

struct EvaluateOptions {
  std::optional<int64_t> batch_size;  // default 32
  int verbose = 1;
  Tensor sample_weight;
  std::optional<int64_t> steps;
  std::vector<CallbackRef> callbacks;
};

struct PredictOptions {
  std::optional<int64_t> batch_size;  // default 32
  int verbose = 0;  // Keras defaults to "auto" (1); a silent default suits library use better
  std::optional<int64_t> steps;
  std::vector<CallbackRef> callbacks;
};

// One batch as train_step / test_step receive it.
struct Batch {
  std::vector<Tensor> x;
  std::vector<Tensor> y;
  Tensor sample_weight;  // undefined: none
};

class Trainer {
 public:
  Trainer();
  virtual ~Trainer();

  // ---- configuration ----
  void compile(CompileOptions options = {});
  bool compiled() const;
  const std::shared_ptr<optimizers::Optimizer>& optimizer() const;
  // The options compile() received (Keras's compile_config).
  const CompileOptions& compile_options() const;
  bool stop_training = false;  // callbacks set it to end fit early (EarlyStopping)
  // Keras's `_initial_epoch`: set by a callback in on_train_begin (BackupAndRestore) to resume
  // fit at that epoch; it overrides FitOptions::initial_epoch and is cleared when fit ends.
  std::optional<int> resume_epoch;

  // ---- the loops ----
  History fit(const Tensor& x, const Tensor& y, FitOptions options = {});
  History fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y, FitOptions options = {});
  Logs evaluate(const Tensor& x, const Tensor& y, EvaluateOptions options = {});
  Logs evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                EvaluateOptions options = {});
  Tensor predict(const Tensor& x, PredictOptions options = {});
  std::vector<Tensor> predict(const std::vector<Tensor>& x, PredictOptions options = {});
  // The same on a dataset (keras::data, docs/data.md): its elements are batches, (x, y) or
  // (x, y, sample_weight) with one x per model input and one y per output (predict reads the x
  // and ignores the rest). A pass is an epoch unless steps_per_epoch / steps says how many
  // batches: then fit goes on from where the last epoch stopped. predict returns one tensor per
  // output.
  History fit(const data::Dataset& dataset, FitOptions options = {});
  Logs evaluate(const data::Dataset& dataset, EvaluateOptions options = {});
  std::vector<Tensor> predict(const data::Dataset& dataset, PredictOptions options = {});
  Logs train_on_batch(const Tensor& x, const Tensor& y, const Tensor& sample_weight = Tensor());
  Logs test_on_batch(const Tensor& x, const Tensor& y, const Tensor& sample_weight = Tensor());
  Tensor predict_on_batch(const Tensor& x);

  // ---- steps: override for custom training logic (same code for every backend) ----
  virtual Logs train_step(const Batch& batch);
  virtual Logs test_step(const Batch& batch);
  virtual std::vector<Tensor> predict_step(const Batch& batch);

  // ---- building blocks for custom steps ----
  // The compiled loss (weighted over outputs) plus the model's own losses (regularizers,
  // add_loss). Also updates the "loss" tracker.
  Tensor compute_loss(const Batch& batch, const std::vector<Tensor>& y_pred);
  // Updates the compiled metrics and returns every metric's current value.
  Logs compute_metrics(const Batch& batch, const std::vector<Tensor>& y_pred);
  // Current values of the loss tracker and the compiled metrics.
  Logs get_metrics_result() const;
  void reset_metrics();
  std::vector<std::shared_ptr<metrics::Metric>> metrics() const;

  // ---- what a model provides ----
  virtual std::vector<Tensor> forward(const std::vector<Tensor>& inputs, bool training) = 0;
  virtual std::vector<Variable> model_trainable_variables() const = 0;
  virtual std::vector<Variable> model_non_trainable_variables() const = 0;
  virtual std::vector<Tensor> model_losses() const = 0;
  virtual void model_apply_constraints() = 0;
  virtual std::string model_name() const = 0;
  // Output names for per-output losses and metric prefixes (Functional: the output layers).
  virtual std::vector<std::string> output_names() const { return {}; }
  // How many inputs the model takes (how a dataset element's components split into x and y).
  virtual size_t model_num_inputs() const { return 1; }

 private:
  struct State;
  void require_compiled(const char* method) const;
  void build_compiled(const std::vector<Tensor>& y, const std::vector<Tensor>& y_pred);
  // Steps as compile()'s jit_compile and run_eagerly say (src/trainers/compiled_function.*).
  JitCompile jit_mode() const;
  // The model's variables, trainable ones first.
  std::vector<Variable> model_variables() const;
  std::vector<Tensor> run_predict_step(const Batch& batch);
  // train_step (`training`) or test_step, the default or an override, run as jit_compile says:
  // with the model's, the optimizer's (train step) and the metrics' variables as state, and the
  // logs it reads from the metrics as the graph's outputs (docs/compiled-steps.md).
  Logs run_step(bool training, const Batch& batch);
  // The loops of fit, evaluate and predict over tensors or a dataset
  // (src/trainers/trainer_loops.cpp).
  History run_fit(detail::BatchSource& batches, const FitOptions& options);
  Logs run_evaluate(detail::BatchSource& batches, const EvaluateOptions& options);
  std::vector<Tensor> run_predict(detail::BatchSource& batches, const PredictOptions& options);
  // The compiled metrics' update_state for one batch (compute_metrics without the logs).
  void update_metrics(const Batch& batch, const std::vector<Tensor>& y_pred);
  std::unique_ptr<State> state_;
};

}  // namespace keras
