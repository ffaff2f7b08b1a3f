#include "keras/metrics/accuracy_metrics.hpp"

#include "keras/core/config.hpp"
#include "keras/losses/loss.hpp"
#include "keras/ops/ops.hpp"

namespace keras::metrics {

namespace {

MetricOptions named(MetricOptions o, const char* default_name) {
  if (o.name.empty()) o.name = default_name;
  return o;
}

Tensor hits(const Tensor& a, const Tensor& b) {
  return ops::cast(ops::equal(a, b), config::floatx());
}

}  // namespace

Tensor accuracy(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = losses::squeeze_or_expand_to_same_rank(ops::cast(y_true, y_pred.dtype()), y_pred);
  return hits(t, p);
}

Tensor binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold) {
  auto [t, p] = losses::squeeze_or_expand_to_same_rank(y_true, y_pred);
  return hits(t, ops::cast(ops::greater(p, threshold), t.dtype()));
}

Tensor categorical_accuracy(const Tensor& y_true, const Tensor& y_pred) {
  Tensor t = ops::cast(ops::argmax(y_true, -1), y_pred.dtype());
  Shape original = t.shape();
  bool reshape_matches = false;
  if (t.ndim() == y_pred.ndim()) {
    t = ops::squeeze(t, -1);
    reshape_matches = true;
  }
  Tensor p = ops::cast(ops::argmax(y_pred, -1), t.dtype());
  Tensor matches = hits(t, p);
  return reshape_matches ? ops::reshape(matches, original) : matches;
}

Tensor sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  Shape original = t.shape();
  bool reshape_matches = false;
  if (t.ndim() == y_pred.ndim() && t.ndim() > 0 && t.shape().back() == 1) {
    t = ops::squeeze(t, -1);
    reshape_matches = true;
  }
  Tensor p = ops::cast(ops::argmax(y_pred, -1), t.dtype());
  Tensor matches = hits(t, p);
  if (reshape_matches) matches = ops::reshape(matches, original);
  if (matches.ndim() > 1 && matches.shape().back() == 1) matches = ops::squeeze(matches, -1);
  return matches;
}

namespace {

Tensor in_top_k_flat(Tensor labels, Tensor y_pred, int64_t k, bool from_sorted_ids) {
  Shape original = labels.shape();
  bool reshape_matches = false;
  if (y_pred.ndim() > 2) y_pred = ops::reshape(y_pred, {-1, y_pred.shape().back()});
  if (labels.ndim() > 1) {
    reshape_matches = true;
    labels = ops::reshape(labels, {-1});
  }
  Tensor matches;
  if (from_sorted_ids) {
    int64_t kk = std::min<int64_t>(k, y_pred.shape()[1]);
    Tensor top = ops::slice(y_pred, {0, 0}, {y_pred.shape()[0], kk});
    matches = ops::any(ops::equal(ops::expand_dims(labels, 1), top), {.axis = 1});
  } else {
    matches = ops::in_top_k(ops::cast(labels, DType::Int32), y_pred, k);
  }
  matches = ops::cast(matches, config::floatx());
  return reshape_matches ? ops::reshape(matches, original) : matches;
}

}  // namespace

Tensor top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, int64_t k) {
  return in_top_k_flat(ops::argmax(y_true, -1), y_pred, k, false);
}

Tensor sparse_top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, int64_t k,
                                         bool from_sorted_ids) {
  Tensor t = ops::cast(y_true, from_sorted_ids ? y_pred.dtype() : DType::Int32);
  return in_top_k_flat(t, y_pred, k, from_sorted_ids);
}

Accuracy::Accuracy(MetricOptions o)
    : MeanMetricWrapper(accuracy, "accuracy", named(o, "accuracy")) {}

BinaryAccuracy::BinaryAccuracy(BinaryAccuracyOptions o)
    : MeanMetricWrapper(
          [t = o.threshold](const Tensor& a, const Tensor& b) { return binary_accuracy(a, b, t); },
          "binary_accuracy", named({o.name, o.dtype}, "binary_accuracy")),
      threshold_(o.threshold) {}

Config BinaryAccuracy::get_config() const {
  Config c = Metric::get_config();
  c["threshold"] = threshold_;
  return c;
}

CategoricalAccuracy::CategoricalAccuracy(MetricOptions o)
    : MeanMetricWrapper(categorical_accuracy, "categorical_accuracy",
                        named(o, "categorical_accuracy")) {}

SparseCategoricalAccuracy::SparseCategoricalAccuracy(MetricOptions o)
    : MeanMetricWrapper(sparse_categorical_accuracy, "sparse_categorical_accuracy",
                        named(o, "sparse_categorical_accuracy")) {}

TopKCategoricalAccuracy::TopKCategoricalAccuracy(TopKCategoricalAccuracyOptions o)
    : MeanMetricWrapper([k = o.k](const Tensor& a,
                                  const Tensor& b) { return top_k_categorical_accuracy(a, b, k); },
                        "top_k_categorical_accuracy",
                        named({o.name, o.dtype}, "top_k_categorical_accuracy")),
      k_(o.k) {}

Config TopKCategoricalAccuracy::get_config() const {
  Config c = Metric::get_config();
  c["k"] = k_;
  return c;
}

SparseTopKCategoricalAccuracy::SparseTopKCategoricalAccuracy(SparseTopKCategoricalAccuracyOptions o)
    : MeanMetricWrapper(
          [k = o.k, s = o.from_sorted_ids](const Tensor& a, const Tensor& b) {
            return sparse_top_k_categorical_accuracy(a, b, k, s);
          },
          "sparse_top_k_categorical_accuracy",
          named({o.name, o.dtype}, "sparse_top_k_categorical_accuracy")),
      k_(o.k),
      from_sorted_ids_(o.from_sorted_ids) {}

Config SparseTopKCategoricalAccuracy::get_config() const {
  Config c = Metric::get_config();
  c["k"] = k_;
  if (from_sorted_ids_) c["from_sorted_ids"] = true;
  return c;
}

}  // namespace keras::metrics
