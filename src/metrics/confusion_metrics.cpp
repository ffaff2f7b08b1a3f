#include "keras/metrics/confusion_metrics.hpp"

#include <algorithm>
#include <sstream>

#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"
#include "keras/ops/ops.hpp"
#include "keras/utils/naming.hpp"
#include "metrics/metrics_utils.hpp"

namespace keras::metrics {

namespace {

using detail::ConfusionUpdate;
using detail::ConfusionVariables;

std::vector<double> parse_init_thresholds(const std::optional<std::vector<double>>& thresholds,
                                          double default_threshold, const std::string& who) {
  if (!thresholds) return {default_threshold};
  for (double t : *thresholds)
    if (t < 0.0 || t > 1.0) {
      std::ostringstream msg;
      msg << who << ": threshold values must be in [0, 1]. Received: " << t;
      throw ValueError(msg.str());
    }
  return *thresholds;
}

Config thresholds_config(const std::optional<std::vector<double>>& t) {
  if (!t) return nullptr;
  if (t->size() == 1) return (*t)[0];
  return *t;
}

Config optional_int(const std::optional<int64_t>& v) { return v ? Config(*v) : Config(nullptr); }

Tensor scalar_if_one(const Tensor& x, size_t num_thresholds) {
  return num_thresholds == 1 ? detail::first(x) : x;
}

// x[begin:end] along axis 0.
Tensor rows(const Tensor& x, int64_t begin, int64_t end) {
  std::vector<int64_t> start(static_cast<size_t>(x.ndim()), 0);
  start[0] = begin;
  Shape s = x.shape();
  s[0] = end - begin;
  return ops::slice(x, start, s);
}

}  // namespace

// ---- counts ----

ConfusionMatrixConditionCount::ConfusionMatrixConditionCount(char condition,
                                                             ConfusionCountOptions o,
                                                             const char* default_name)
    : Metric({o.name.empty() ? auto_name(default_name) : o.name, o.dtype}),
      condition_(condition),
      init_thresholds_(o.thresholds),
      thresholds_(parse_init_thresholds(o.thresholds, 0.5, default_name)),
      evenly_(detail::is_evenly_distributed_thresholds(thresholds_)) {
  accumulator_ = add_variable({static_cast<int64_t>(thresholds_.size())}, "accumulator");
}

void ConfusionMatrixConditionCount::update_state(const Tensor& y_true, const Tensor& y_pred,
                                                 const Tensor& sample_weight) {
  ConfusionVariables vars;
  switch (condition_) {
    case 't':
      vars.true_positives = accumulator_;
      break;
    case 'f':
      vars.false_positives = accumulator_;
      break;
    case 'n':
      vars.true_negatives = accumulator_;
      break;
    default:
      vars.false_negatives = accumulator_;
      break;
  }
  detail::update_confusion_matrix_variables(
      vars, y_true, y_pred, sample_weight,
      {.thresholds = thresholds_, .thresholds_distributed_evenly = evenly_});
}

Tensor ConfusionMatrixConditionCount::result() const {
  return scalar_if_one(accumulator_.value(), thresholds_.size());
}

Config ConfusionMatrixConditionCount::get_config() const {
  Config c = Metric::get_config();
  c["thresholds"] = thresholds_config(init_thresholds_);
  return c;
}

TruePositives::TruePositives(ConfusionCountOptions o)
    : ConfusionMatrixConditionCount('t', std::move(o), "true_positives") {}
FalsePositives::FalsePositives(ConfusionCountOptions o)
    : ConfusionMatrixConditionCount('f', std::move(o), "false_positives") {}
TrueNegatives::TrueNegatives(ConfusionCountOptions o)
    : ConfusionMatrixConditionCount('n', std::move(o), "true_negatives") {}
FalseNegatives::FalseNegatives(ConfusionCountOptions o)
    : ConfusionMatrixConditionCount('m', std::move(o), "false_negatives") {}

// ---- Precision / Recall ----

namespace {

Config precision_recall_config(Config c, const PrecisionRecallOptions& o) {
  c["thresholds"] = thresholds_config(o.thresholds);
  c["top_k"] = optional_int(o.top_k);
  c["class_id"] = optional_int(o.class_id);
  return c;
}

}  // namespace

Precision::Precision(PrecisionRecallOptions o)
    : Metric({o.name.empty() ? auto_name("precision") : o.name, o.dtype}),
      options_(o),
      thresholds_(
          parse_init_thresholds(o.thresholds, o.top_k ? detail::kNegInf : 0.5, "Precision")),
      evenly_(detail::is_evenly_distributed_thresholds(thresholds_)) {
  Shape s{static_cast<int64_t>(thresholds_.size())};
  true_positives_ = add_variable(s, "true_positives");
  false_positives_ = add_variable(s, "false_positives");
}

void Precision::update_state(const Tensor& y_true, const Tensor& y_pred,
                             const Tensor& sample_weight) {
  ConfusionVariables vars;
  vars.true_positives = true_positives_;
  vars.false_positives = false_positives_;
  detail::update_confusion_matrix_variables(vars, y_true, y_pred, sample_weight,
                                            {.thresholds = thresholds_,
                                             .thresholds_distributed_evenly = evenly_,
                                             .top_k = options_.top_k,
                                             .class_id = options_.class_id});
}

Tensor Precision::result() const {
  Tensor tp = true_positives_.value();
  return scalar_if_one(ops::divide_no_nan(tp, tp + false_positives_.value()), thresholds_.size());
}

Config Precision::get_config() const {
  return precision_recall_config(Metric::get_config(), options_);
}

Recall::Recall(PrecisionRecallOptions o)
    : Metric({o.name.empty() ? auto_name("recall") : o.name, o.dtype}),
      options_(o),
      thresholds_(parse_init_thresholds(o.thresholds, o.top_k ? detail::kNegInf : 0.5, "Recall")),
      evenly_(detail::is_evenly_distributed_thresholds(thresholds_)) {
  Shape s{static_cast<int64_t>(thresholds_.size())};
  true_positives_ = add_variable(s, "true_positives");
  false_negatives_ = add_variable(s, "false_negatives");
}

void Recall::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  ConfusionVariables vars;
  vars.true_positives = true_positives_;
  vars.false_negatives = false_negatives_;
  detail::update_confusion_matrix_variables(vars, y_true, y_pred, sample_weight,
                                            {.thresholds = thresholds_,
                                             .thresholds_distributed_evenly = evenly_,
                                             .top_k = options_.top_k,
                                             .class_id = options_.class_id});
}

Tensor Recall::result() const {
  Tensor tp = true_positives_.value();
  return scalar_if_one(ops::divide_no_nan(tp, tp + false_negatives_.value()), thresholds_.size());
}

Config Recall::get_config() const {
  return precision_recall_config(Metric::get_config(), options_);
}

// ---- X at Y ----

SensitivitySpecificityBase::SensitivitySpecificityBase(std::string kind, const char* value_key,
                                                       AtValueOptions o)
    : Metric({o.name.empty() ? auto_name(kind) : o.name, o.dtype}),
      kind_(std::move(kind)),
      value_key_(value_key),
      options_(o) {
  if (o.value < 0.0 || o.value > 1.0)
    throw ValueError("Argument `" + std::string(value_key) + "` must be in the range [0, 1]. " +
                     "Received: " + value_key + "=" + std::to_string(o.value));
  if (o.num_thresholds <= 0)
    throw ValueError("Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=" +
                     std::to_string(o.num_thresholds));
  if (o.num_thresholds == 1) {
    thresholds_ = {0.5};
    evenly_ = false;
  } else {
    thresholds_.push_back(0.0);
    for (int64_t i = 0; i < o.num_thresholds - 2; ++i)
      thresholds_.push_back(static_cast<double>(i + 1) / static_cast<double>(o.num_thresholds - 1));
    thresholds_.push_back(1.0);
    evenly_ = true;
  }
  Shape s{static_cast<int64_t>(thresholds_.size())};
  true_positives_ = add_variable(s, "true_positives");
  false_positives_ = add_variable(s, "false_positives");
  true_negatives_ = add_variable(s, "true_negatives");
  false_negatives_ = add_variable(s, "false_negatives");
}

void SensitivitySpecificityBase::update_state(const Tensor& y_true, const Tensor& y_pred,
                                              const Tensor& sample_weight) {
  ConfusionVariables vars{true_positives_, false_positives_, true_negatives_, false_negatives_};
  detail::update_confusion_matrix_variables(vars, y_true, y_pred, sample_weight,
                                            {.thresholds = thresholds_,
                                             .thresholds_distributed_evenly = evenly_,
                                             .class_id = options_.class_id});
}

Tensor SensitivitySpecificityBase::result() const {
  Tensor tp = true_positives_.value(), fp = false_positives_.value();
  Tensor tn = true_negatives_.value(), fn = false_negatives_.value();
  Tensor sensitivity = ops::divide_no_nan(tp, tp + fn);  // = recall
  Tensor specificity = ops::divide_no_nan(tn, tn + fp);
  Tensor precision = ops::divide_no_nan(tp, tp + fp);
  Tensor constrained, dependent;
  if (kind_ == "sensitivity_at_specificity") {
    constrained = specificity, dependent = sensitivity;
  } else if (kind_ == "specificity_at_sensitivity") {
    constrained = sensitivity, dependent = specificity;
  } else if (kind_ == "precision_at_recall") {
    constrained = sensitivity, dependent = precision;
  } else {
    constrained = precision, dependent = sensitivity;
  }
  Tensor feasible = ops::greater_equal(constrained, options_.value);
  // max(where(feasible, dependent, 0), initial=0)
  return ops::maximum(ops::max(ops::where(feasible, dependent, ops::zeros({}, dependent.dtype()))),
                      0.0);
}

Config SensitivitySpecificityBase::get_config() const {
  Config c = Metric::get_config();
  c["class_id"] = optional_int(options_.class_id);
  c["num_thresholds"] = options_.num_thresholds;
  c[value_key_] = options_.value;
  return c;
}

SensitivityAtSpecificity::SensitivityAtSpecificity(AtValueOptions o)
    : SensitivitySpecificityBase("sensitivity_at_specificity", "specificity", std::move(o)) {}
SpecificityAtSensitivity::SpecificityAtSensitivity(AtValueOptions o)
    : SensitivitySpecificityBase("specificity_at_sensitivity", "sensitivity", std::move(o)) {}
PrecisionAtRecall::PrecisionAtRecall(AtValueOptions o)
    : SensitivitySpecificityBase("precision_at_recall", "recall", std::move(o)) {}
RecallAtPrecision::RecallAtPrecision(AtValueOptions o)
    : SensitivitySpecificityBase("recall_at_precision", "precision", std::move(o)) {}

// ---- AUC ----

AUC::AUC(AUCOptions o)
    : Metric({o.name.empty() ? auto_name("auc") : o.name, o.dtype}),
      options_(o),
      built_(std::make_shared<Built>()) {
  auto& curve = options_.curve;
  if (curve == "roc") curve = "ROC";
  if (curve == "pr") curve = "PR";
  if (curve == "prgain") curve = "PRGAIN";
  if (curve != "ROC" && curve != "PR" && curve != "PRGAIN")
    throw ValueError("AUC: invalid AUC curve value: \"" + o.curve +
                     "\". Expected values are [\"PR\", \"ROC\", \"PRGAIN\"]");
  auto& sm = options_.summation_method;
  if (sm == "Interpolation") sm = "interpolation";
  if (sm == "Majoring") sm = "majoring";
  if (sm == "Minoring") sm = "minoring";
  if (sm != "interpolation" && sm != "majoring" && sm != "minoring")
    throw ValueError("AUC: invalid AUC summation method value: \"" + o.summation_method +
                     "\". Expected values are [\"interpolation\", \"majoring\", \"minoring\"]");
  std::vector<double> inner;
  if (o.thresholds) {
    inner = *o.thresholds;
    std::sort(inner.begin(), inner.end());
    num_thresholds_ = static_cast<int64_t>(inner.size()) + 2;
    std::vector<double> all{0.0};
    all.insert(all.end(), inner.begin(), inner.end());
    all.push_back(1.0);
    evenly_ = detail::is_evenly_distributed_thresholds(all);
  } else {
    if (o.num_thresholds <= 1)
      throw ValueError(
          "AUC: argument `num_thresholds` must be an integer > 1. Received: "
          "num_thresholds=" +
          std::to_string(o.num_thresholds));
    num_thresholds_ = o.num_thresholds;
    for (int64_t i = 0; i < num_thresholds_ - 2; ++i)
      inner.push_back(static_cast<double>(i + 1) / static_cast<double>(num_thresholds_ - 1));
    evenly_ = true;
  }
  double eps = config::epsilon();
  thresholds_.push_back(0.0 - eps);
  thresholds_.insert(thresholds_.end(), inner.begin(), inner.end());
  thresholds_.push_back(1.0 + eps);
  if (o.label_weights)
    label_weights_ = ops::convert_to_tensor(*o.label_weights, {.dtype = dtype()});
  if (o.multi_label) {
    if (o.num_labels && *o.num_labels > 0) build(*o.num_labels);
  } else {
    if (o.num_labels && *o.num_labels > 0)
      throw ValueError("AUC: `num_labels` is needed only when `multi_label` is True.");
    build(0);
  }
}

void AUC::build(int64_t num_labels) {
  Shape s = options_.multi_label ? Shape{num_thresholds_, num_labels} : Shape{num_thresholds_};
  Built& b = *built_;
  b.true_positives = add_variable(s, "true_positives");
  b.false_positives = add_variable(s, "false_positives");
  b.true_negatives = add_variable(s, "true_negatives");
  b.false_negatives = add_variable(s, "false_negatives");
  b.built = true;
}

void AUC::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  if (!built_->built) {
    if (y_pred.ndim() != 2)
      throw ValueError("AUC: `y_pred` must have rank 2 when `multi_label=True`. Found rank " +
                       std::to_string(y_pred.ndim()) +
                       ". Full shape received for `y_pred`: " + y_pred.shape().to_string());
    build(y_pred.shape()[1]);
  }
  Tensor p = options_.from_logits ? ops::sigmoid(y_pred) : y_pred;
  const Built& b = *built_;
  ConfusionVariables vars{b.true_positives, b.false_positives, b.true_negatives, b.false_negatives};
  detail::update_confusion_matrix_variables(
      vars, y_true, p, sample_weight,
      {.thresholds = thresholds_,
       .thresholds_distributed_evenly = evenly_,
       .multi_label = options_.multi_label,
       .label_weights = options_.multi_label ? Tensor() : label_weights_});
}

Tensor AUC::aggregate(const Tensor& by_threshold) const {
  if (!options_.multi_label) return ops::sum(by_threshold);
  Tensor by_label = ops::sum(by_threshold, {.axis = 0});
  if (!label_weights_.defined()) return ops::mean(by_label);
  return ops::divide_no_nan(ops::sum(by_label * label_weights_), ops::sum(label_weights_));
}

Tensor AUC::interpolate_pr_auc() const {
  const Built& b = *built_;
  int64_t n = num_thresholds_;
  Tensor tp = b.true_positives.value(), fp = b.false_positives.value();
  Tensor fn = b.false_negatives.value();
  Tensor dtp = rows(tp, 0, n - 1) - rows(tp, 1, n);
  Tensor p = tp + fp;
  Tensor p_lo = rows(p, 0, n - 1), p_hi = rows(p, 1, n);
  Tensor dp = p_lo - p_hi;
  Tensor prec_slope = ops::divide_no_nan(dtp, ops::maximum(dp, 0.0));
  Tensor intercept = rows(tp, 1, n) - prec_slope * p_hi;
  Tensor safe_p_ratio =
      ops::where(ops::logical_and(p_lo > 0.0, p_hi > 0.0),
                 ops::divide_no_nan(p_lo, ops::maximum(p_hi, 0.0)), ops::ones_like(p_hi));
  Tensor increment = ops::divide_no_nan(prec_slope * (dtp + intercept * ops::log(safe_p_ratio)),
                                        ops::maximum(rows(tp, 1, n) + rows(fn, 1, n), 0.0));
  return aggregate(increment);
}

Tensor AUC::result() const {
  if (!built_->built) return ops::zeros({}, dtype());
  if (options_.curve == "PR" && options_.summation_method == "interpolation")
    return interpolate_pr_auc();
  const Built& b = *built_;
  Tensor tp = b.true_positives.value(), fp = b.false_positives.value();
  Tensor tn = b.true_negatives.value(), fn = b.false_negatives.value();
  Tensor recall = ops::divide_no_nan(tp, tp + fn);
  Tensor x, y;
  if (options_.curve == "ROC") {
    x = ops::divide_no_nan(fp, fp + tn);
    y = recall;
  } else if (options_.curve == "PR") {
    x = recall;
    y = ops::divide_no_nan(tp, tp + fp);
  } else {
    Tensor scaling = ops::divide_no_nan(tp + fn, tn + fp);
    Tensor recall_gain = 1.0 - scaling * ops::divide_no_nan(fn, tp);
    Tensor precision_gain = 1.0 - scaling * ops::divide_no_nan(fp, tp);
    Tensor no_tp = ops::equal(tp, 0.0);
    recall_gain = ops::where(no_tp, ops::zeros({}, tp.dtype()), recall_gain);
    precision_gain = ops::where(no_tp, ops::ones({}, tp.dtype()), precision_gain);
    x = ops::maximum(recall_gain, 0.0);
    y = precision_gain;
  }
  int64_t n = num_thresholds_;
  Tensor y_lo = rows(y, 0, n - 1), y_hi = rows(y, 1, n);
  Tensor heights = options_.summation_method == "interpolation" ? (y_lo + y_hi) / 2.0
                   : options_.summation_method == "minoring"    ? ops::minimum(y_lo, y_hi)
                                                                : ops::maximum(y_lo, y_hi);
  return aggregate((rows(x, 0, n - 1) - rows(x, 1, n)) * heights);
}

void AUC::reset_state() {
  if (built_->built) Metric::reset_state();
}

Config AUC::get_config() const {
  Config c = Metric::get_config();
  c["num_thresholds"] = num_thresholds_;
  c["curve"] = options_.curve;
  c["summation_method"] = options_.summation_method;
  c["multi_label"] = options_.multi_label;
  c["num_labels"] = optional_int(options_.num_labels);
  c["label_weights"] = options_.label_weights ? Config(*options_.label_weights) : Config(nullptr);
  c["from_logits"] = options_.from_logits;
  if (options_.thresholds) {
    c["thresholds"] = std::vector<double>(thresholds_.begin() + 1, thresholds_.end() - 1);
  }
  return c;
}

}  // namespace keras::metrics
