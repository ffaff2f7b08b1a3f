#pragma once
// keras.layers.AveragePooling3D (keras/src/layers/pooling/average_pooling3d.py).
#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

using AveragePooling3DOptions = AveragePoolingOptions;

class AveragePooling3DImpl : public BasePoolingImpl {
 public:
  using Options = AveragePooling3DOptions;
  explicit AveragePooling3DImpl(AveragePooling3DOptions o)
      : BasePoolingImpl(3, "average", o.pool_size, o.strides, o.padding, o.data_format,
                        LayerOptions{.name = o.name, .dtype = o.dtype, .trainable = o.trainable},
                        "AveragePooling3D") {}
  std::string class_name() const override { return "AveragePooling3D"; }
};
KERAS_LAYER(AveragePooling3D);
using AvgPool3D = AveragePooling3D;

}  // namespace keras::layers
