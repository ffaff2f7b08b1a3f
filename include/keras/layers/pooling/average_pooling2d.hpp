#pragma once
// keras.layers.AveragePooling2D (keras/src/layers/pooling/average_pooling2d.py).
#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

using AveragePooling2DOptions = AveragePoolingOptions;

class AveragePooling2DImpl : public BasePoolingImpl {
 public:
  using Options = AveragePooling2DOptions;
  explicit AveragePooling2DImpl(AveragePooling2DOptions o)
      : BasePoolingImpl(2, "average", o.pool_size, o.strides, o.padding, o.data_format,
                        LayerOptions{.name = o.name, .dtype = o.dtype, .trainable = o.trainable},
                        "AveragePooling2D") {}
  std::string class_name() const override { return "AveragePooling2D"; }
};
KERAS_LAYER(AveragePooling2D);
using AvgPool2D = AveragePooling2D;

}  // namespace keras::layers
