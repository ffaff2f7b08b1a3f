#include "keras/metrics/reduction_metrics.hpp"

#include <numeric>

#include "keras/losses/loss.hpp"
#include "keras/ops/ops.hpp"

namespace keras::metrics {

namespace {

std::vector<int64_t> axes_from(int first, int last) {
  std::vector<int64_t> axes(static_cast<size_t>(std::max(0, last - first)));
  std::iota(axes.begin(), axes.end(), first);
  return axes;
}

Tensor reduce(const Tensor& x, bool mean, std::vector<int64_t> axes) {
  return mean ? ops::mean(x, {.axis = axes}) : ops::sum(x, {.axis = axes});
}

}  // namespace

std::pair<Tensor, Tensor> reduce_to_samplewise_values(const Tensor& values,
                                                      const Tensor& sample_weight, bool mean,
                                                      DType dtype) {
  Tensor mask = values.keras_mask();
  Tensor v = ops::cast(values, dtype);
  Tensor w;
  if (sample_weight.defined()) {
    w = ops::cast(sample_weight, dtype);
    if (mask.defined()) w = losses::apply_mask(w, mask, dtype, "sum");
    std::tie(v, w) = losses::squeeze_or_expand_to_same_rank(v, w);
    int weight_ndim = w.ndim();
    int values_ndim = v.ndim();
    if (values_ndim > weight_ndim) v = reduce(v, mean, axes_from(weight_ndim, values_ndim));
    w = ops::broadcast_to(w, v.shape());
    v = v * w;
    if (weight_ndim > 1) w = reduce(w, mean, axes_from(1, weight_ndim));
  }
  if (v.ndim() > 1) v = reduce(v, mean, axes_from(1, v.ndim()));
  return {v, w};
}

// ---- Sum ----

Sum::Sum(MetricOptions options) : Metric(std::move(options)) {
  set_default_name("sum");
  total_ = add_variable({}, "total");
}

void Sum::update_state(const Tensor& values, const Tensor& sample_weight) {
  auto [v, w] = reduce_to_samplewise_values(values, sample_weight, false, dtype());
  total_.assign_add(ops::sum(v));
}

void Sum::update_state(const Tensor& values, const Tensor& sample_weight, const Tensor&) {
  update_state(values, sample_weight);
}

Tensor Sum::result() const { return ops::cast(total_.value(), dtype()); }

// ---- Mean ----

Mean::Mean(MetricOptions options) : Metric(std::move(options)) {
  set_default_name("mean");
  total_ = add_variable({}, "total");
  count_ = add_variable({}, "count");
}

void Mean::accumulate(const Tensor& values, const Tensor& sample_weight) {
  auto [v, w] = reduce_to_samplewise_values(values, sample_weight, true, dtype());
  total_.assign_add(ops::sum(v));
  if (w.defined()) {
    count_.assign_add(ops::cast(ops::sum(w), dtype()));
  } else {
    // The sample count is static: no device work beyond the add.
    double n = v.ndim() >= 1 ? static_cast<double>(v.shape()[0]) : 1.0;
    count_.assign_add(ops::full({}, n, dtype()));
  }
}

void Mean::update_state(const Tensor& values, const Tensor& sample_weight) {
  accumulate(values, sample_weight);
}

void Mean::update_state(const Tensor& values, const Tensor& sample_weight, const Tensor&) {
  accumulate(values, sample_weight);
}

Tensor Mean::result() const { return ops::divide_no_nan(total_.value(), count_.value()); }

// ---- MeanMetricWrapper ----

MeanMetricWrapper::MeanMetricWrapper(MetricFunction fn, std::string fn_name, MetricOptions options)
    : Mean(MetricOptions{options.name.empty() ? fn_name : options.name, options.dtype}),
      fn_(std::move(fn)),
      fn_name_(std::move(fn_name)) {
  if (!fn_) throw ValueError("MeanMetricWrapper: argument `fn` must be a callable, got none");
}

void MeanMetricWrapper::update_state(const Tensor& y_true, const Tensor& y_pred,
                                     const Tensor& sample_weight) {
  // A mask attached to y_pred by a masking-aware layer weights out the masked entries (Keras's
  // MeanMetricWrapper.update_state).
  Tensor w = sample_weight;
  Tensor mask = y_pred.keras_mask();
  if (mask.defined()) w = losses::apply_mask(w, mask, dtype(), "sum");
  accumulate(fn_(y_true, y_pred), w);
}

Config MeanMetricWrapper::get_config() const {
  Config c = Metric::get_config();
  Config fn = Config::object();
  fn["module"] = "keras.metrics";
  fn["class_name"] = "function";
  fn["config"] = fn_name_;
  fn["registered_name"] = fn_name_;
  c["fn"] = fn;
  return c;
}

}  // namespace keras::metrics
