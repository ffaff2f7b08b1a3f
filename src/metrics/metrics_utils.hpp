#pragma once
// Confusion-matrix accumulation shared by the confusion metrics (keras/src/metrics/
// metrics_utils.py update_confusion_matrix_variables and confusion_matrix).
#include <optional>
#include <vector>

#include "keras/core/tensor.hpp"
#include "keras/core/variable.hpp"

namespace keras::metrics::detail {

inline constexpr double kNegInf = -1e10;

// Undefined variables are not updated.
struct ConfusionVariables {
  Variable true_positives, false_positives, true_negatives, false_negatives;
};

struct ConfusionUpdate {
  std::vector<double> thresholds;
  bool thresholds_distributed_evenly = false;
  std::optional<int64_t> top_k;
  std::optional<int64_t> class_id;
  bool multi_label = false;
  Tensor label_weights;  // (num_labels,) or undefined
};

void update_confusion_matrix_variables(const ConfusionVariables& variables, const Tensor& y_true,
                                       const Tensor& y_pred, const Tensor& sample_weight,
                                       const ConfusionUpdate& options);

// np.allclose(thresholds, linspace(0, 1, n)) with n >= 3.
bool is_evenly_distributed_thresholds(const std::vector<double>& thresholds);

// (num_classes, num_classes) counts of (label, prediction) pairs, weighted.
Tensor confusion_matrix(const Tensor& labels, const Tensor& predictions, int64_t num_classes,
                        const Tensor& weights, DType dtype);

// x[0] as a scalar.
Tensor first(const Tensor& x);

}  // namespace keras::metrics::detail
