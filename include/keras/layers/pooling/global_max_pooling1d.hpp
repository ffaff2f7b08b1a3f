#pragma once
// keras.layers.GlobalMaxPooling1D (keras/src/layers/pooling/global_max_pooling1d.py).
#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

using GlobalMaxPooling1DOptions = GlobalPoolingOptions;

class GlobalMaxPooling1DImpl : public BaseGlobalPoolingImpl {
 public:
  using Options = GlobalMaxPooling1DOptions;
  explicit GlobalMaxPooling1DImpl(GlobalMaxPooling1DOptions options = {})
      : BaseGlobalPoolingImpl(1, "max", std::move(options), "GlobalMaxPooling1D") {}
  std::string class_name() const override { return "GlobalMaxPooling1D"; }
};
KERAS_LAYER(GlobalMaxPooling1D);
using GlobalMaxPool1D = GlobalMaxPooling1D;

}  // namespace keras::layers
