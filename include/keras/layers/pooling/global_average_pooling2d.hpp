#pragma once
// keras.layers.GlobalAveragePooling2D (keras/src/layers/pooling/global_average_pooling2d.py).
#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

using GlobalAveragePooling2DOptions = GlobalPoolingOptions;

class GlobalAveragePooling2DImpl : public BaseGlobalPoolingImpl {
 public:
  using Options = GlobalAveragePooling2DOptions;
  explicit GlobalAveragePooling2DImpl(GlobalAveragePooling2DOptions options = {})
      : BaseGlobalPoolingImpl(2, "average", std::move(options), "GlobalAveragePooling2D") {}
  std::string class_name() const override { return "GlobalAveragePooling2D"; }
};
KERAS_LAYER(GlobalAveragePooling2D);
using GlobalAvgPool2D = GlobalAveragePooling2D;

}  // namespace keras::layers
