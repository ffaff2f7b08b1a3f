#pragma once
// keras.layers.MaxPooling1D (keras/src/layers/pooling/max_pooling1d.py).
#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

using MaxPooling1DOptions = MaxPoolingOptions;

class MaxPooling1DImpl : public BasePoolingImpl {
 public:
  using Options = MaxPooling1DOptions;
  explicit MaxPooling1DImpl(MaxPooling1DOptions o)
      : BasePoolingImpl(1, "max", o.pool_size, o.strides, o.padding, o.data_format,
                        LayerOptions{.name = o.name, .dtype = o.dtype, .trainable = o.trainable},
                        "MaxPooling1D") {}
  std::string class_name() const override { return "MaxPooling1D"; }
};
KERAS_LAYER(MaxPooling1D);
using MaxPool1D = MaxPooling1D;

}  // namespace keras::layers
