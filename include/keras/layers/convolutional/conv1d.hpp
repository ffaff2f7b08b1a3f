#pragma once
// keras.layers.Conv1D (keras/src/layers/convolutional/conv1d.py).
//
//   auto conv = layers::Conv1D({.filters = 32, .kernel_size = 3, .padding = "same", .activation =
//   "relu"});
#include "keras/layers/convolutional/base_conv.hpp"

namespace keras::layers {

using Conv1DOptions = BaseConvOptions;

class Conv1DImpl : public BaseConvImpl {
 public:
  using Options = Conv1DOptions;
  explicit Conv1DImpl(Conv1DOptions options) : BaseConvImpl(1, std::move(options), "Conv1D") {}
  std::string class_name() const override { return "Conv1D"; }
};
KERAS_LAYER(Conv1D);
using Convolution1D = Conv1D;

}  // namespace keras::layers
