#pragma once
// keras.layers.MaxPooling3D (keras/src/layers/pooling/max_pooling3d.py).
#include "keras/layers/pooling/base_pooling.hpp"

namespace keras::layers {

using MaxPooling3DOptions = MaxPoolingOptions;

class MaxPooling3DImpl : public BasePoolingImpl {
 public:
  using Options = MaxPooling3DOptions;
  explicit MaxPooling3DImpl(MaxPooling3DOptions o)
      : BasePoolingImpl(3, "max", o.pool_size, o.strides, o.padding, o.data_format,
                        LayerOptions{.name = o.name, .dtype = o.dtype, .trainable = o.trainable},
                        "MaxPooling3D") {}
  std::string class_name() const override { return "MaxPooling3D"; }
};
KERAS_LAYER(MaxPooling3D);
using MaxPool3D = MaxPooling3D;

}  // namespace keras::layers
