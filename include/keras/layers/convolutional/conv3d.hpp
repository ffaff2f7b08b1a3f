#pragma once
// keras.layers.Conv3D (keras/src/layers/convolutional/conv3d.py).
//
//   auto conv = layers::Conv3D({.filters = 32, .kernel_size = 3, .padding = "same", .activation =
//   "relu"});
#include "keras/layers/convolutional/base_conv.hpp"

namespace keras::layers {

using Conv3DOptions = BaseConvOptions;

class Conv3DImpl : public BaseConvImpl {
 public:
  using Options = Conv3DOptions;
  explicit Conv3DImpl(Conv3DOptions options) : BaseConvImpl(3, std::move(options), "Conv3D") {}
  std::string class_name() const override { return "Conv3D"; }
};
KERAS_LAYER(Conv3D);
using Convolution3D = Conv3D;

}  // namespace keras::layers
