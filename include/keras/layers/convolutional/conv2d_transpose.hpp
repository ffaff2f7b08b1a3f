#pragma once
// keras.layers.Conv2DTranspose (keras/src/layers/convolutional/conv2d_transpose.py).
#include "keras/layers/convolutional/base_conv_transpose.hpp"

namespace keras::layers {

using Conv2DTransposeOptions = BaseConvTransposeOptions;

class Conv2DTransposeImpl : public BaseConvTransposeImpl {
 public:
  using Options = Conv2DTransposeOptions;
  explicit Conv2DTransposeImpl(Conv2DTransposeOptions options)
      : BaseConvTransposeImpl(2, std::move(options), "Conv2DTranspose") {}
  std::string class_name() const override { return "Conv2DTranspose"; }
};
KERAS_LAYER(Conv2DTranspose);
using Convolution2DTranspose = Conv2DTranspose;

}  // namespace keras::layers
