#pragma once
// keras.layers.DepthwiseConv2D (keras/src/layers/convolutional/depthwise_conv2d.py).
#include "keras/layers/convolutional/base_depthwise_conv.hpp"

namespace keras::layers {

using DepthwiseConv2DOptions = BaseDepthwiseConvOptions;

class DepthwiseConv2DImpl : public BaseDepthwiseConvImpl {
 public:
  using Options = DepthwiseConv2DOptions;
  explicit DepthwiseConv2DImpl(DepthwiseConv2DOptions options)
      : BaseDepthwiseConvImpl(2, std::move(options), "DepthwiseConv2D") {}
  std::string class_name() const override { return "DepthwiseConv2D"; }
};
KERAS_LAYER(DepthwiseConv2D);

}  // namespace keras::layers
