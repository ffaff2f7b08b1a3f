#pragma once
// keras.layers.GlobalAveragePooling3D (keras/src/layers/pooling/global_average_pooling3d.py).
#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

using GlobalAveragePooling3DOptions = GlobalPoolingOptions;

class GlobalAveragePooling3DImpl : public BaseGlobalPoolingImpl {
 public:
  using Options = GlobalAveragePooling3DOptions;
  explicit GlobalAveragePooling3DImpl(GlobalAveragePooling3DOptions options = {})
      : BaseGlobalPoolingImpl(3, "average", std::move(options), "GlobalAveragePooling3D") {}
  std::string class_name() const override { return "GlobalAveragePooling3D"; }
};
KERAS_LAYER(GlobalAveragePooling3D);
using GlobalAvgPool3D = GlobalAveragePooling3D;

}  // namespace keras::layers
