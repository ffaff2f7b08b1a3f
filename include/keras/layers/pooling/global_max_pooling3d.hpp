#pragma once
// keras.layers.GlobalMaxPooling3D (keras/src/layers/pooling/global_max_pooling3d.py).
#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

using GlobalMaxPooling3DOptions = GlobalPoolingOptions;

class GlobalMaxPooling3DImpl : public BaseGlobalPoolingImpl {
 public:
  using Options = GlobalMaxPooling3DOptions;
  explicit GlobalMaxPooling3DImpl(GlobalMaxPooling3DOptions options = {})
      : BaseGlobalPoolingImpl(3, "max", std::move(options), "GlobalMaxPooling3D") {}
  std::string class_name() const override { return "GlobalMaxPooling3D"; }
};
KERAS_LAYER(GlobalMaxPooling3D);
using GlobalMaxPool3D = GlobalMaxPooling3D;

}  // namespace keras::layers
