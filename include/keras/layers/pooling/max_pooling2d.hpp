#pragma once
// keras.layers.MaxPooling2D (keras/src/layers/pooling/max_pooling2d.py).
#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

using MaxPooling2DOptions = MaxPoolingOptions;

class MaxPooling2DImpl : public BasePoolingImpl {
 public:
  using Options = MaxPooling2DOptions;
  explicit MaxPooling2DImpl(MaxPooling2DOptions o)
      : BasePoolingImpl(2, "max", o.pool_size, o.strides, o.padding, o.data_format,
                        LayerOptions{.name = o.name, .dtype = o.dtype, .trainable = o.trainable},
                        "MaxPooling2D") {}
  std::string class_name() const override { return "MaxPooling2D"; }
};
KERAS_LAYER(MaxPooling2D);
using MaxPool2D = MaxPooling2D;

}  // namespace keras::layers
