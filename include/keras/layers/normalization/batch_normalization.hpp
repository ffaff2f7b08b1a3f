#pragma once
// BatchNormalization (keras/src/layers/normalization/batch_normalization.py).
//
// Training (`layer(x, {.training = true})` on a trainable layer) normalizes with the batch's
// moments and updates the moving averages: moving = moving * momentum + batch * (1 - momentum).
// Inference normalizes with the moving statistics. Variables: gamma, beta (trainable, when scale /
// center), moving_mean, moving_variance (non-trainable) and, with renorm, moving_stddev,
// renorm_mean, renorm_stddev (non-trainable).
#include <map>
#include <optional>
#include <string>

#include "keras/layers/layer.hpp"

namespace keras::initializers {
class Initializer;
}

namespace keras::layers {

struct BatchNormalizationOptions {
  int64_t axis = -1;
  double momentum = 0.99;
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  saving::ObjectRef<initializers::Initializer> beta_initializer = "zeros";
  saving::ObjectRef<initializers::Initializer> gamma_initializer = "ones";
  saving::ObjectRef<initializers::Initializer> moving_mean_initializer = "zeros";
  saving::ObjectRef<initializers::Initializer> moving_variance_initializer = "ones";
  saving::ObjectRef<regularizers::Regularizer> beta_regularizer;
  saving::ObjectRef<regularizers::Regularizer> gamma_regularizer;
  saving::ObjectRef<constraints::Constraint> beta_constraint;
  saving::ObjectRef<constraints::Constraint> gamma_constraint;
  bool renorm = false;
  // Keys "rmax", "rmin", "dmax" (each optional).
  std::optional<std::map<std::string, double>> renorm_clipping;
  double renorm_momentum = 0.99;
  bool synchronized = false;  // only the TensorFlow backend supports it: ValueError if true
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class BatchNormalizationImpl : public LayerImpl {
 public:
  using Options = BatchNormalizationOptions;
  explicit BatchNormalizationImpl(BatchNormalizationOptions options = {});
  std::string class_name() const override { return "BatchNormalization"; }
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Options& options() const { return options_; }

  const Variable& gamma() const { return gamma_; }  // undefined when scale = false
  const Variable& beta() const { return beta_; }    // undefined when center = false
  const Variable& moving_mean() const { return moving_mean_; }
  const Variable& moving_variance() const { return moving_variance_; }

 private:
  std::string where() const;
  std::pair<Tensor, Tensor> batch_moments(const Tensor& x, const Tensor& mask) const;

  Options options_;
  int axis_ = -1;  // normalized in build
  int rank_ = 0;
  int64_t features_ = 0;
  std::vector<int64_t> reduction_axes_;
  Variable gamma_, beta_, moving_mean_, moving_variance_;
  Variable moving_stddev_, renorm_mean_, renorm_stddev_;
};
KERAS_LAYER(BatchNormalization);

}  // namespace keras::layers
