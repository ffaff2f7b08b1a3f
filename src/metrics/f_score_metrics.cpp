#include "keras/metrics/f_score_metrics.hpp"

#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"
#include "keras/ops/ops.hpp"

namespace keras::metrics {

FBetaScore::FBetaScore(FBetaScoreOptions o)
    : Metric({o.name.empty() ? "fbeta_score" : o.name, o.dtype}),
      options_(o),
      built_(std::make_shared<Built>()) {
  if (o.average && *o.average != "micro" && *o.average != "macro" && *o.average != "weighted")
    throw ValueError(
        "FBetaScore: invalid `average` argument value. Expected one of: {None, 'micro', "
        "'macro', 'weighted'}. Received: average=" +
        *o.average);
  if (o.beta <= 0.0)
    throw ValueError(
        "FBetaScore: invalid `beta` argument value. It should be > 0. Received: beta=" +
        std::to_string(o.beta));
  if (o.threshold && (*o.threshold > 1.0 || *o.threshold <= 0.0))
    throw ValueError(
        "FBetaScore: invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
        "Received: threshold=" +
        std::to_string(*o.threshold));
}

void FBetaScore::update_state(const Tensor& y_true_in, const Tensor& y_pred_in,
                              const Tensor& sample_weight) {
  Tensor y_true = ops::cast(y_true_in, dtype());
  Tensor y_pred = ops::cast(y_pred_in, dtype());
  bool micro = options_.average && *options_.average == "micro";
  if (!built_->built) {
    if (y_true.ndim() != 2 || y_pred.ndim() != 2)
      throw ValueError(
          "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input "
          "shapes: y_pred.shape=" +
          y_pred.shape().to_string() + " and y_true.shape=" + y_true.shape().to_string() + ".");
    Shape s = micro ? Shape{} : Shape{y_pred.shape().back()};
    built_->true_positives = add_variable(s, "true_positives");
    built_->false_positives = add_variable(s, "false_positives");
    built_->false_negatives = add_variable(s, "false_negatives");
    built_->intermediate_weights = add_variable(s, "intermediate_weights");
    built_->built = true;
  }
  Tensor pred;
  if (!options_.threshold) {
    Tensor threshold = ops::max(y_pred, {.axis = -1, .keepdims = true});
    pred = ops::logical_and(y_pred >= threshold, ops::abs(y_pred) > 1e-9);
  } else {
    pred = y_pred > *options_.threshold;
  }
  pred = ops::cast(pred, dtype());
  Tensor w;
  if (sample_weight.defined()) {
    w = ops::cast(sample_weight, dtype());
    while (w.ndim() < y_true.ndim()) w = ops::expand_dims(w, -1);
  }
  ops::Axis axis = micro ? ops::Axis() : ops::Axis(0);
  auto weighted_sum = [&](const Tensor& v) {
    return ops::sum(w.defined() ? v * w : v, {.axis = axis});
  };
  Built& b = *built_;
  b.true_positives.assign(b.true_positives.value() + weighted_sum(pred * y_true));
  b.false_positives.assign(b.false_positives.value() + weighted_sum(pred * (1.0 - y_true)));
  b.false_negatives.assign(b.false_negatives.value() + weighted_sum((1.0 - pred) * y_true));
  b.intermediate_weights.assign(b.intermediate_weights.value() + weighted_sum(y_true));
}

Tensor FBetaScore::result() const {
  if (!built_->built) return ops::zeros({}, dtype());
  const Built& b = *built_;
  double eps = config::epsilon();
  Tensor tp = b.true_positives.value();
  Tensor precision = tp / (tp + b.false_positives.value() + eps);
  Tensor recall = tp / (tp + b.false_negatives.value() + eps);
  double beta2 = options_.beta * options_.beta;
  Tensor f = precision * recall / (beta2 * precision + recall + eps) * (1.0 + beta2);
  if (options_.average && *options_.average == "weighted") {
    Tensor iw = b.intermediate_weights.value();
    return ops::sum(f * (iw / (ops::sum(iw) + eps)));
  }
  if (options_.average) return ops::mean(f);
  return f;
}

Config FBetaScore::get_config() const {
  Config c = Metric::get_config();
  c["average"] = options_.average ? Config(*options_.average) : Config(nullptr);
  c["beta"] = options_.beta;
  c["threshold"] = options_.threshold ? Config(*options_.threshold) : Config(nullptr);
  return c;
}

F1Score::F1Score(F1ScoreOptions o)
    : FBetaScore({.average = o.average,
                  .beta = 1.0,
                  .threshold = o.threshold,
                  .name = o.name.empty() ? "f1_score" : o.name,
                  .dtype = o.dtype}) {}

Config F1Score::get_config() const {
  Config c = FBetaScore::get_config();
  c.erase("beta");
  return c;
}

}  // namespace keras::metrics
