// Trainer: the fit / evaluate / predict loops over in-memory arrays (Keras's ArrayDataAdapter).
#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <memory>
#include <numeric>
#include <optional>
#include <random>

#include "core/checked_int.hpp"
#include "data/data_impl.hpp"
#include "data/py_dataset.hpp"
#include "keras/callbacks/history.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/seed_generator.hpp"
#include "keras/trainers/trainer.hpp"
#include "trainers/loaded_model_check.hpp"

namespace keras {

namespace detail {

// Where a loop's batches come from: tensors in memory cut into batches (shuffled per epoch for
// fit), or a dataset's elements.
class BatchSource {
 public:
  virtual ~BatchSource() = default;
  // Batches in an epoch, 0 when only the end of a pass tells (a dataset of unknown length).
  virtual int64_t steps() const = 0;
  virtual void begin_epoch() = 0;
  // Draws what a skipped epoch would have drawn (a resumed fit sees the uninterrupted run's
  // batches); nothing for a dataset, whose passes are its own.
  virtual void skip_epoch() {}
  // The epoch's next batch; nullopt when it is over.
  virtual std::optional<Batch> next() = 0;
};

}  // namespace detail

namespace {

using detail::BatchSource;

// Number of samples shared by every array; ValueError naming the arrays otherwise.
int64_t num_samples(const char* method, const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                    const Tensor& sample_weight) {
  if (x.empty()) throw ValueError(std::string(method) + ": `x` is empty");
  int64_t n = -1;
  auto check = [&](const Tensor& t, const std::string& what) {
    if (!t.defined()) throw ValueError(std::string(method) + ": " + what + " is undefined");
    if (t.is_symbolic())
      throw ValueError(std::string(method) + ": " + what +
                       " is a symbolic tensor; pass arrays with data");
    if (t.ndim() == 0)
      throw ValueError(std::string(method) + ": " + what +
                       " must have a batch dimension, got a scalar");
    if (n < 0)
      n = t.shape()[0];
    else if (t.shape()[0] != n)
      throw ValueError(std::string(method) + ": all arrays must have the same number of samples; " +
                       what + " has " + std::to_string(t.shape()[0]) + " (shape " +
                       t.shape().to_string() + ") but x has " + std::to_string(n));
  };
  for (size_t i = 0; i < x.size(); ++i)
    check(x[i], x.size() == 1 ? "x" : "x[" + std::to_string(i) + "]");
  for (size_t i = 0; i < y.size(); ++i)
    check(y[i], y.size() == 1 ? "y" : "y[" + std::to_string(i) + "]");
  if (sample_weight.defined()) check(sample_weight, "sample_weight");
  if (n == 0)
    throw ValueError(std::string(method) + ": x has 0 samples (shape " + x[0].shape().to_string() +
                     "); there is nothing to " +
                     (std::string(method) == "fit" ? "fit on" : method));
  return n;
}

// Rows [begin, end) of batch `step` out of n > 0 samples. Steps past the data wrap around, as
// (step * batch_size) % n does, without that product or begin + batch_size overflowing: any
// positive int64 is a legal batch_size.
std::pair<int64_t, int64_t> batch_rows(int64_t step, int64_t batch_size, int64_t n) {
  auto begin = static_cast<int64_t>(static_cast<__int128>(step) * batch_size % n);
  return {begin, begin + std::min(batch_size, n - begin)};
}

std::vector<Tensor> rows(const std::vector<Tensor>& xs, int64_t begin, int64_t end) {
  std::vector<Tensor> out;
  for (const Tensor& x : xs) {
    std::vector<int64_t> start(x.ndim(), 0);
    start[0] = begin;
    Shape shape = x.shape();
    shape[0] = end - begin;
    out.push_back(ops::slice(x, start, shape));
  }
  return out;
}

std::vector<Tensor> gather_rows(const std::vector<Tensor>& xs, const Tensor& indices) {
  std::vector<Tensor> out;
  for (const Tensor& x : xs) out.push_back(ops::take(x, indices, 0));
  return out;
}

Tensor take_or_slice(const Tensor& x, const Tensor& indices, int64_t begin, int64_t end) {
  if (!x.defined()) return x;
  return indices.defined() ? ops::take(x, indices, 0) : rows({x}, begin, end)[0];
}

// The callbacks of one loop in Keras's CallbackList order: the user's callbacks, then History,
// then ProgbarLogger, so History and the progress bar see what earlier callbacks added to the
// logs (e.g. ReduceLROnPlateau's "learning_rate").
struct CallbackList {
  std::vector<CallbackRef> all;
  CallbackList(Trainer* model, const std::vector<CallbackRef>& user, int verbose,
               callbacks::Params params, History* history) {
    for (const CallbackRef& c : user) {
      if (!c) throw ValueError("fit: a callback in `callbacks` is null");
      all.push_back(c);
    }
    if (history) all.push_back(std::make_shared<callbacks::HistoryCallback>(history));
    if (verbose) all.push_back(std::make_shared<callbacks::ProgbarLogger>());
    for (const CallbackRef& c : all) {
      c->set_model(model);
      c->set_params(params);
    }
  }
  template <class F>
  void each(F&& f) {
    for (const CallbackRef& c : all) f(*c);
  }
};

Tensor class_weights_to_sample_weight(const std::map<int64_t, double>& class_weight,
                                      const Tensor& y, const Tensor& existing) {
  // Labels: sparse (batch,) / (batch, 1) or one-hot (batch, classes).
  Tensor labels = y;
  if (y.ndim() == 2 && y.shape()[1] > 1) labels = ops::argmax(y, -1);
  labels = ops::reshape(labels, {-1});
  std::vector<int64_t> ids = labels.to_vector<int64_t>();
  std::vector<float> w(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = class_weight.find(ids[i]);
    w[i] = it == class_weight.end() ? 1.0f : static_cast<float>(it->second);
  }
  Tensor sw = ops::convert_to_tensor(w, Shape{static_cast<int64_t>(w.size())},
                                     {.backend = std::string(y.backend_name())});
  return existing.defined() ? ops::multiply(existing, sw) : sw;
}

class TensorBatches final : public BatchSource {
 public:
  // `rng`: shuffles each epoch's order; null keeps the order.
  TensorBatches(std::vector<Tensor> x, std::vector<Tensor> y, Tensor sample_weight,
                int64_t batch_size, int64_t steps, std::mt19937_64* rng = nullptr)
      : x_(std::move(x)),
        y_(std::move(y)),
        sample_weight_(std::move(sample_weight)),
        n_(x_.empty() ? 0 : x_[0].shape()[0]),
        batch_size_(batch_size),
        steps_(steps),
        rng_(rng) {}
  int64_t steps() const override { return steps_; }
  void skip_epoch() override { begin_epoch(); }
  void begin_epoch() override {
    step_ = 0;
    if (!rng_) return;
    order_.resize(static_cast<size_t>(n_));
    std::iota(order_.begin(), order_.end(), 0);
    std::shuffle(order_.begin(), order_.end(), *rng_);
  }
  std::optional<Batch> next() override {
    if (step_ >= steps_) return std::nullopt;
    auto [begin, end] = batch_rows(step_++, batch_size_, n_);
    Batch batch;
    Tensor idx;
    if (rng_) {
      idx =
          ops::convert_to_tensor(std::vector<int32_t>(order_.begin() + begin, order_.begin() + end),
                                 {.backend = std::string(x_[0].backend_name())});
      batch.x = gather_rows(x_, idx);
      batch.y = gather_rows(y_, idx);
    } else {
      batch.x = rows(x_, begin, end);
      batch.y = rows(y_, begin, end);
    }
    batch.sample_weight = take_or_slice(sample_weight_, idx, begin, end);
    return batch;
  }

 private:
  std::vector<Tensor> x_, y_;
  Tensor sample_weight_;
  int64_t n_, batch_size_, steps_;
  std::mt19937_64* rng_;
  std::vector<int32_t> order_;
  int64_t step_ = 0;
};

class DatasetBatches final : public BatchSource {
 public:
  // `targets`: fit and evaluate need y; predict reads x and ignores the rest. `steps`: batches per
  // epoch (steps_per_epoch / steps), the iterator then going on across epochs.
  DatasetBatches(const char* method, data::Dataset dataset, size_t num_inputs, size_t num_outputs,
                 bool targets, std::optional<int64_t> steps)
      : method_(method),
        dataset_(std::move(dataset)),
        num_inputs_(num_inputs),
        num_outputs_(num_outputs),
        targets_(targets),
        fixed_steps_(steps) {
    int64_t n = dataset_.cardinality();
    if (steps && *steps < 1)
      throw ValueError(std::string(method) + ": the number of steps must be >= 1, got " +
                       std::to_string(*steps));
    if (!steps && n == data::INFINITE_CARDINALITY)
      throw ValueError(std::string(method) +
                       ": the dataset is endless (repeat()): pass the number of batches an epoch "
                       "takes (steps_per_epoch for fit, steps for evaluate and predict)");
    if (!steps && n == 0)
      throw ValueError(std::string(method) + ": the dataset is empty; there is nothing to " +
                       (std::string(method) == "fit" ? "fit on" : method));
    steps_ = steps ? *steps : std::max<int64_t>(n, 0);
  }
  int64_t steps() const override { return steps_; }
  void begin_epoch() override {
    step_ = 0;
    if (!fixed_steps_ || !pass_) pass_ = dataset_.iterator();
  }
  std::optional<Batch> next() override {
    if (fixed_steps_ && step_ >= *fixed_steps_) return std::nullopt;
    std::optional<data::Element> e = pass_->next();
    if (!e) {
      if (step_ == 0 && !fixed_steps_)
        throw ValueError(std::string(method_) + ": the dataset gave no batch");
      if (fixed_steps_ && !warned_) {
        std::cerr << "keras-cpp: warning: " << method_ << ": your input ran out of data after "
                  << step_ << " of " << *fixed_steps_
                  << " steps; the epoch ends early and the next one starts a new pass. Make sure "
                     "the dataset gives at least as many batches as the steps asked for (repeat() "
                     "makes it endless)\n";
        warned_ = true;
      }
      pass_.reset();
      return std::nullopt;
    }
    ++step_;
    return to_batch(std::move(*e));
  }

 private:
  Batch to_batch(data::Element e) const {
    size_t k = e.size(), xy = num_inputs_ + num_outputs_;
    bool fits = targets_ ? (k == xy || k == xy + 1) : (k == num_inputs_ || k == xy || k == xy + 1);
    if (!fits)
      throw ValueError(std::string(method_) + ": the dataset's elements have " + std::to_string(k) +
                       " components (" + (k ? data::detail::shapes_of(e) : std::string("none")) +
                       "); the model takes " + std::to_string(num_inputs_) +
                       " input(s) and gives " + std::to_string(num_outputs_) +
                       " output(s), so expected " + (targets_ ? "" : "(x) or ") +
                       "(x, y) or (x, y, sample_weight) with one x per input and one y per output");
    Batch b;
    b.x.assign(e.begin(), e.begin() + static_cast<std::ptrdiff_t>(num_inputs_));
    if (k >= xy) {
      b.y.assign(e.begin() + static_cast<std::ptrdiff_t>(num_inputs_),
                 e.begin() + static_cast<std::ptrdiff_t>(xy));
      if (k == xy + 1) b.sample_weight = e[xy];
    }
    for (const Tensor& t : e)
      if (!t.defined() || t.ndim() == 0)
        throw ValueError(std::string(method_) +
                         ": the dataset's elements must be batches (a "
                         "first, batch dimension in every component), got " +
                         data::detail::shapes_of(e) + "; batch() the dataset");
    return b;
  }
  const char* method_;
  data::Dataset dataset_;
  size_t num_inputs_, num_outputs_;
  bool targets_;
  std::optional<int64_t> fixed_steps_;
  int64_t steps_ = 0;
  int64_t step_ = 0;
  std::unique_ptr<data::Iterator> pass_;
  bool warned_ = false;
};

size_t num_outputs(const Trainer& model) {
  return std::max<size_t>(1, model.output_names().size());
}

// evaluate()'s loop, also run by fit for validation with fit's callbacks; `test_step` runs one
// batch (the model's test_step, compiled or not).
Logs test_loop(const char* method, Trainer& model,
               const std::function<Logs(const Batch&)>& test_step, BatchSource& batches,
               CallbackList& cbs) {
  model.reset_metrics();
  Logs begin_logs;
  cbs.each([&](callbacks::Callback& c) { c.on_test_begin(begin_logs); });
  bool checked = false;
  Logs logs;
  const int64_t per_execution = model.compile_options().steps_per_execution;
  batches.begin_epoch();
  bool more = true;
  for (int64_t step = 0; more; step += per_execution) {
    std::optional<Batch> batch = batches.next();
    if (!batch) break;
    if (!std::exchange(checked, true))
      saving::check_loaded_model_activations(model, batch->x, 0, method);
    Logs batch_begin_logs;
    cbs.each([&](callbacks::Callback& c) { c.on_test_batch_begin(step, batch_begin_logs); });
    for (int64_t s = 0; batch && s < per_execution; ++s) {
      logs = test_step(*batch);
      if (s + 1 < per_execution) batch = batches.next();
      more = batch.has_value();
    }
    int64_t end_step = step + per_execution - 1;
    cbs.each([&](callbacks::Callback& c) { c.on_test_batch_end(end_step, logs); });
  }
  cbs.each([&](callbacks::Callback& c) { c.on_test_end(logs); });
  return logs;
}

// Tensor (x, y) cut into evaluate's batches: `steps`, else enough for every sample once.
TensorBatches evaluation_batches(const char* method, const std::vector<Tensor>& x,
                                 const std::vector<Tensor>& y, const Tensor& sample_weight,
                                 int64_t batch_size, std::optional<int64_t> steps) {
  int64_t n = x.empty() ? 0 : x[0].shape()[0];
  int64_t count = steps.value_or(checked_int::ceil_div(n, batch_size));
  if (n == 0 && count > 0)
    throw ValueError(std::string(method) + ": the validation data has 0 samples but " +
                     std::to_string(count) + " validation steps were asked for");
  return TensorBatches(x, y, sample_weight, batch_size, count);
}

}  // namespace

History Trainer::fit(const Tensor& x, const Tensor& y, FitOptions options) {
  return fit(std::vector<Tensor>{x}, std::vector<Tensor>{y}, std::move(options));
}

namespace {

// Shuffling order: the given seed, else derived from keras::random::set_random_seed, else
// nondeterministic (as Keras with no seed set).
uint64_t shuffle_seed(const FitOptions& options) {
  return options.seed ? *options.seed
         : random::get_random_seed()
             ? static_cast<uint64_t>(*random::get_random_seed()) * 0x9e3779b97f4a7c15ULL + 1
             : std::random_device{}();
}

// Keras's message for sample weights given beside a dataset.
void refuse_sample_weight(const char* method, const Tensor& sample_weight) {
  if (sample_weight.defined())
    throw ValueError(std::string(method) +
                     ": when `x` is a dataset, `sample_weight` should not be passed; the sample "
                     "weights should be included as part of the dataset");
}

void check_fit_options(const FitOptions& options, int64_t batch_size) {
  if (batch_size <= 0)
    throw ValueError("fit: `batch_size` must be positive, got " + std::to_string(batch_size));
  if (options.epochs < 0) throw ValueError("fit: `epochs` must be >= 0");
  if (options.validation_split < 0 || options.validation_split >= 1)
    throw ValueError("fit: `validation_split` must be in [0, 1), got " +
                     std::to_string(options.validation_split));
  if (options.validation_freq < 1) throw ValueError("fit: `validation_freq` must be >= 1");
}

}  // namespace

History Trainer::fit(const std::vector<Tensor>& x_all, const std::vector<Tensor>& y_all,
                     FitOptions options) {
  require_compiled("fit");
  int64_t batch_size = options.batch_size.value_or(32);
  check_fit_options(options, batch_size);
  int64_t n = num_samples("fit", x_all, y_all, options.sample_weight);

  // validation_split takes the last samples before any shuffling, as Keras does.
  std::vector<Tensor> x = x_all, y = y_all;
  Tensor sample_weight = options.sample_weight;
  if (!options.validation_data && options.validation_split > 0) {
    int64_t split =
        static_cast<int64_t>(std::floor(static_cast<double>(n) * (1.0 - options.validation_split)));
    if (split <= 0 || split >= n)
      throw ValueError("fit: validation_split=" + std::to_string(options.validation_split) +
                       " leaves no training or no validation samples out of " + std::to_string(n));
    options.validation_data = std::make_pair(rows(x_all, split, n), rows(y_all, split, n));
    x = rows(x_all, 0, split);
    y = rows(y_all, 0, split);
    if (sample_weight.defined()) sample_weight = rows({sample_weight}, 0, split)[0];
    n = split;
  }
  if (!options.class_weight.empty()) {
    if (y.size() != 1)
      throw ValueError("fit: `class_weight` is only supported for single-output models");
    sample_weight = class_weights_to_sample_weight(options.class_weight, y[0], sample_weight);
    options.class_weight.clear();
  }
  int64_t steps = options.steps_per_epoch.value_or(checked_int::ceil_div(n, batch_size));
  // One generator shuffles epoch after epoch; a run resumed at epoch k (initial_epoch,
  // BackupAndRestore) first replays the shuffles of epochs 0..k-1 (run_fit), so it sees exactly
  // the batches of the uninterrupted run.
  std::mt19937_64 rng(shuffle_seed(options));
  TensorBatches batches(x, y, sample_weight, batch_size, steps, options.shuffle ? &rng : nullptr);
  return run_fit(batches, options);
}

History Trainer::fit(const data::Dataset& dataset, FitOptions options) {
  require_compiled("fit");
  check_fit_options(options, options.batch_size.value_or(32));
  if (options.validation_split > 0)
    throw ValueError(
        "fit: `validation_split` is only supported for tensors, not for a dataset "
        "(split the dataset with take() and skip())");
  refuse_sample_weight("fit", options.sample_weight);
  // A PyDataset's batch order is shuffled each epoch by fit's `shuffle`, as in Keras.
  const data::detail::PyDatasetSource* py = data::detail::py_source_of(dataset);
  DatasetBatches batches(
      "fit", py && options.shuffle ? py->shuffled(shuffle_seed(options)) : dataset,
      model_num_inputs(), num_outputs(*this), /*targets=*/true, options.steps_per_epoch);
  return run_fit(batches, options);
}

History Trainer::run_fit(BatchSource& batches, const FitOptions& options) {
  const int64_t val_batch_size =
      options.validation_batch_size.value_or(options.batch_size.value_or(32));
  std::unique_ptr<BatchSource> val;
  if (const std::optional<ValidationData>& v = options.validation_data) {
    if (v->dataset)
      val = std::make_unique<DatasetBatches>("fit (validation)", *v->dataset, model_num_inputs(),
                                             num_outputs(*this), /*targets=*/true,
                                             options.validation_steps);
    else
      val = std::make_unique<TensorBatches>(evaluation_batches(
          "fit (validation)", v->x, v->y, Tensor(), val_batch_size, options.validation_steps));
  }
  History history;
  CallbackList cbs(this, options.callbacks, options.verbose,
                   callbacks::Params{options.epochs, batches.steps(), options.verbose}, &history);
  stop_training = false;
  Logs begin_logs;
  resume_epoch.reset();
  cbs.each([&](callbacks::Callback& c) { c.on_train_begin(begin_logs); });
  int initial_epoch = resume_epoch.value_or(options.initial_epoch);
  resume_epoch.reset();
  // A resumed run replays the skipped epochs' shuffles (tensors; a dataset's passes are its own).
  for (int epoch = 0; epoch < initial_epoch; ++epoch) batches.skip_epoch();
  // steps_per_execution (compile()): the batch callbacks see groups of that many steps, as in
  // Keras: begin with the group's first step, end with first + steps_per_execution - 1 and the
  // logs of its last step.
  const int64_t per_execution = compile_options().steps_per_execution;
  Logs epoch_logs;
  bool checked = false;  // the activation check of a model from a file, on the first batch
  for (int epoch = initial_epoch; epoch < options.epochs; ++epoch) {
    reset_metrics();
    Logs epoch_begin_logs;
    cbs.each([&](callbacks::Callback& c) { c.on_epoch_begin(epoch, epoch_begin_logs); });
    batches.begin_epoch();
    Logs logs;
    bool more = true;
    for (int64_t step = 0; more; step += per_execution) {
      std::optional<Batch> batch = batches.next();
      if (!batch) break;
      if (!std::exchange(checked, true))
        saving::check_loaded_model_activations(*this, batch->x, 0, "fit");
      Logs batch_begin_logs;
      cbs.each([&](callbacks::Callback& c) { c.on_train_batch_begin(step, batch_begin_logs); });
      for (int64_t s = 0; batch && s < per_execution; ++s) {
        if (!options.class_weight.empty()) {
          if (batch->y.size() != 1)
            throw ValueError("fit: `class_weight` is only supported for single-output models");
          batch->sample_weight = class_weights_to_sample_weight(options.class_weight, batch->y[0],
                                                                batch->sample_weight);
        }
        logs = run_step(/*training=*/true, *batch);
        if (s + 1 < per_execution) batch = batches.next();
        more = batch.has_value();
      }
      int64_t end_step = step + per_execution - 1;
      cbs.each([&](callbacks::Callback& c) { c.on_train_batch_end(end_step, logs); });
      if (stop_training) break;
    }
    epoch_logs = logs;
    if (val && (epoch + 1) % options.validation_freq == 0) {
      // Keras's fit evaluates with its own callback list: on_test_* hooks fire during validation.
      Logs val_logs = test_loop(
          "fit (validation)", *this,
          [this](const Batch& b) { return run_step(/*training=*/false, b); }, *val, cbs);
      for (const auto& [k, v] : val_logs) epoch_logs["val_" + k] = v;
    }
    cbs.each([&](callbacks::Callback& c) { c.on_epoch_end(epoch, epoch_logs); });
    if (stop_training) break;
  }
  cbs.each([&](callbacks::Callback& c) { c.on_train_end(epoch_logs); });
  return history;
}

Logs Trainer::evaluate(const Tensor& x, const Tensor& y, EvaluateOptions options) {
  return evaluate(std::vector<Tensor>{x}, std::vector<Tensor>{y}, std::move(options));
}

Logs Trainer::evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                       EvaluateOptions options) {
  require_compiled("evaluate");
  int64_t batch_size = options.batch_size.value_or(32);
  if (batch_size <= 0)
    throw ValueError("evaluate: `batch_size` must be positive, got " + std::to_string(batch_size));
  num_samples("evaluate", x, y, options.sample_weight);
  TensorBatches batches =
      evaluation_batches("evaluate", x, y, options.sample_weight, batch_size, options.steps);
  return run_evaluate(batches, options);
}

Logs Trainer::evaluate(const data::Dataset& dataset, EvaluateOptions options) {
  require_compiled("evaluate");
  refuse_sample_weight("evaluate", options.sample_weight);
  DatasetBatches batches("evaluate", dataset, model_num_inputs(), num_outputs(*this),
                         /*targets=*/true, options.steps);
  return run_evaluate(batches, options);
}

Logs Trainer::run_evaluate(BatchSource& batches, const EvaluateOptions& options) {
  CallbackList cbs(this, options.callbacks, options.verbose,
                   callbacks::Params{1, batches.steps(), options.verbose}, nullptr);
  return test_loop(
      "evaluate", *this, [this](const Batch& b) { return run_step(/*training=*/false, b); },
      batches, cbs);
}

Tensor Trainer::predict(const Tensor& x, PredictOptions options) {
  std::vector<Tensor> out = predict(std::vector<Tensor>{x}, std::move(options));
  if (out.size() != 1)
    throw ValueError("predict: the model has " + std::to_string(out.size()) +
                     " outputs; call predict with a vector of inputs to get all of them");
  return out[0];
}

std::vector<Tensor> Trainer::predict(const std::vector<Tensor>& x, PredictOptions options) {
  int64_t batch_size = options.batch_size.value_or(32);
  if (batch_size <= 0)
    throw ValueError("predict: `batch_size` must be positive, got " + std::to_string(batch_size));
  int64_t n = num_samples("predict", x, {}, Tensor());
  TensorBatches batches(x, {}, Tensor(), batch_size,
                        options.steps.value_or(checked_int::ceil_div(n, batch_size)));
  return run_predict(batches, options);
}

std::vector<Tensor> Trainer::predict(const data::Dataset& dataset, PredictOptions options) {
  DatasetBatches batches("predict", dataset, model_num_inputs(), num_outputs(*this),
                         /*targets=*/false, options.steps);
  return run_predict(batches, options);
}

std::vector<Tensor> Trainer::run_predict(BatchSource& batches, const PredictOptions& options) {
  CallbackList cbs(this, options.callbacks, options.verbose,
                   callbacks::Params{1, batches.steps(), options.verbose}, nullptr);
  Logs no_logs;  // Keras passes {"outputs": ...} per batch; our Logs hold scalars only
  cbs.each([&](callbacks::Callback& c) { c.on_predict_begin(no_logs); });
  std::vector<std::vector<Tensor>> pieces;
  const int64_t per_execution = compiled() ? compile_options().steps_per_execution : 1;
  batches.begin_epoch();
  bool more = true;
  for (int64_t step = 0; more; step += per_execution) {
    std::optional<Batch> batch = batches.next();
    if (!batch) break;
    if (step == 0) saving::check_loaded_model_activations(*this, batch->x, 0, "predict");
    cbs.each([&](callbacks::Callback& c) { c.on_predict_batch_begin(step, no_logs); });
    for (int64_t s = 0; batch && s < per_execution; ++s) {
      std::vector<Tensor> out = run_predict_step(Batch{batch->x, {}, {}});
      if (pieces.empty()) pieces.resize(out.size());
      for (size_t i = 0; i < out.size(); ++i) pieces[i].push_back(out[i]);
      if (s + 1 < per_execution) batch = batches.next();
      more = batch.has_value();
    }
    int64_t end_step = step + per_execution - 1;
    cbs.each([&](callbacks::Callback& c) { c.on_predict_batch_end(end_step, no_logs); });
  }
  cbs.each([&](callbacks::Callback& c) { c.on_predict_end(no_logs); });
  std::vector<Tensor> result;
  for (auto& p : pieces) result.push_back(p.size() == 1 ? p[0] : ops::concatenate(p, 0));
  return result;
}

}  // namespace keras
