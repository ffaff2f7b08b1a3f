#pragma once
// keras.layers.ZeroPadding1D (keras/src/layers/reshaping/zero_padding1d.py): pads the steps axis of
// a 3D input with zeros.
//
//   layers::ZeroPadding1D({.padding = 2});       // 2 zeros at each end
//   layers::ZeroPadding1D({.padding = {1, 3}});  // (start, end)
#include "keras/core/ints.hpp"
#include "keras/layers/reshaping/pairs_layer.hpp"

namespace keras::layers {

template <>
struct ZeroPaddingOptions<1> {
  Ints padding = 1;           // an int (both ends) or (start, end)
  std::string data_format{};  // "" -> keras::config::image_data_format()
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
};

using ZeroPadding1DOptions = ZeroPaddingOptions<1>;
using ZeroPadding1DImpl = ZeroPaddingImpl<1>;
KERAS_LAYER(ZeroPadding1D);

}  // namespace keras::layers
