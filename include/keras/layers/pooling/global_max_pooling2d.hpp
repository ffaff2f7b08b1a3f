#pragma once
// keras.layers.GlobalMaxPooling2D (keras/src/layers/pooling/global_max_pooling2d.py).
#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

using GlobalMaxPooling2DOptions = GlobalPoolingOptions;

class GlobalMaxPooling2DImpl : public BaseGlobalPoolingImpl {
 public:
  using Options = GlobalMaxPooling2DOptions;
  explicit GlobalMaxPooling2DImpl(GlobalMaxPooling2DOptions options = {})
      : BaseGlobalPoolingImpl(2, "max", std::move(options), "GlobalMaxPooling2D") {}
  std::string class_name() const override { return "GlobalMaxPooling2D"; }
};
KERAS_LAYER(GlobalMaxPooling2D);
using GlobalMaxPool2D = GlobalMaxPooling2D;

}  // namespace keras::layers
