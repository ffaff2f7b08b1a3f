#pragma once
// Finding metrics by name and (de)serializing them (keras/src/metrics/__init__.py), and the
// choices compile() makes for "accuracy" (keras/src/trainers/compile_utils.py get_metric).
#include <memory>
#include <string>

#include "keras/core/shape.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/serialization/config.hpp"

namespace keras::metrics {

// keras.metrics.get: class names ("AUC"), their snake_case forms ("auc", "binary_accuracy") and
// the aliases mse/mae/mape/msle/bce (and upper-case forms) give that class with its defaults.
std::shared_ptr<Metric> get(const std::string& identifier);
inline std::shared_ptr<Metric> get(const char* identifier) { return get(std::string(identifier)); }
std::shared_ptr<Metric> get(const Config& identifier);

// {"module": "keras.metrics", "class_name": ..., "config": get_config(), "registered_name": ...}
Config serialize(const Metric& metric);
std::shared_ptr<Metric> deserialize(const Config& config);

// The accuracy class compile() picks for "accuracy"/"acc": BinaryAccuracy when y_pred has one
// output unit, SparseCategoricalAccuracy when y_true has lower rank or a last axis of 1 (and
// y_pred more than one unit), else CategoricalAccuracy. The metric is named `name`.
std::shared_ptr<Metric> resolve_accuracy(const Shape& y_true_shape, const Shape& y_pred_shape,
                                         const std::string& name = "accuracy");

// compile()'s get_metric: "accuracy"/"acc" (any case) through resolve_accuracy, else get();
// the metric is renamed to the identifier.
std::shared_ptr<Metric> get_compile_metric(const std::string& identifier, const Shape& y_true_shape,
                                           const Shape& y_pred_shape);

}  // namespace keras::metrics
