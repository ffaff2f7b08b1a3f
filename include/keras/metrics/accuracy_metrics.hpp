#pragma once
// The accuracy metrics (keras/src/metrics/accuracy_metrics.py): per-sample functions returning
// 1.0 for a hit and 0.0 for a miss, and Mean-of-function classes.
#include <cstdint>

#include "keras/metrics/reduction_metrics.hpp"

namespace keras::metrics {

Tensor accuracy(const Tensor& y_true, const Tensor& y_pred);
Tensor binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold = 0.5);
Tensor categorical_accuracy(const Tensor& y_true, const Tensor& y_pred);
Tensor sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred);
Tensor top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, int64_t k = 5);
Tensor sparse_top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, int64_t k = 5,
                                         bool from_sorted_ids = false);

class Accuracy : public MeanMetricWrapper {
 public:
  explicit Accuracy(MetricOptions options = {});  // default name "accuracy"
  std::string class_name() const override { return "Accuracy"; }
  Config get_config() const override { return Metric::get_config(); }
};

struct BinaryAccuracyOptions {
  std::string name;  // default "binary_accuracy"
  std::optional<DType> dtype;
  double threshold = 0.5;
};
class BinaryAccuracy : public MeanMetricWrapper {
 public:
  explicit BinaryAccuracy(BinaryAccuracyOptions options = {});
  std::string class_name() const override { return "BinaryAccuracy"; }
  Config get_config() const override;
  double threshold() const { return threshold_; }

 private:
  double threshold_;
};

class CategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit CategoricalAccuracy(MetricOptions options = {});  // "categorical_accuracy"
  std::string class_name() const override { return "CategoricalAccuracy"; }
  Config get_config() const override { return Metric::get_config(); }
};

class SparseCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit SparseCategoricalAccuracy(MetricOptions options = {});  // "sparse_categorical_accuracy"
  std::string class_name() const override { return "SparseCategoricalAccuracy"; }
  Config get_config() const override { return Metric::get_config(); }
};

struct TopKCategoricalAccuracyOptions {
  int64_t k = 5;
  std::string name;  // default "top_k_categorical_accuracy"
  std::optional<DType> dtype;
};
class TopKCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit TopKCategoricalAccuracy(TopKCategoricalAccuracyOptions options = {});
  std::string class_name() const override { return "TopKCategoricalAccuracy"; }
  Config get_config() const override;

 private:
  int64_t k_;
};

struct SparseTopKCategoricalAccuracyOptions {
  int64_t k = 5;
  std::string name;  // default "sparse_top_k_categorical_accuracy"
  std::optional<DType> dtype;
  bool from_sorted_ids = false;
};
class SparseTopKCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit SparseTopKCategoricalAccuracy(SparseTopKCategoricalAccuracyOptions options = {});
  std::string class_name() const override { return "SparseTopKCategoricalAccuracy"; }
  Config get_config() const override;

 private:
  int64_t k_;
  bool from_sorted_ids_;
};

}  // namespace keras::metrics
