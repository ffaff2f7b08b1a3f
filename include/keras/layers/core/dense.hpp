#pragma once
// keras.layers.Dense (keras/src/layers/core/dense.py): activation(dot(x, kernel) + bias) on the
// last axis. kernel (input_dim, units), bias (units,).
//
//   auto fc = layers::Dense({.units = 10, .activation = "softmax"});
#include "keras/activations/activations.hpp"
#include "keras/constraints/constraints.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/regularizers/regularizers.hpp"

namespace keras::layers {

struct DenseOptions {
  int64_t units = 0;                     // required
  activations::Activation activation{};  // linear
  bool use_bias = true;
  KERAS_KERNEL_BIAS_OPTIONS;
  KERAS_BASE_LAYER_OPTIONS;
};

class DenseImpl : public LayerImpl {
 public:
  using Options = DenseOptions;
  explicit DenseImpl(DenseOptions options);
  std::string class_name() const override { return "Dense"; }
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;

  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }  // undefined when use_bias is false
  const DenseOptions& options() const { return options_; }

 private:
  DenseOptions options_;
  Shape built_shape_;
  Variable kernel_;
  Variable bias_;
};
KERAS_LAYER(Dense);

}  // namespace keras::layers
