// Trainer: the fit / evaluate / predict loops over in-memory arrays (Keras's ArrayDataAdapter).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/checked_int.hpp"
#include "keras/callbacks/history.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/seed_generator.hpp"
#include "keras/trainers/trainer.hpp"
#include "trainers/loaded_model_check.hpp"

namespace keras {
namespace {

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

// evaluate()'s loop, also run by fit for validation with fit's callbacks.
Logs test_loop(Trainer& model, const std::vector<Tensor>& x, const std::vector<Tensor>& y,
               const Tensor& sample_weight, int64_t batch_size, std::optional<int64_t> steps_opt,
               CallbackList& cbs) {
  int64_t n = x.empty() ? 0 : x[0].shape()[0];
  int64_t steps = steps_opt.value_or(checked_int::ceil_div(n, batch_size));
  if (n == 0 && steps > 0)
    throw ValueError("evaluate: the validation data has 0 samples but " + std::to_string(steps) +
                     " validation steps were asked for");
  model.reset_metrics();
  Logs begin_logs;
  cbs.each([&](callbacks::Callback& c) { c.on_test_begin(begin_logs); });
  Logs logs;
  const int64_t per_execution = model.compile_options().steps_per_execution;
  for (int64_t step = 0; step < steps; step += per_execution) {
    Logs batch_begin_logs;
    cbs.each([&](callbacks::Callback& c) { c.on_test_batch_begin(step, batch_begin_logs); });
    for (int64_t s = step; s < std::min(steps, step + per_execution); ++s) {
      auto [begin, end] = batch_rows(s, batch_size, n);
      Batch batch{rows(x, begin, end), rows(y, begin, end),
                  take_or_slice(sample_weight, Tensor(), begin, end)};
      logs = model.test_step(batch);
    }
    int64_t end_step = step + per_execution - 1;
    cbs.each([&](callbacks::Callback& c) { c.on_test_batch_end(end_step, logs); });
  }
  cbs.each([&](callbacks::Callback& c) { c.on_test_end(logs); });
  return logs;
}

}  // namespace

History Trainer::fit(const Tensor& x, const Tensor& y, FitOptions options) {
  return fit(std::vector<Tensor>{x}, std::vector<Tensor>{y}, std::move(options));
}

History Trainer::fit(const std::vector<Tensor>& x_all, const std::vector<Tensor>& y_all,
                     FitOptions options) {
  require_compiled("fit");
  int64_t batch_size = options.batch_size.value_or(32);
  if (batch_size <= 0)
    throw ValueError("fit: `batch_size` must be positive, got " + std::to_string(batch_size));
  if (options.epochs < 0) throw ValueError("fit: `epochs` must be >= 0");
  if (options.validation_split < 0 || options.validation_split >= 1)
    throw ValueError("fit: `validation_split` must be in [0, 1), got " +
                     std::to_string(options.validation_split));
  if (options.validation_freq < 1) throw ValueError("fit: `validation_freq` must be >= 1");
  int64_t n = num_samples("fit", x_all, y_all, options.sample_weight);

  // validation_split takes the last samples before any shuffling, as Keras does.
  std::vector<Tensor> x = x_all, y = y_all;
  Tensor sample_weight = options.sample_weight;
  std::optional<std::pair<std::vector<Tensor>, std::vector<Tensor>>> val = options.validation_data;
  if (!val && options.validation_split > 0) {
    int64_t split =
        static_cast<int64_t>(std::floor(static_cast<double>(n) * (1.0 - options.validation_split)));
    if (split <= 0 || split >= n)
      throw ValueError("fit: validation_split=" + std::to_string(options.validation_split) +
                       " leaves no training or no validation samples out of " + std::to_string(n));
    val = std::make_pair(rows(x_all, split, n), rows(y_all, split, n));
    x = rows(x_all, 0, split);
    y = rows(y_all, 0, split);
    if (sample_weight.defined()) sample_weight = rows({sample_weight}, 0, split)[0];
    n = split;
  }
  if (!options.class_weight.empty()) {
    if (y.size() != 1)
      throw ValueError("fit: `class_weight` is only supported for single-output models");
    sample_weight = class_weights_to_sample_weight(options.class_weight, y[0], sample_weight);
  }

  int64_t steps = options.steps_per_epoch.value_or(checked_int::ceil_div(n, batch_size));
  saving::check_loaded_model_activations(*this, x, std::min(batch_size, n), "fit");
  if (val) {
    int64_t val_n = val->first.empty() ? 0 : val->first[0].shape()[0];
    saving::check_loaded_model_activations(
        *this, val->first, std::min(options.validation_batch_size.value_or(batch_size), val_n),
        "fit (validation)");
  }
  History history;
  CallbackList cbs(this, options.callbacks, options.verbose,
                   callbacks::Params{options.epochs, steps, options.verbose}, &history);
  // Shuffling order: the given seed, else derived from keras::random::set_random_seed, else
  // nondeterministic (as Keras with no seed set). One generator shuffles epoch after epoch; a run
  // resumed at epoch k (initial_epoch, BackupAndRestore) first replays the shuffles of epochs
  // 0..k-1, so it sees exactly the batches of the uninterrupted run.
  uint64_t seed =
      options.seed ? *options.seed
      : random::get_random_seed()
          ? static_cast<uint64_t>(*random::get_random_seed()) * 0x9e3779b97f4a7c15ULL + 1
          : std::random_device{}();
  stop_training = false;
  Logs begin_logs;
  resume_epoch.reset();
  cbs.each([&](callbacks::Callback& c) { c.on_train_begin(begin_logs); });
  int initial_epoch = resume_epoch.value_or(options.initial_epoch);
  resume_epoch.reset();
  std::mt19937_64 rng(seed);
  // steps_per_execution (compile()): the batch callbacks see groups of that many steps, as in
  // Keras: begin with the group's first step, end with first + steps_per_execution - 1 and the
  // logs of its last step.
  const int64_t per_execution = compile_options().steps_per_execution;
  if (options.shuffle) {
    std::vector<int32_t> skipped(static_cast<size_t>(n));
    for (int epoch = 0; epoch < initial_epoch; ++epoch)
      std::shuffle(skipped.begin(), skipped.end(), rng);
  }
  Logs epoch_logs;
  for (int epoch = initial_epoch; epoch < options.epochs; ++epoch) {
    reset_metrics();
    Logs epoch_begin_logs;
    cbs.each([&](callbacks::Callback& c) { c.on_epoch_begin(epoch, epoch_begin_logs); });
    std::vector<int32_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    if (options.shuffle) std::shuffle(order.begin(), order.end(), rng);
    Logs logs;
    for (int64_t step = 0; step < steps; step += per_execution) {
      Logs batch_begin_logs;
      cbs.each([&](callbacks::Callback& c) { c.on_train_batch_begin(step, batch_begin_logs); });
      for (int64_t s = step; s < std::min(steps, step + per_execution); ++s) {
        auto [begin, end] = batch_rows(s, batch_size, n);
        Batch batch;
        Tensor idx;
        if (options.shuffle) {
          idx = ops::convert_to_tensor(
              std::vector<int32_t>(order.begin() + begin, order.begin() + end),
              {.backend = std::string(x[0].backend_name())});
          batch.x = gather_rows(x, idx);
          batch.y = gather_rows(y, idx);
        } else {
          batch.x = rows(x, begin, end);
          batch.y = rows(y, begin, end);
        }
        batch.sample_weight = take_or_slice(sample_weight, idx, begin, end);
        logs = train_step(batch);
      }
      int64_t end_step = step + per_execution - 1;
      cbs.each([&](callbacks::Callback& c) { c.on_train_batch_end(end_step, logs); });
      if (stop_training) break;
    }
    epoch_logs = logs;
    if (val && (epoch + 1) % options.validation_freq == 0) {
      // Keras's fit evaluates with its own callback list: on_test_* hooks fire during validation.
      int64_t val_batch = options.validation_batch_size.value_or(batch_size);
      Logs val_logs = test_loop(*this, val->first, val->second, Tensor(), val_batch,
                                options.validation_steps, cbs);
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
  int64_t n = num_samples("evaluate", x, y, options.sample_weight);
  int64_t steps = options.steps.value_or(checked_int::ceil_div(n, batch_size));
  saving::check_loaded_model_activations(*this, x, std::min(batch_size, n), "evaluate");
  CallbackList cbs(this, options.callbacks, options.verbose,
                   callbacks::Params{1, steps, options.verbose}, nullptr);
  return test_loop(*this, x, y, options.sample_weight, batch_size, steps, cbs);
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
  int64_t steps = options.steps.value_or(checked_int::ceil_div(n, batch_size));
  saving::check_loaded_model_activations(*this, x, std::min(batch_size, n), "predict");
  CallbackList cbs(this, options.callbacks, options.verbose,
                   callbacks::Params{1, steps, options.verbose}, nullptr);
  Logs no_logs;  // Keras passes {"outputs": ...} per batch; our Logs hold scalars only
  cbs.each([&](callbacks::Callback& c) { c.on_predict_begin(no_logs); });
  std::vector<std::vector<Tensor>> pieces;
  const int64_t per_execution = compiled() ? compile_options().steps_per_execution : 1;
  for (int64_t step = 0; step < steps; step += per_execution) {
    cbs.each([&](callbacks::Callback& c) { c.on_predict_batch_begin(step, no_logs); });
    for (int64_t s = step; s < std::min(steps, step + per_execution); ++s) {
      auto [begin, end] = batch_rows(s, batch_size, n);
      std::vector<Tensor> out = run_predict_step(Batch{rows(x, begin, end), {}, {}});
      if (pieces.empty()) pieces.resize(out.size());
      for (size_t i = 0; i < out.size(); ++i) pieces[i].push_back(out[i]);
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
