#pragma once
// keras.layers.SeparableConv2D (keras/src/layers/convolutional/separable_conv2d.py).
#include "keras/layers/convolutional/base_separable_conv.hpp"

namespace keras::layers {

using SeparableConv2DOptions = BaseSeparableConvOptions;

class SeparableConv2DImpl : public BaseSeparableConvImpl {
 public:
  using Options = SeparableConv2DOptions;
  explicit SeparableConv2DImpl(SeparableConv2DOptions options)
      : BaseSeparableConvImpl(2, std::move(options), "SeparableConv2D") {}
  std::string class_name() const override { return "SeparableConv2D"; }
};
KERAS_LAYER(SeparableConv2D);
using SeparableConvolution2D = SeparableConv2D;

}  // namespace keras::layers
