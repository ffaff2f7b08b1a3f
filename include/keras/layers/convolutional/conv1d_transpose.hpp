#pragma once
// keras.layers.Conv1DTranspose (keras/src/layers/convolutional/conv1d_transpose.py).
#include "keras/layers/convolutional/base_conv_transpose.hpp"

namespace keras::layers {

using Conv1DTransposeOptions = BaseConvTransposeOptions;

class Conv1DTransposeImpl : public BaseConvTransposeImpl {
 public:
  using Options = Conv1DTransposeOptions;
  explicit Conv1DTransposeImpl(Conv1DTransposeOptions options)
      : BaseConvTransposeImpl(1, std::move(options), "Conv1DTranspose") {}
  std::string class_name() const override { return "Conv1DTranspose"; }
};
KERAS_LAYER(Conv1DTranspose);
using Convolution1DTranspose = Conv1DTranspose;

}  // namespace keras::layers
