#pragma once
// The Keras losses (keras/src/losses/losses.py): per-sample functions
// (`losses::mean_squared_error(y_true, y_pred)`) and Loss classes with Keras's defaults
// (`losses::BinaryCrossentropy({.from_logits = true, .label_smoothing = 0.1})`).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "keras/losses/loss.hpp"

namespace keras::losses {

// ---- per-sample functions (reduce the last axis) ----
Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred);
Tensor mean_absolute_error(const Tensor& y_true, const Tensor& y_pred);
Tensor mean_absolute_percentage_error(const Tensor& y_true, const Tensor& y_pred);
Tensor mean_squared_logarithmic_error(const Tensor& y_true, const Tensor& y_pred);
Tensor cosine_similarity(const Tensor& y_true, const Tensor& y_pred, int64_t axis = -1);
Tensor huber(const Tensor& y_true, const Tensor& y_pred, double delta = 1.0);
Tensor log_cosh(const Tensor& y_true, const Tensor& y_pred);
Tensor hinge(const Tensor& y_true, const Tensor& y_pred);
Tensor squared_hinge(const Tensor& y_true, const Tensor& y_pred);
Tensor categorical_hinge(const Tensor& y_true, const Tensor& y_pred);
Tensor kl_divergence(const Tensor& y_true, const Tensor& y_pred);
Tensor poisson(const Tensor& y_true, const Tensor& y_pred);
Tensor binary_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits = false,
                           double label_smoothing = 0.0, int64_t axis = -1);
Tensor binary_focal_crossentropy(const Tensor& y_true, const Tensor& y_pred,
                                 bool apply_class_balancing = false, double alpha = 0.25,
                                 double gamma = 2.0, bool from_logits = false,
                                 double label_smoothing = 0.0, int64_t axis = -1);
Tensor categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred,
                                bool from_logits = false, double label_smoothing = 0.0,
                                int64_t axis = -1);
Tensor categorical_focal_crossentropy(const Tensor& y_true, const Tensor& y_pred,
                                      double alpha = 0.25, double gamma = 2.0,
                                      bool from_logits = false, double label_smoothing = 0.0,
                                      int64_t axis = -1);
// Entries whose label is ignore_class get loss 0.
Tensor sparse_categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred,
                                       bool from_logits = false,
                                       std::optional<int64_t> ignore_class = std::nullopt,
                                       int64_t axis = -1);
// The same, with the mask of valid entries (undefined without ignore_class): Keras attaches it
// to the result so reductions average over the valid entries only.
std::pair<Tensor, Tensor> sparse_categorical_crossentropy_with_mask(
    const Tensor& y_true, const Tensor& y_pred, bool from_logits = false,
    std::optional<int64_t> ignore_class = std::nullopt, int64_t axis = -1);
// axis: std::nullopt reduces every axis (Keras's axis=None).
Tensor dice(const Tensor& y_true, const Tensor& y_pred,
            std::optional<std::vector<int64_t>> axis = std::nullopt);
Tensor tversky(const Tensor& y_true, const Tensor& y_pred, double alpha = 0.5, double beta = 0.5,
               std::optional<std::vector<int64_t>> axis = std::nullopt);
Tensor categorical_generalized_cross_entropy(const Tensor& y_true, const Tensor& y_pred, double q);

using LossFunction = std::function<Tensor(const Tensor& y_true, const Tensor& y_pred)>;

// The built-in function with this name or alias ("mse", "mean_squared_error", "bce", ...), with
// Keras's default arguments; empty if unknown.
LossFunction get_function(const std::string& name);
// The canonical function name for a name or alias ("mse" -> "mean_squared_error"); "" if unknown.
std::string function_name(const std::string& name);

// ---- classes ----

// Wraps a per-sample function (keras.losses.LossFunctionWrapper); compile() wraps string
// identifiers that name functions ("mse") in one of these, named after the identifier.
class LossFunctionWrapper : public Loss {
 public:
  // fn_name: the function's registered name, written to configs as "fn".
  LossFunctionWrapper(LossFunction fn, std::string fn_name, LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "LossFunctionWrapper"; }
  Config get_config() const override;
  const std::string& fn_name() const { return fn_name_; }

 private:
  LossFunction fn_;
  std::string fn_name_;
};

// Losses with only (reduction, name, dtype).
class MeanSquaredError : public Loss {  // default name "mean_squared_error"
 public:
  explicit MeanSquaredError(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "MeanSquaredError"; }
};
class MeanAbsoluteError : public Loss {  // default name "mean_absolute_error"
 public:
  explicit MeanAbsoluteError(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "MeanAbsoluteError"; }
};
class MeanAbsolutePercentageError : public Loss {  // default name "mean_absolute_percentage_error"
 public:
  explicit MeanAbsolutePercentageError(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "MeanAbsolutePercentageError"; }
};
class MeanSquaredLogarithmicError : public Loss {  // default name "mean_squared_logarithmic_error"
 public:
  explicit MeanSquaredLogarithmicError(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "MeanSquaredLogarithmicError"; }
};
class LogCosh : public Loss {  // default name "log_cosh"
 public:
  explicit LogCosh(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "LogCosh"; }
};
class Hinge : public Loss {  // default name "hinge"
 public:
  explicit Hinge(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "Hinge"; }
};
class SquaredHinge : public Loss {  // default name "squared_hinge"
 public:
  explicit SquaredHinge(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "SquaredHinge"; }
};
class CategoricalHinge : public Loss {  // default name "categorical_hinge"
 public:
  explicit CategoricalHinge(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "CategoricalHinge"; }
};
class KLDivergence : public Loss {  // default name "kl_divergence"
 public:
  explicit KLDivergence(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "KLDivergence"; }
};
class Poisson : public Loss {  // default name "poisson"
 public:
  explicit Poisson(LossOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "Poisson"; }
};

struct CosineSimilarityOptions {
  int64_t axis = -1;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "cosine_similarity"
  std::optional<DType> dtype;
};
class CosineSimilarity : public Loss {
 public:
  explicit CosineSimilarity(CosineSimilarityOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "CosineSimilarity"; }
  Config get_config() const override;
  int64_t axis() const { return axis_; }

 private:
  int64_t axis_;
};

struct HuberOptions {
  double delta = 1.0;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "huber_loss"
  std::optional<DType> dtype;
};
class Huber : public Loss {
 public:
  explicit Huber(HuberOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "Huber"; }
  Config get_config() const override;
  double delta() const { return delta_; }

 private:
  double delta_;
};

struct BinaryCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  int64_t axis = -1;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "binary_crossentropy"
  std::optional<DType> dtype;
};
class BinaryCrossentropy : public Loss {
 public:
  explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "BinaryCrossentropy"; }
  Config get_config() const override;
  const BinaryCrossentropyOptions& options() const { return options_; }

 private:
  BinaryCrossentropyOptions options_;
};

struct BinaryFocalCrossentropyOptions {
  bool apply_class_balancing = false;
  double alpha = 0.25;
  double gamma = 2.0;
  bool from_logits = false;
  double label_smoothing = 0.0;
  int64_t axis = -1;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "binary_focal_crossentropy"
  std::optional<DType> dtype;
};
class BinaryFocalCrossentropy : public Loss {
 public:
  explicit BinaryFocalCrossentropy(BinaryFocalCrossentropyOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "BinaryFocalCrossentropy"; }
  Config get_config() const override;
  const BinaryFocalCrossentropyOptions& options() const { return options_; }

 private:
  BinaryFocalCrossentropyOptions options_;
};

struct CategoricalCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  int64_t axis = -1;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "categorical_crossentropy"
  std::optional<DType> dtype;
};
class CategoricalCrossentropy : public Loss {
 public:
  explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "CategoricalCrossentropy"; }
  Config get_config() const override;
  const CategoricalCrossentropyOptions& options() const { return options_; }

 private:
  CategoricalCrossentropyOptions options_;
};

struct CategoricalFocalCrossentropyOptions {
  double alpha = 0.25;
  double gamma = 2.0;
  bool from_logits = false;
  double label_smoothing = 0.0;
  int64_t axis = -1;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "categorical_focal_crossentropy"
  std::optional<DType> dtype;
};
class CategoricalFocalCrossentropy : public Loss {
 public:
  explicit CategoricalFocalCrossentropy(CategoricalFocalCrossentropyOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "CategoricalFocalCrossentropy"; }
  Config get_config() const override;
  const CategoricalFocalCrossentropyOptions& options() const { return options_; }

 private:
  CategoricalFocalCrossentropyOptions options_;
};

struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;
  std::optional<int64_t> ignore_class;
  std::optional<std::string> reduction = "sum_over_batch_size";
  int64_t axis = -1;
  std::string name;  // default "sparse_categorical_crossentropy"
  std::optional<DType> dtype;
};
class SparseCategoricalCrossentropy : public Loss {
 public:
  explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
  Config get_config() const override;
  const SparseCategoricalCrossentropyOptions& options() const { return options_; }

 protected:
  std::pair<Tensor, Tensor> call_with_mask(const Tensor& y_true,
                                           const Tensor& y_pred) const override;

 private:
  SparseCategoricalCrossentropyOptions options_;
};

struct DiceOptions {
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "dice"
  std::optional<std::vector<int64_t>> axis;
  std::optional<DType> dtype;
};
class Dice : public Loss {
 public:
  explicit Dice(DiceOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "Dice"; }
  Config get_config() const override;

 private:
  std::optional<std::vector<int64_t>> axis_;
};

struct TverskyOptions {
  double alpha = 0.5;
  double beta = 0.5;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "tversky"
  std::optional<std::vector<int64_t>> axis;
  std::optional<DType> dtype;
};
class Tversky : public Loss {
 public:
  explicit Tversky(TverskyOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "Tversky"; }
  Config get_config() const override;

 private:
  TverskyOptions options_;
};

struct CategoricalGeneralizedCrossEntropyOptions {
  double q = 0.5;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "categorical_generalized_cross_entropy"
  std::optional<DType> dtype;
};
class CategoricalGeneralizedCrossEntropy : public Loss {
 public:
  explicit CategoricalGeneralizedCrossEntropy(
      CategoricalGeneralizedCrossEntropyOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "CategoricalGeneralizedCrossEntropy"; }
  Config get_config() const override;

 private:
  double q_;
};

}  // namespace keras::losses
