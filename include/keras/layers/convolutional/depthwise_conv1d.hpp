#pragma once
// keras.layers.DepthwiseConv1D (keras/src/layers/convolutional/depthwise_conv1d.py).
#include "keras/layers/convolutional/base_depthwise_conv.hpp"

namespace keras::layers {

using DepthwiseConv1DOptions = BaseDepthwiseConvOptions;

class DepthwiseConv1DImpl : public BaseDepthwiseConvImpl {
 public:
  using Options = DepthwiseConv1DOptions;
  explicit DepthwiseConv1DImpl(DepthwiseConv1DOptions options)
      : BaseDepthwiseConvImpl(1, std::move(options), "DepthwiseConv1D") {}
  std::string class_name() const override { return "DepthwiseConv1D"; }
};
KERAS_LAYER(DepthwiseConv1D);

}  // namespace keras::layers
