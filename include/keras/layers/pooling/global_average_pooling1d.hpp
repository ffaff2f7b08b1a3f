#pragma once
// keras.layers.GlobalAveragePooling1D (keras/src/layers/pooling/global_average_pooling1d.py).
#include "keras/layers/pooling/base_global_pooling.hpp"

namespace keras::layers {

using GlobalAveragePooling1DOptions = GlobalPoolingOptions;

class GlobalAveragePooling1DImpl : public BaseGlobalPoolingImpl {
 public:
  using Options = GlobalAveragePooling1DOptions;
  explicit GlobalAveragePooling1DImpl(GlobalAveragePooling1DOptions options = {})
      : BaseGlobalPoolingImpl(1, "average", std::move(options), "GlobalAveragePooling1D") {}
  std::string class_name() const override { return "GlobalAveragePooling1D"; }
};
KERAS_LAYER(GlobalAveragePooling1D);
using GlobalAvgPool1D = GlobalAveragePooling1D;

}  // namespace keras::layers
