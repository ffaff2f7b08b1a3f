#include "keras/metrics/regression_metrics.hpp"

#include "keras/core/errors.hpp"
#include "keras/losses/losses.hpp"
#include "keras/ops/ops.hpp"
#include "losses/crossentropy_fields.hpp"
#include "serialization/config_fields.hpp"

namespace keras::metrics {

namespace {

MetricOptions named(MetricOptions o, const char* default_name) {
  if (o.name.empty()) o.name = default_name;
  return o;
}

}  // namespace

#define KERAS_METRICS_DEFINE_MEAN_OF(Class, default_name, fn) \
  Class::Class(MetricOptions o) : MeanMetricWrapper(losses::fn, #fn, named(o, default_name)) {}

KERAS_METRICS_DEFINE_MEAN_OF(MeanSquaredError, "mean_squared_error", mean_squared_error)
KERAS_METRICS_DEFINE_MEAN_OF(MeanAbsoluteError, "mean_absolute_error", mean_absolute_error)
KERAS_METRICS_DEFINE_MEAN_OF(MeanAbsolutePercentageError, "mean_absolute_percentage_error",
                             mean_absolute_percentage_error)
KERAS_METRICS_DEFINE_MEAN_OF(MeanSquaredLogarithmicError, "mean_squared_logarithmic_error",
                             mean_squared_logarithmic_error)
KERAS_METRICS_DEFINE_MEAN_OF(LogCoshError, "logcosh", log_cosh)
KERAS_METRICS_DEFINE_MEAN_OF(KLDivergence, "kl_divergence", kl_divergence)
KERAS_METRICS_DEFINE_MEAN_OF(Poisson, "poisson", poisson)
KERAS_METRICS_DEFINE_MEAN_OF(Hinge, "hinge", hinge)
KERAS_METRICS_DEFINE_MEAN_OF(SquaredHinge, "squared_hinge", squared_hinge)
KERAS_METRICS_DEFINE_MEAN_OF(CategoricalHinge, "categorical_hinge", categorical_hinge)
#undef KERAS_METRICS_DEFINE_MEAN_OF

Tensor cosine_similarity(const Tensor& y_true, const Tensor& y_pred, int64_t axis) {
  return -losses::cosine_similarity(y_true, y_pred, axis);
}

CosineSimilarity::CosineSimilarity(CosineSimilarityOptions o)
    : MeanMetricWrapper([axis = o.axis](const Tensor& a,
                                        const Tensor& b) { return cosine_similarity(a, b, axis); },
                        "cosine_similarity", named({o.name, o.dtype}, "cosine_similarity")) {}

// ---- RootMeanSquaredError ----

RootMeanSquaredError::RootMeanSquaredError(MetricOptions o)
    : Mean(named(o, "root_mean_squared_error")) {}

void RootMeanSquaredError::update_state(const Tensor& y_true, const Tensor& y_pred,
                                        const Tensor& sample_weight) {
  auto [t, p] = losses::squeeze_or_expand_to_same_rank(ops::cast(y_true, dtype()),
                                                       ops::cast(y_pred, dtype()));
  accumulate(ops::square(p - t), sample_weight);
}

Tensor RootMeanSquaredError::result() const { return ops::sqrt(Mean::result()); }

// ---- R2Score ----

R2Score::R2Score(R2ScoreOptions o)
    : Metric({o.name.empty() ? "r2_score" : o.name, o.dtype}),
      class_aggregation_(o.class_aggregation),
      num_regressors_(o.num_regressors),
      built_(std::make_shared<Built>()) {
  if (class_aggregation_ && *class_aggregation_ != "uniform_average" &&
      *class_aggregation_ != "variance_weighted_average")
    throw ValueError(
        "R2Score: invalid value for argument `class_aggregation`. Expected one of (None, "
        "'uniform_average', 'variance_weighted_average'). Received: class_aggregation=" +
        *class_aggregation_);
  if (num_regressors_ < 0)
    throw ValueError(
        "R2Score: invalid value for argument `num_regressors`. Expected a value >= 0. "
        "Received: num_regressors=" +
        std::to_string(num_regressors_));
  num_samples_ = add_variable({}, "num_samples");
}

void R2Score::update_state(const Tensor& y_true, const Tensor& y_pred,
                           const Tensor& sample_weight) {
  auto [t, p] = losses::squeeze_or_expand_to_same_rank(ops::cast(y_true, dtype()),
                                                       ops::cast(y_pred, dtype()));
  if (!built_->built) {
    if (t.ndim() != 2 || p.ndim() != 2)
      throw ValueError(
          "R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
          "shapes: y_pred.shape=" +
          p.shape().to_string() + " and y_true.shape=" + t.shape().to_string() + ".");
    Shape s{p.shape().back()};
    built_->squared_sum = add_variable(s, "squared_sum");
    built_->sum = add_variable(s, "sum");
    built_->total_mse = add_variable(s, "residual");
    built_->count = add_variable(s, "count");
    built_->built = true;
  }
  Tensor w = sample_weight.defined() ? ops::cast(sample_weight, dtype()) : ops::ones({}, dtype());
  if (w.ndim() == 1) w = ops::expand_dims(w, 1);
  w = ops::broadcast_to(w, t.shape());
  Tensor weighted = t * w;
  Built& b = *built_;
  b.sum.assign(b.sum.value() + ops::sum(weighted, {.axis = 0}));
  b.squared_sum.assign(b.squared_sum.value() + ops::sum(t * weighted, {.axis = 0}));
  b.total_mse.assign(b.total_mse.value() + ops::sum(ops::square(t - p) * w, {.axis = 0}));
  b.count.assign(b.count.value() + ops::sum(w, {.axis = 0}));
  Tensor nonzero = ops::any(ops::not_equal(w, 0.0), {.axis = -1});
  num_samples_.assign_add(ops::sum(ops::cast(nonzero, dtype())));
}

Tensor R2Score::result() const {
  if (!built_->built) return ops::zeros({}, dtype());
  const Built& b = *built_;
  Tensor mean = b.sum.value() / b.count.value();
  Tensor total = b.squared_sum.value() - b.sum.value() * mean;
  Tensor raw = 1.0 - b.total_mse.value() / total;
  raw = ops::where(ops::isinf(raw), ops::zeros({}, raw.dtype()), raw);
  Tensor r2;
  if (!class_aggregation_) {
    r2 = raw;
  } else if (*class_aggregation_ == "uniform_average") {
    r2 = ops::mean(raw);
  } else {
    r2 = ops::sum(total * raw) / ops::sum(total);
  }
  if (num_regressors_ != 0) {
    // Adjusted R2 needs the sample count on the host (result() may synchronize).
    double n = num_samples_.value().item<double>();
    double p = static_cast<double>(num_regressors_);
    if (p < n - 1) r2 = 1.0 - (1.0 - r2) * (n - 1.0) / (n - p - 1.0);
  }
  return r2;
}

void R2Score::reset_state() { Metric::reset_state(); }

Config R2Score::get_config() const {
  Config c = Metric::get_config();
  c["class_aggregation"] = class_aggregation_ ? Config(*class_aggregation_) : Config(nullptr);
  c["num_regressors"] = num_regressors_;
  return c;
}

// ---- probabilistic ----

BinaryCrossentropy::BinaryCrossentropy(BinaryCrossentropyOptions o)
    : MeanMetricWrapper(
          [o](const Tensor& a, const Tensor& b) {
            return losses::binary_crossentropy(a, b, o.from_logits, o.label_smoothing);
          },
          "binary_crossentropy", named({o.name, o.dtype}, "binary_crossentropy")),
      options_(o) {}

Config BinaryCrossentropy::get_config() const {
  return saving::write_fields(Metric::get_config(), options_, keras::detail::kCrossentropyFields);
}

CategoricalCrossentropy::CategoricalCrossentropy(CategoricalCrossentropyOptions o)
    : MeanMetricWrapper(
          [o](const Tensor& a, const Tensor& b) {
            return losses::categorical_crossentropy(a, b, o.from_logits, o.label_smoothing, o.axis);
          },
          "categorical_crossentropy", named({o.name, o.dtype}, "categorical_crossentropy")),
      options_(o) {}

Config CategoricalCrossentropy::get_config() const {
  return saving::write_fields(Metric::get_config(), options_, keras::detail::kCrossentropyFields);
}

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions o)
    : MeanMetricWrapper(
          [o](const Tensor& a, const Tensor& b) {
            return losses::sparse_categorical_crossentropy(a, b, o.from_logits, o.ignore_class,
                                                           o.axis);
          },
          "sparse_categorical_crossentropy",
          named({o.name, o.dtype}, "sparse_categorical_crossentropy")),
      options_(o) {}

Config SparseCategoricalCrossentropy::get_config() const {
  return saving::write_fields(Metric::get_config(), options_, keras::detail::kCrossentropyFields);
}

}  // namespace keras::metrics
