#pragma once
// keras::losses::Loss: the base of every loss (keras/src/losses/loss.py). A loss is called as
// `loss(y_true, y_pred, sample_weight)`: it casts both to its dtype, computes per-sample values
// with call(), weights them and reduces them as `reduction` says.
//
//   auto loss_fn = keras::losses::SparseCategoricalCrossentropy({.from_logits = true});
//   Tensor loss = loss_fn(labels, logits);              // scalar, "sum_over_batch_size"
//
// A user loss derives from Loss and overrides call() and class_name() (and get_config() when it
// has arguments of its own).
#include <optional>
#include <string>
#include <utility>

#include "keras/core/dtype.hpp"
#include "keras/core/tensor.hpp"
#include "keras/serialization/config.hpp"

namespace keras::losses {

// The constructor arguments every loss shares, in Keras's order. An empty `name` means the
// class's default name ("mean_squared_error", ...). `reduction` is one of
// "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", or std::nullopt
// (Python's None: no reduction, written as null in configs).
struct LossOptions {
  std::optional<std::string> reduction = "sum_over_batch_size";
  std::string name;
  std::optional<DType> dtype;  // default: keras::config::floatx()
};

class Loss {
 public:
  explicit Loss(LossOptions options = {});
  virtual ~Loss() = default;

  // Loss.__call__: per-sample losses from call(), weighted by sample_weight (undefined = none)
  // and reduced.
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) const;

  // The unreduced losses (typically one per sample).
  virtual Tensor call(const Tensor& y_true, const Tensor& y_pred) const = 0;

  // Keras's class name ("MeanSquaredError"); the key of the registry and of configs.
  virtual std::string class_name() const = 0;
  // {"name": ..., "reduction": ...} plus each class's own arguments, in Keras's order.
  virtual Config get_config() const;

  const std::string& name() const { return name_; }
  const std::optional<std::string>& reduction() const { return reduction_; }
  DType dtype() const { return dtype_; }

 protected:
  // call() plus the mask Keras attaches to its result (SparseCategoricalCrossentropy with
  // ignore_class masks the ignored entries); the default has no mask.
  virtual std::pair<Tensor, Tensor> call_with_mask(const Tensor& y_true,
                                                   const Tensor& y_pred) const;
  // Sets the name unless the options gave one (for the derived classes' defaults).
  void set_default_name(const std::string& name);

 private:
  std::string name_;
  std::optional<std::string> reduction_;
  DType dtype_;
};

// Validates a reduction name (keras/src/losses/loss.py standardize_reduction).
std::optional<std::string> standardize_reduction(const std::optional<std::string>& reduction);

// Squeezes or expands the last axis when the ranks differ by exactly one and that axis is 1
// (keras/src/losses/loss.py squeeze_or_expand_to_same_rank).
std::pair<Tensor, Tensor> squeeze_or_expand_to_same_rank(const Tensor& x1, const Tensor& x2,
                                                         bool expand_rank_1 = true);

// Sums `values`, dividing as the reduction says; "none"/nullopt, scalars and (0,)-shaped values
// are returned as they are.
Tensor reduce_values(const Tensor& values, const Tensor& sample_weight,
                     const std::optional<std::string>& reduction);

// Weights `values` by sample_weight and mask (either may be undefined), then reduces them.
Tensor reduce_weighted_values(const Tensor& values, const Tensor& sample_weight, const Tensor& mask,
                              const std::optional<std::string>& reduction,
                              std::optional<DType> dtype = std::nullopt);

// Folds a mask into the sample weights (keras/src/losses/loss.py apply_mask).
Tensor apply_mask(const Tensor& sample_weight, const Tensor& mask, DType dtype,
                  const std::optional<std::string>& reduction);

}  // namespace keras::losses
