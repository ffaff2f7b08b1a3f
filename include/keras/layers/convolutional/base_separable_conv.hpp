#pragma once
// The base of SeparableConv1D / SeparableConv2D
// (keras/src/layers/convolutional/base_separable_conv.py): a depthwise convolution followed by a
// 1x1 pointwise one. depthwise_kernel (*kernel_size, in_channels, depth_multiplier),
// pointwise_kernel ((1,)*rank, in_channels * depth_multiplier, filters), bias (filters,).
#include "keras/activations/activations.hpp"
#include "keras/constraints/constraints.hpp"
#include "keras/core/ints.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/ranked_layer.hpp"
#include "keras/regularizers/regularizers.hpp"

namespace keras::layers {

struct BaseSeparableConvOptions {
  int64_t filters = 0;  // required
  Ints kernel_size{};   // required
  Ints strides = 1;
  std::string padding = "valid";
  std::string data_format{};
  Ints dilation_rate = 1;
  int64_t depth_multiplier = 1;
  activations::Activation activation{};
  bool use_bias = true;
  saving::ObjectRef<initializers::Initializer> depthwise_initializer = "glorot_uniform";
  saving::ObjectRef<initializers::Initializer> pointwise_initializer = "glorot_uniform";
  saving::ObjectRef<initializers::Initializer> bias_initializer = "zeros";
  saving::ObjectRef<regularizers::Regularizer> depthwise_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> pointwise_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> bias_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> activity_regularizer{};
  saving::ObjectRef<constraints::Constraint> depthwise_constraint{};
  saving::ObjectRef<constraints::Constraint> pointwise_constraint{};
  saving::ObjectRef<constraints::Constraint> bias_constraint{};
  KERAS_BASE_LAYER_OPTIONS;
};

class BaseSeparableConvImpl : public LayerImpl {
 public:
  using Options = BaseSeparableConvOptions;
  BaseSeparableConvImpl(int rank, BaseSeparableConvOptions options, const std::string& where);
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Variable& depthwise_kernel() const { return depthwise_kernel_; }
  const Variable& pointwise_kernel() const { return pointwise_kernel_; }
  const Variable& bias() const { return bias_; }

 protected:
  int channel_axis(int input_rank) const {
    return data_format_ == "channels_last" ? input_rank - 1 : 1;
  }
  int rank_;
  BaseSeparableConvOptions options_;
  std::vector<int64_t> kernel_size_, strides_, dilation_rate_;
  std::string padding_, data_format_;
  Shape built_shape_;
  Variable depthwise_kernel_;
  Variable pointwise_kernel_;
  Variable bias_;
};

BaseSeparableConvOptions separable_conv_options_from_config(const Config& config);

// keras.layers.SeparableConv1D / SeparableConv2D
// (keras/src/layers/convolutional/separable_conv{1,2}d.py).
KERAS_RANKED_LAYER(SeparableConv1D, BaseSeparableConvImpl, 1, SeparableConvolution1D);
KERAS_RANKED_LAYER(SeparableConv2D, BaseSeparableConvImpl, 2, SeparableConvolution2D);

}  // namespace keras::layers
