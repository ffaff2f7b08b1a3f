#pragma once
// Confusion-matrix metrics (keras/src/metrics/confusion_metrics.py): counts at thresholds,
// Precision, Recall, AUC and the "X at Y" metrics. Predictions above a threshold count as
// positive; labels are positive when nonzero.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

struct ConfusionCountOptions {
  std::optional<std::vector<double>> thresholds;  // default {0.5}
  std::string name;  // default: the snake_case class name, made unique ("true_positives_1")
  std::optional<DType> dtype;
};

// TruePositives, FalsePositives, TrueNegatives, FalseNegatives share this implementation.
class ConfusionMatrixConditionCount : public Metric {
 public:
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  // A scalar for one threshold, else one count per threshold.
  Tensor result() const override;
  Config get_config() const override;
  const std::vector<double>& thresholds() const { return thresholds_; }

 protected:
  ConfusionMatrixConditionCount(char condition, ConfusionCountOptions options,
                                const char* default_name);

 private:
  char condition_;  // 't'rue positives, 'f'alse positives, 'n' true negatives, 'm' false negatives
  std::optional<std::vector<double>> init_thresholds_;
  std::vector<double> thresholds_;
  bool evenly_;
  Variable accumulator_;
};

class TruePositives : public ConfusionMatrixConditionCount {
 public:
  explicit TruePositives(ConfusionCountOptions options = {});
  std::string class_name() const override { return "TruePositives"; }
};
class FalsePositives : public ConfusionMatrixConditionCount {
 public:
  explicit FalsePositives(ConfusionCountOptions options = {});
  std::string class_name() const override { return "FalsePositives"; }
};
class TrueNegatives : public ConfusionMatrixConditionCount {
 public:
  explicit TrueNegatives(ConfusionCountOptions options = {});
  std::string class_name() const override { return "TrueNegatives"; }
};
class FalseNegatives : public ConfusionMatrixConditionCount {
 public:
  explicit FalseNegatives(ConfusionCountOptions options = {});
  std::string class_name() const override { return "FalseNegatives"; }
};

struct PrecisionRecallOptions {
  std::optional<std::vector<double>> thresholds;  // default {0.5} ({-1e10} with top_k)
  std::optional<int64_t> top_k;
  std::optional<int64_t> class_id;
  std::string name;  // default "precision" / "recall", made unique ("precision_1", ...)
  std::optional<DType> dtype;
};

class Precision : public Metric {
 public:
  explicit Precision(PrecisionRecallOptions options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
  std::string class_name() const override { return "Precision"; }
  Config get_config() const override;

 private:
  PrecisionRecallOptions options_;
  std::vector<double> thresholds_;
  bool evenly_;
  Variable true_positives_, false_positives_;
};

class Recall : public Metric {
 public:
  explicit Recall(PrecisionRecallOptions options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
  std::string class_name() const override { return "Recall"; }
  Config get_config() const override;

 private:
  PrecisionRecallOptions options_;
  std::vector<double> thresholds_;
  bool evenly_;
  Variable true_positives_, false_negatives_;
};

// SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision:
// the best `dependent` rate among the thresholds where the `constrained` rate reaches `value`.
struct AtValueOptions {
  double value = 0.5;  // the specificity / sensitivity / recall / precision to reach
  int64_t num_thresholds = 200;
  std::optional<int64_t> class_id;
  std::string name;
  std::optional<DType> dtype;
};

class SensitivitySpecificityBase : public Metric {
 public:
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
  Config get_config() const override;

 protected:
  // kind: "sensitivity_at_specificity", ... (also the default name and the value's config key).
  SensitivitySpecificityBase(std::string kind, const char* value_key, AtValueOptions options);

 private:
  std::string kind_;
  const char* value_key_;
  AtValueOptions options_;
  std::vector<double> thresholds_;
  bool evenly_;
  Variable true_positives_, false_positives_, true_negatives_, false_negatives_;
};

class SensitivityAtSpecificity : public SensitivitySpecificityBase {
 public:
  explicit SensitivityAtSpecificity(AtValueOptions options);  // .value = specificity
  std::string class_name() const override { return "SensitivityAtSpecificity"; }
};
class SpecificityAtSensitivity : public SensitivitySpecificityBase {
 public:
  explicit SpecificityAtSensitivity(AtValueOptions options);  // .value = sensitivity
  std::string class_name() const override { return "SpecificityAtSensitivity"; }
};
class PrecisionAtRecall : public SensitivitySpecificityBase {
 public:
  explicit PrecisionAtRecall(AtValueOptions options);  // .value = recall
  std::string class_name() const override { return "PrecisionAtRecall"; }
};
class RecallAtPrecision : public SensitivitySpecificityBase {
 public:
  explicit RecallAtPrecision(AtValueOptions options);  // .value = precision
  std::string class_name() const override { return "RecallAtPrecision"; }
};

struct AUCOptions {
  int64_t num_thresholds = 200;
  std::string curve = "ROC";                       // "ROC", "PR" or "PRGAIN"
  std::string summation_method = "interpolation";  // "interpolation", "majoring", "minoring"
  std::string name;  // default "auc", then "auc_1", ... (Keras's auto_name)
  std::optional<DType> dtype;
  std::optional<std::vector<double>> thresholds;
  bool multi_label = false;
  std::optional<int64_t> num_labels;
  std::optional<std::vector<double>> label_weights;
  bool from_logits = false;
};

// Area under the ROC or PR curve, approximated over `num_thresholds` thresholds.
class AUC : public Metric {
 public:
  explicit AUC(AUCOptions options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
  void reset_state() override;
  std::string class_name() const override { return "AUC"; }
  Config get_config() const override;
  // The thresholds used, including the -epsilon and 1 + epsilon end points.
  const std::vector<double>& thresholds() const { return thresholds_; }

 private:
  struct Built {
    bool built = false;
    Variable true_positives, false_positives, true_negatives, false_negatives;
  };
  void build(int64_t num_labels);
  Tensor interpolate_pr_auc() const;
  Tensor aggregate(const Tensor& by_threshold) const;

  AUCOptions options_;
  int64_t num_thresholds_;
  std::vector<double> thresholds_;
  bool evenly_;
  Tensor label_weights_;
  std::shared_ptr<Built> built_;
};

}  // namespace keras::metrics
