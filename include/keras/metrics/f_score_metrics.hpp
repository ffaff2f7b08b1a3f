#pragma once
// FBetaScore and F1Score (keras/src/metrics/f_score_metrics.py); state is created on the first
// update, from the number of classes.
#include <optional>
#include <string>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

struct FBetaScoreOptions {
  std::optional<std::string> average;  // std::nullopt (per class), "micro", "macro", "weighted"
  double beta = 1.0;
  std::optional<double> threshold;  // default: the row's maximum counts as the prediction
  std::string name;                 // default "fbeta_score"
  std::optional<DType> dtype;
};

class FBetaScore : public Metric {
 public:
  explicit FBetaScore(FBetaScoreOptions options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  Tensor result() const override;
  std::string class_name() const override { return "FBetaScore"; }
  Config get_config() const override;

 protected:
  FBetaScoreOptions options_;

 private:
  struct Built {
    bool built = false;
    Variable true_positives, false_positives, false_negatives, intermediate_weights;
  };
  std::shared_ptr<Built> built_;
};

struct F1ScoreOptions {
  std::optional<std::string> average;
  std::optional<double> threshold;
  std::string name;  // default "f1_score"
  std::optional<DType> dtype;
};

class F1Score : public FBetaScore {
 public:
  explicit F1Score(F1ScoreOptions options = {});
  std::string class_name() const override { return "F1Score"; }
  Config get_config() const override;
};

}  // namespace keras::metrics
