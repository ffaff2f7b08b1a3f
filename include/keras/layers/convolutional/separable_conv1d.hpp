#pragma once
// keras.layers.SeparableConv1D (keras/src/layers/convolutional/separable_conv1d.py).
#include "keras/layers/convolutional/base_separable_conv.hpp"

namespace keras::layers {

using SeparableConv1DOptions = BaseSeparableConvOptions;

class SeparableConv1DImpl : public BaseSeparableConvImpl {
 public:
  using Options = SeparableConv1DOptions;
  explicit SeparableConv1DImpl(SeparableConv1DOptions options)
      : BaseSeparableConvImpl(1, std::move(options), "SeparableConv1D") {}
  std::string class_name() const override { return "SeparableConv1D"; }
};
KERAS_LAYER(SeparableConv1D);
using SeparableConvolution1D = SeparableConv1D;

}  // namespace keras::layers
