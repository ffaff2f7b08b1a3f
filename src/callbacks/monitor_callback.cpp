#include "keras/callbacks/monitor_callback.hpp"

#include <cmath>
#include <set>

#include "keras/core/errors.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/trainers/trainer.hpp"

namespace keras::callbacks {
namespace {

// Keras's Metric._direction, by class.
const std::set<std::string>& metrics_that_go_up() {
  static const std::set<std::string> names = {"Accuracy",
                                              "BinaryAccuracy",
                                              "CategoricalAccuracy",
                                              "SparseCategoricalAccuracy",
                                              "TopKCategoricalAccuracy",
                                              "SparseTopKCategoricalAccuracy",
                                              "Precision",
                                              "Recall",
                                              "SensitivityAtSpecificity",
                                              "SpecificityAtSensitivity",
                                              "PrecisionAtRecall",
                                              "RecallAtPrecision",
                                              "AUC",
                                              "PearsonCorrelation",
                                              "ConcordanceCorrelation",
                                              "FBetaScore",
                                              "F1Score",
                                              "IoU",
                                              "BinaryIoU",
                                              "MeanIoU",
                                              "OneHotIoU",
                                              "OneHotMeanIoU",
                                              "CosineSimilarity",
                                              "R2Score"};
  return names;
}

const std::set<std::string>& metrics_that_go_down() {
  static const std::set<std::string> names = {"Hinge",
                                              "SquaredHinge",
                                              "CategoricalHinge",
                                              "BinaryCrossentropy",
                                              "CategoricalCrossentropy",
                                              "SparseCategoricalCrossentropy",
                                              "KLDivergence",
                                              "Poisson",
                                              "MeanSquaredError",
                                              "MeanAbsoluteError",
                                              "MeanAbsolutePercentageError",
                                              "MeanSquaredLogarithmicError",
                                              "RootMeanSquaredError",
                                              "LogCoshError"};
  return names;
}

}  // namespace

MonitorCallback::MonitorCallback(std::string callback_name, std::string monitor, std::string mode,
                                 std::optional<double> baseline, double min_delta)
    : best_(baseline),
      callback_name_(std::move(callback_name)),
      monitor_(std::move(monitor)),
      mode_(std::move(mode)),
      min_delta_(std::fabs(min_delta)) {
  if (mode_ != "auto" && mode_ != "min" && mode_ != "max")
    throw ValueError(callback_name_ + ": `mode` must be one of \"auto\", \"min\", \"max\"; got \"" +
                     mode_ + "\"");
  if (monitor_.empty()) throw ValueError(callback_name_ + ": `monitor` must not be empty");
}

void MonitorCallback::set_monitor_op() {
  if (mode_ == "min") {
    op_ = Op::kLess;
  } else if (mode_ == "max") {
    op_ = Op::kGreater;
  } else {
    std::string metric_name = monitor_;
    if (metric_name.rfind("val_", 0) == 0) metric_name.erase(0, 4);
    if (metric_name == "loss") op_ = Op::kLess;
    if (model()) {
      for (const auto& m : model()->metrics()) {
        if (!m || m->name() != metric_name) continue;
        std::string cls = m->class_name();
        if (metrics_that_go_up().count(cls))
          op_ = Op::kGreater;
        else if (metrics_that_go_down().count(cls))
          op_ = Op::kLess;
      }
    }
    if (op_ == Op::kUnset)
      throw ValueError(callback_name_ + " callback received monitor=" + monitor_ +
                       ", but Keras isn't able to automatically determine whether that metric "
                       "should be maximized or minimized. Pass `mode='max'` in order to monitor "
                       "based on the highest metric value, or pass `mode='min'` in order to use "
                       "the lowest value.");
  }
}

bool MonitorCallback::is_improvement(double value, const std::optional<double>& reference) const {
  if (!reference) return true;
  // Keras negates min_delta for "less": value + |min_delta| < reference.
  if (op_ == Op::kLess) return value + min_delta_ < *reference;
  return value - min_delta_ > *reference;
}

}  // namespace keras::callbacks
