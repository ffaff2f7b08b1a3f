#pragma once
// keras.layers.Conv2D (keras/src/layers/convolutional/conv2d.py).
//
//   auto conv = layers::Conv2D({.filters = 32, .kernel_size = 3, .padding = "same", .activation =
//   "relu"});
#include "keras/layers/convolutional/base_conv.hpp"

namespace keras::layers {

using Conv2DOptions = BaseConvOptions;

class Conv2DImpl : public BaseConvImpl {
 public:
  using Options = Conv2DOptions;
  explicit Conv2DImpl(Conv2DOptions options) : BaseConvImpl(2, std::move(options), "Conv2D") {}
  std::string class_name() const override { return "Conv2D"; }
};
KERAS_LAYER(Conv2D);
using Convolution2D = Conv2D;

}  // namespace keras::layers
