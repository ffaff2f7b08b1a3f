#pragma once
// keras.layers.AveragePooling1D (keras/src/layers/pooling/average_pooling1d.py).
#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

using AveragePooling1DOptions = AveragePoolingOptions;

class AveragePooling1DImpl : public BasePoolingImpl {
 public:
  using Options = AveragePooling1DOptions;
  explicit AveragePooling1DImpl(AveragePooling1DOptions o)
      : BasePoolingImpl(1, "average", o.pool_size, o.strides, o.padding, o.data_format,
                        LayerOptions{.name = o.name, .dtype = o.dtype, .trainable = o.trainable},
                        "AveragePooling1D") {}
  std::string class_name() const override { return "AveragePooling1D"; }
};
KERAS_LAYER(AveragePooling1D);
using AvgPool1D = AveragePooling1D;

}  // namespace keras::layers
