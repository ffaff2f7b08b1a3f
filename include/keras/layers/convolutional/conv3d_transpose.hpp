#pragma once
// keras.layers.Conv3DTranspose (keras/src/layers/convolutional/conv3d_transpose.py).
#include "keras/layers/convolutional/base_conv_transpose.hpp"

namespace keras::layers {

using Conv3DTransposeOptions = BaseConvTransposeOptions;

class Conv3DTransposeImpl : public BaseConvTransposeImpl {
 public:
  using Options = Conv3DTransposeOptions;
  explicit Conv3DTransposeImpl(Conv3DTransposeOptions options)
      : BaseConvTransposeImpl(3, std::move(options), "Conv3DTranspose") {}
  std::string class_name() const override { return "Conv3DTranspose"; }
};
KERAS_LAYER(Conv3DTranspose);
using Convolution3DTranspose = Conv3DTranspose;

}  // namespace keras::layers
