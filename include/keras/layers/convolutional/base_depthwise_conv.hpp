#pragma once
// The base of DepthwiseConv1D / DepthwiseConv2D
// (keras/src/layers/convolutional/base_depthwise_conv.py): each input channel is convolved with
// its own depth_multiplier filters. kernel (*kernel_size, in_channels, depth_multiplier), bias
// (in_channels * depth_multiplier,).
#include "keras/activations/activations.hpp"
#include "keras/constraints/constraints.hpp"
#include "keras/core/ints.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/ranked_layer.hpp"
#include "keras/regularizers/regularizers.hpp"

namespace keras::layers {

struct BaseDepthwiseConvOptions {
  Ints kernel_size{};  // required
  Ints strides = 1;
  std::string padding = "valid";
  int64_t depth_multiplier = 1;
  std::string data_format{};
  Ints dilation_rate = 1;
  activations::Activation activation{};
  bool use_bias = true;
  saving::ObjectRef<initializers::Initializer> depthwise_initializer = "glorot_uniform";
  saving::ObjectRef<initializers::Initializer> bias_initializer = "zeros";
  saving::ObjectRef<regularizers::Regularizer> depthwise_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> bias_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> activity_regularizer{};
  saving::ObjectRef<constraints::Constraint> depthwise_constraint{};
  saving::ObjectRef<constraints::Constraint> bias_constraint{};
  KERAS_BASE_LAYER_OPTIONS;
};

class BaseDepthwiseConvImpl : public LayerImpl {
 public:
  using Options = BaseDepthwiseConvOptions;
  BaseDepthwiseConvImpl(int rank, BaseDepthwiseConvOptions options, const std::string& where);
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }

 protected:
  int channel_axis(int input_rank) const {
    return data_format_ == "channels_last" ? input_rank - 1 : 1;
  }
  int rank_;
  BaseDepthwiseConvOptions options_;
  std::vector<int64_t> kernel_size_, strides_, dilation_rate_;
  std::string padding_, data_format_;
  Shape built_shape_;
  Variable kernel_;
  Variable bias_;
};

BaseDepthwiseConvOptions depthwise_conv_options_from_config(const Config& config);

// keras.layers.DepthwiseConv1D / DepthwiseConv2D
// (keras/src/layers/convolutional/depthwise_conv{1,2}d.py).
KERAS_RANKED_LAYER(DepthwiseConv1D, BaseDepthwiseConvImpl, 1);
KERAS_RANKED_LAYER(DepthwiseConv2D, BaseDepthwiseConvImpl, 2);

}  // namespace keras::layers
