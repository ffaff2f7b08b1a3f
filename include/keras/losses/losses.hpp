#pragma once
// The Keras losses (keras/src/losses/losses.py): per-sample functions
// (`losses::mean_squared_error(y_true, y_pred)`) and Loss classes with Keras's
// defaults
// (`losses::BinaryCrossentropy({.from_logits = true, .label_smoothing =
// 0.1})`).
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
// The same, with the mask of valid entries (undefined without ignore_class):
// Keras attaches it to the result so reductions average over the valid entries
// only.
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

// The built-in function with this name or alias ("mse", "mean_squared_error",
// "bce", ...), with Keras's default arguments; empty if unknown.
LossFunction get_function(const std::string& name);
// The canonical function name for a name or alias ("mse" ->
// "mean_squared_error"); "" if unknown.
std::string function_name(const std::string& name);

// ---- classes ----

// Wraps a per-sample function (keras.losses.LossFunctionWrapper); compile()
// wraps string identifiers that name functions ("mse") in one of these, named
// after the identifier.
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

// The built-in loss classes: each is Keras's LossFunctionWrapper(fn, reduction,
// name, **kwargs) for one per-sample function. BuiltinLoss<Options> keeps the
// class's options, calls the function with them (after
// squeeze_or_expand_to_same_rank, as LossFunctionWrapper.call does) and writes
// the options' own fields after Loss::get_config()'s; each class below only
// names its function, its default name and those fields (loss_classes.cpp).
template <class Options>
class BuiltinLoss : public Loss {
 public:
  using Fn = Tensor (*)(const Tensor& y_true, const Tensor& y_pred, const Options& options);
  // Appends the class's own config fields, in Keras's order.
  using ConfigFn = void (*)(Config& config, const Options& options);

  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override {
    auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
    return fn_(t, p, options_);
  }
  std::string class_name() const override { return class_name_; }
  Config get_config() const override {
    Config config = Loss::get_config();
    if (config_fn_) config_fn_(config, options_);
    return config;
  }
  const Options& options() const { return options_; }

 protected:
  // default_name: the name when options.name is empty ("mean_squared_error").
  BuiltinLoss(Options options, std::string class_name, const char* default_name, Fn fn,
              ConfigFn config_fn = nullptr)
      : Loss(LossOptions{options.reduction,
                         options.name.empty() ? std::string(default_name) : options.name,
                         options.dtype}),
        options_(std::move(options)),
        class_name_(std::move(class_name)),
        fn_(fn),
        config_fn_(config_fn) {}

  Options options_;

 private:
  std::string class_name_;
  Fn fn_;
  ConfigFn config_fn_;
};

// Losses with only (reduction, name, dtype): Name(LossOptions options = {}).
#define KERAS_SIMPLE_LOSS(Name)                  \
  class Name : public BuiltinLoss<LossOptions> { \
   public:                                       \
    explicit Name(LossOptions options = {});     \
  }
KERAS_SIMPLE_LOSS(MeanSquaredError);             // default name "mean_squared_error"
KERAS_SIMPLE_LOSS(MeanAbsoluteError);            // default name "mean_absolute_error"
KERAS_SIMPLE_LOSS(MeanAbsolutePercentageError);  // default name
                                                 // "mean_absolute_percentage_error"
KERAS_SIMPLE_LOSS(MeanSquaredLogarithmicError);  // default name
                                                 // "mean_squared_logarithmic_error"
KERAS_SIMPLE_LOSS(LogCosh);                      // default name "log_cosh"
KERAS_SIMPLE_LOSS(Hinge);                        // default name "hinge"
KERAS_SIMPLE_LOSS(SquaredHinge);                 // default name "squared_hinge"
KERAS_SIMPLE_LOSS(CategoricalHinge);             // default name "categorical_hinge"
KERAS_SIMPLE_LOSS(KLDivergence);                 // default name "kl_divergence"
KERAS_SIMPLE_LOSS(Poisson);                      // default name "poisson"
#undef KERAS_SIMPLE_LOSS

struct CosineSimilarityOptions {
  int64_t axis = -1;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "cosine_similarity"
  std::optional<DType> dtype;
};
class CosineSimilarity : public BuiltinLoss<CosineSimilarityOptions> {
 public:
  explicit CosineSimilarity(CosineSimilarityOptions options = {});
  int64_t axis() const { return options_.axis; }
};

struct HuberOptions {
  double delta = 1.0;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "huber_loss"
  std::optional<DType> dtype;
};
class Huber : public BuiltinLoss<HuberOptions> {
 public:
  explicit Huber(HuberOptions options = {});
  double delta() const { return options_.delta; }
};

struct BinaryCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  int64_t axis = -1;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "binary_crossentropy"
  std::optional<DType> dtype;
};
class BinaryCrossentropy : public BuiltinLoss<BinaryCrossentropyOptions> {
 public:
  explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {});
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
class BinaryFocalCrossentropy : public BuiltinLoss<BinaryFocalCrossentropyOptions> {
 public:
  explicit BinaryFocalCrossentropy(BinaryFocalCrossentropyOptions options = {});
};

struct CategoricalCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  int64_t axis = -1;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "categorical_crossentropy"
  std::optional<DType> dtype;
};
class CategoricalCrossentropy : public BuiltinLoss<CategoricalCrossentropyOptions> {
 public:
  explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});
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
class CategoricalFocalCrossentropy : public BuiltinLoss<CategoricalFocalCrossentropyOptions> {
 public:
  explicit CategoricalFocalCrossentropy(CategoricalFocalCrossentropyOptions options = {});
};

struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;
  std::optional<int64_t> ignore_class;
  std::optional<std::string> reduction = "sum_over_batch_size";
  int64_t axis = -1;
  std::string name;  // default "sparse_categorical_crossentropy"
  std::optional<DType> dtype;
};
class SparseCategoricalCrossentropy : public BuiltinLoss<SparseCategoricalCrossentropyOptions> {
 public:
  explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;

 protected:
  std::pair<Tensor, Tensor> call_with_mask(const Tensor& y_true,
                                           const Tensor& y_pred) const override;
};

struct DiceOptions {
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "dice"
  std::optional<std::vector<int64_t>> axis;
  std::optional<DType> dtype;
};
class Dice : public BuiltinLoss<DiceOptions> {
 public:
  explicit Dice(DiceOptions options = {});
};

struct TverskyOptions {
  double alpha = 0.5;
  double beta = 0.5;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "tversky"
  std::optional<std::vector<int64_t>> axis;
  std::optional<DType> dtype;
};
class Tversky : public BuiltinLoss<TverskyOptions> {
 public:
  explicit Tversky(TverskyOptions options = {});
};

struct CategoricalGeneralizedCrossEntropyOptions {
  double q = 0.5;
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;  // default "categorical_generalized_cross_entropy"
  std::optional<DType> dtype;
};
class CategoricalGeneralizedCrossEntropy
    : public BuiltinLoss<CategoricalGeneralizedCrossEntropyOptions> {
 public:
  explicit CategoricalGeneralizedCrossEntropy(
      CategoricalGeneralizedCrossEntropyOptions options = {});
};

}  // namespace keras::losses
