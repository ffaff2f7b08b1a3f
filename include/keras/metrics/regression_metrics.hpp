#pragma once
// Regression metrics (keras/src/metrics/regression_metrics.py), probabilistic metrics
// (probabilistic_metrics.py) and hinge metrics (hinge_metrics.py): means of the loss functions.
#include <cstdint>
#include <optional>

#include "keras/metrics/reduction_metrics.hpp"

namespace keras::metrics {

// Means of one loss function, with only (name, dtype) arguments.
class MeanSquaredError : public MeanMetricWrapper {  // default name "mean_squared_error"
 public:
  explicit MeanSquaredError(MetricOptions options = {});
  std::string class_name() const override { return "MeanSquaredError"; }
  Config get_config() const override { return Metric::get_config(); }
};
class MeanAbsoluteError : public MeanMetricWrapper {  // default name "mean_absolute_error"
 public:
  explicit MeanAbsoluteError(MetricOptions options = {});
  std::string class_name() const override { return "MeanAbsoluteError"; }
  Config get_config() const override { return Metric::get_config(); }
};
class MeanAbsolutePercentageError
    : public MeanMetricWrapper {  // default name "mean_absolute_percentage_error"
 public:
  explicit MeanAbsolutePercentageError(MetricOptions options = {});
  std::string class_name() const override { return "MeanAbsolutePercentageError"; }
  Config get_config() const override { return Metric::get_config(); }
};
class MeanSquaredLogarithmicError
    : public MeanMetricWrapper {  // default name "mean_squared_logarithmic_error"
 public:
  explicit MeanSquaredLogarithmicError(MetricOptions options = {});
  std::string class_name() const override { return "MeanSquaredLogarithmicError"; }
  Config get_config() const override { return Metric::get_config(); }
};
class LogCoshError : public MeanMetricWrapper {  // default name "logcosh"
 public:
  explicit LogCoshError(MetricOptions options = {});
  std::string class_name() const override { return "LogCoshError"; }
  Config get_config() const override { return Metric::get_config(); }
};
class KLDivergence : public MeanMetricWrapper {  // default name "kl_divergence"
 public:
  explicit KLDivergence(MetricOptions options = {});
  std::string class_name() const override { return "KLDivergence"; }
  Config get_config() const override { return Metric::get_config(); }
};
class Poisson : public MeanMetricWrapper {  // default name "poisson"
 public:
  explicit Poisson(MetricOptions options = {});
  std::string class_name() const override { return "Poisson"; }
  Config get_config() const override { return Metric::get_config(); }
};
class Hinge : public MeanMetricWrapper {  // default name "hinge"
 public:
  explicit Hinge(MetricOptions options = {});
  std::string class_name() const override { return "Hinge"; }
  Config get_config() const override { return Metric::get_config(); }
};
class SquaredHinge : public MeanMetricWrapper {  // default name "squared_hinge"
 public:
  explicit SquaredHinge(MetricOptions options = {});
  std::string class_name() const override { return "SquaredHinge"; }
  Config get_config() const override { return Metric::get_config(); }
};
class CategoricalHinge : public MeanMetricWrapper {  // default name "categorical_hinge"
 public:
  explicit CategoricalHinge(MetricOptions options = {});
  std::string class_name() const override { return "CategoricalHinge"; }
  Config get_config() const override { return Metric::get_config(); }
};

// The metric form of cosine similarity: +1 for equal directions (the loss is its negative).
Tensor cosine_similarity(const Tensor& y_true, const Tensor& y_pred, int64_t axis = -1);

struct CosineSimilarityOptions {
  std::string name;  // default "cosine_similarity"
  std::optional<DType> dtype;
  int64_t axis = -1;
};
class CosineSimilarity : public MeanMetricWrapper {
 public:
  explicit CosineSimilarity(CosineSimilarityOptions options = {});
  std::string class_name() const override { return "CosineSimilarity"; }
  // Keras writes only name and dtype (axis is not saved).
  Config get_config() const override { return Metric::get_config(); }
};

class RootMeanSquaredError : public Mean {
 public:
  explicit RootMeanSquaredError(MetricOptions options = {});  // "root_mean_squared_error"
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
  std::string class_name() const override { return "RootMeanSquaredError"; }
};

struct R2ScoreOptions {
  // "uniform_average", "variance_weighted_average" or std::nullopt (one score per output).
  std::optional<std::string> class_aggregation = "uniform_average";
  int64_t num_regressors = 0;
  std::string name;  // default "r2_score"
  std::optional<DType> dtype;
};
// Coefficient of determination; its per-output state is created on the first update.
class R2Score : public Metric {
 public:
  explicit R2Score(R2ScoreOptions options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
  void reset_state() override;
  std::string class_name() const override { return "R2Score"; }
  Config get_config() const override;

 private:
  struct Built {
    bool built = false;
    Variable squared_sum, sum, total_mse, count;
  };
  std::optional<std::string> class_aggregation_;
  int64_t num_regressors_;
  Variable num_samples_;
  std::shared_ptr<Built> built_;
};

struct BinaryCrossentropyOptions {
  std::string name;  // default "binary_crossentropy"
  std::optional<DType> dtype;
  bool from_logits = false;
  double label_smoothing = 0.0;
};
class BinaryCrossentropy : public MeanMetricWrapper {
 public:
  explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {});
  std::string class_name() const override { return "BinaryCrossentropy"; }
  Config get_config() const override;

 private:
  BinaryCrossentropyOptions options_;
};

struct CategoricalCrossentropyOptions {
  std::string name;  // default "categorical_crossentropy"
  std::optional<DType> dtype;
  bool from_logits = false;
  double label_smoothing = 0.0;
  int64_t axis = -1;
};
class CategoricalCrossentropy : public MeanMetricWrapper {
 public:
  explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});
  std::string class_name() const override { return "CategoricalCrossentropy"; }
  Config get_config() const override;

 private:
  CategoricalCrossentropyOptions options_;
};

struct SparseCategoricalCrossentropyOptions {
  std::string name;  // default "sparse_categorical_crossentropy"
  std::optional<DType> dtype;
  bool from_logits = false;
  std::optional<int64_t> ignore_class;
  int64_t axis = -1;
};
class SparseCategoricalCrossentropy : public MeanMetricWrapper {
 public:
  explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});
  std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
  Config get_config() const override;

 private:
  SparseCategoricalCrossentropyOptions options_;
};

}  // namespace keras::metrics
