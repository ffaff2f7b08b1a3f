#include "metrics/metrics_utils.hpp"

#include <cmath>

#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"
#include "keras/losses/loss.hpp"
#include "keras/ops/ops.hpp"

namespace keras::metrics::detail {

namespace {

void add_to(Variable v, const Tensor& delta) {  // a handle: the copy shares the slot
  if (v.defined()) v.assign(v.value() + ops::cast(delta, v.dtype()));
}

// Keeps the top k predictions of each row and sets the rest to a large negative number.
Tensor filter_top_k(const Tensor& x, int64_t k) {
  auto [values, indices] = ops::top_k(x, k);
  Tensor mask = ops::sum(ops::one_hot(indices, x.shape().back(), -1, x.dtype()), {.axis = -2});
  return x * mask + kNegInf * (1.0 - mask);
}

Tensor reversed_cumsum(const Tensor& x, int64_t axis) {
  return ops::flip(ops::cumsum(ops::flip(x, axis), axis), axis);
}

// Thresholds evenly spread over [0, 1]: every prediction falls in one bucket, and the counts above
// each threshold are reversed cumulative sums of the bucket counts (O(N + T) instead of O(N T)).
void update_evenly_distributed(const ConfusionVariables& vars, Tensor y_true, Tensor y_pred,
                               Tensor sample_weight, const ConfusionUpdate& o,
                               bool thresholds_with_epsilon) {
  int64_t num_thresholds = static_cast<int64_t>(o.thresholds.size());
  DType dt = y_pred.dtype();
  Tensor weights = ops::ones({}, dt);
  if (sample_weight.defined()) {
    weights = ops::broadcast_to(ops::cast(sample_weight, dt), y_pred.shape());
  }
  if (o.label_weights.defined()) {
    weights = weights * ops::broadcast_to(ops::expand_dims(ops::cast(o.label_weights, dt), 0),
                                          y_pred.shape());
  }
  weights = ops::broadcast_to(weights, y_pred.shape());
  y_pred = ops::clip(y_pred, 0.0, 1.0);
  y_true = ops::cast(ops::cast(y_true, DType::Bool), dt);
  if (!o.multi_label) {
    y_true = ops::reshape(y_true, {-1});
    y_pred = ops::reshape(y_pred, {-1});
    weights = ops::reshape(weights, {-1});
  }
  Tensor true_labels = y_true * weights;
  Tensor false_labels = (1.0 - y_true) * weights;
  Tensor buckets = ops::ceil(y_pred * static_cast<double>(num_thresholds - 1)) - 1.0;
  if (thresholds_with_epsilon) buckets = ops::relu(buckets);
  // A prediction of exactly 0 without the epsilon thresholds lands in bucket -1, which Keras's
  // segment_sum drops: zero its weight and park it in bucket 0.
  Tensor valid = ops::cast(ops::greater_equal(buckets, 0.0), dt);
  true_labels = true_labels * valid;
  false_labels = false_labels * valid;
  Tensor ids = ops::cast(ops::relu(buckets), DType::Int32);
  Tensor tp, fp, total_true, total_false;
  if (o.multi_label) {
    // (N, L): segment ids offset per label, so one segment_sum fills a (L, T) table.
    int64_t num_labels = y_pred.shape()[1];
    Tensor offsets = ops::expand_dims(
        ops::arange(0, num_labels, 1, DType::Int32) * static_cast<int>(num_thresholds), 0);
    Tensor flat_ids = ops::reshape(ops::transpose(ids + offsets), {-1});
    Tensor tb = ops::reshape(ops::segment_sum(ops::reshape(ops::transpose(true_labels), {-1}),
                                              flat_ids, num_labels * num_thresholds),
                             {num_labels, num_thresholds});
    Tensor fb = ops::reshape(ops::segment_sum(ops::reshape(ops::transpose(false_labels), {-1}),
                                              flat_ids, num_labels * num_thresholds),
                             {num_labels, num_thresholds});
    tp = ops::transpose(reversed_cumsum(tb, 1));
    fp = ops::transpose(reversed_cumsum(fb, 1));
    total_true = ops::sum(true_labels, {.axis = 0});
    total_false = ops::sum(false_labels, {.axis = 0});
  } else {
    tp = reversed_cumsum(ops::segment_sum(true_labels, ids, num_thresholds), 0);
    fp = reversed_cumsum(ops::segment_sum(false_labels, ids, num_thresholds), 0);
    total_true = ops::sum(true_labels);
    total_false = ops::sum(false_labels);
  }
  add_to(vars.true_positives, tp);
  add_to(vars.false_positives, fp);
  if (vars.true_negatives.defined()) add_to(vars.true_negatives, total_false - fp);
  if (vars.false_negatives.defined()) add_to(vars.false_negatives, total_true - tp);
}

}  // namespace

Tensor first(const Tensor& x) { return ops::reshape(ops::slice(x, {0}, {1}), Shape{}); }

bool is_evenly_distributed_thresholds(const std::vector<double>& thresholds) {
  size_t n = thresholds.size();
  if (n < 3) return false;
  double eps = config::epsilon();
  for (size_t i = 0; i < n; ++i) {
    double even = static_cast<double>(static_cast<float>(i) / static_cast<float>(n - 1));
    if (std::abs(thresholds[i] - even) > eps + 1e-5 * std::abs(even)) return false;
  }
  return true;
}

void update_confusion_matrix_variables(const ConfusionVariables& vars, const Tensor& y_true_in,
                                       const Tensor& y_pred_in, const Tensor& sample_weight_in,
                                       const ConfusionUpdate& o) {
  DType dt = vars.true_positives.defined()    ? vars.true_positives.dtype()
             : vars.false_positives.defined() ? vars.false_positives.dtype()
             : vars.true_negatives.defined()  ? vars.true_negatives.dtype()
                                              : vars.false_negatives.dtype();
  Tensor y_true = ops::cast(y_true_in, dt);
  Tensor y_pred = ops::cast(y_pred_in, dt);
  std::tie(y_pred, y_true) = losses::squeeze_or_expand_to_same_rank(y_pred, y_true);
  Tensor sample_weight;
  if (sample_weight_in.defined()) {
    sample_weight = ops::expand_dims(ops::cast(sample_weight_in, dt), -1);
    sample_weight = losses::squeeze_or_expand_to_same_rank(y_true, sample_weight, false).second;
  }
  if (o.top_k) y_pred = filter_top_k(y_pred, *o.top_k);
  if (o.class_id) {
    if (y_pred.ndim() == 1)
      throw ValueError(
          "When class_id is provided, y_pred must be a 2D array with shape (num_samples, "
          "num_classes), found shape: " +
          y_pred.shape().to_string());
    auto column = [&](const Tensor& x) {
      std::vector<int64_t> start(static_cast<size_t>(x.ndim()), 0);
      start.back() = *o.class_id;
      Shape s = x.shape();
      s.back() = 1;
      return ops::slice(x, start, s);
    };
    y_true = column(y_true);
    y_pred = column(y_pred);
  }
  if (o.thresholds_distributed_evenly) {
    bool with_epsilon = o.thresholds.front() < 0.0 || o.thresholds.back() > 1.0;
    update_evenly_distributed(vars, y_true, y_pred, sample_weight, o, with_epsilon);
    return;
  }
  int64_t num_thresholds = static_cast<int64_t>(o.thresholds.size());
  Tensor thresholds = ops::convert_to_tensor(o.thresholds, {.dtype = dt});
  Tensor weights;
  if (sample_weight.defined()) weights = ops::broadcast_to(sample_weight, y_pred.shape());
  if (o.label_weights.defined() && !o.multi_label) {
    Tensor lw =
        ops::broadcast_to(ops::expand_dims(ops::cast(o.label_weights, dt), 0), y_pred.shape());
    weights = weights.defined() ? weights * lw : lw;
  }
  // (T, N) for single-label data, (T, N, L) for multi-label: prediction above each threshold.
  Tensor preds, labels, w;
  Tensor thr;
  if (o.multi_label) {
    preds = ops::expand_dims(y_pred, 0);
    labels = ops::expand_dims(ops::cast(y_true, DType::Bool), 0);
    thr = ops::reshape(thresholds, {num_thresholds, 1, 1});
    if (weights.defined()) w = ops::expand_dims(weights, 0);
  } else {
    preds = ops::reshape(y_pred, {1, -1});
    labels = ops::reshape(ops::cast(y_true, DType::Bool), {1, -1});
    thr = ops::reshape(thresholds, {num_thresholds, 1});
    if (weights.defined()) w = ops::reshape(weights, {1, -1});
  }
  Tensor pred_is_pos = ops::greater(preds, thr);
  Tensor pred_is_neg = ops::logical_not(pred_is_pos);
  Tensor label_is_neg = ops::logical_not(labels);
  auto count = [&](const Tensor& label, const Tensor& pred) {
    Tensor both = ops::logical_and(label, pred);
    Tensor v = w.defined() ? ops::where(both, w, ops::zeros({}, dt)) : ops::cast(both, dt);
    return ops::sum(v, {.axis = 1});
  };
  if (vars.true_positives.defined()) add_to(vars.true_positives, count(labels, pred_is_pos));
  if (vars.false_negatives.defined()) add_to(vars.false_negatives, count(labels, pred_is_neg));
  if (vars.false_positives.defined())
    add_to(vars.false_positives, count(label_is_neg, pred_is_pos));
  if (vars.true_negatives.defined()) add_to(vars.true_negatives, count(label_is_neg, pred_is_neg));
}

Tensor confusion_matrix(const Tensor& labels_in, const Tensor& predictions_in, int64_t num_classes,
                        const Tensor& weights, DType dtype) {
  auto [labels, predictions] = losses::squeeze_or_expand_to_same_rank(
      ops::cast(labels_in, dtype), ops::cast(predictions_in, dtype));
  Tensor indices = ops::cast(ops::stack({labels, predictions}, 1), DType::Int64);
  Tensor values =
      weights.defined() ? ops::cast(weights, dtype) : ops::ones_like(predictions, dtype);
  return ops::scatter(indices, values, {num_classes, num_classes});
}

}  // namespace keras::metrics::detail
