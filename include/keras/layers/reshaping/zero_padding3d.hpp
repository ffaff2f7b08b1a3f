#pragma once
// keras.layers.ZeroPadding3D (keras/src/layers/reshaping/zero_padding3d.py): pads the three
// spatial dimensions of a 5D input with zeros.
//
//   layers::ZeroPadding3D({.padding = {{1, 0}, 2, {0, 3}}});
#include "keras/layers/reshaping/pairs_layer.hpp"

namespace keras::layers {

template <>
struct ZeroPaddingOptions<3> {
  PaddingPairs padding = {{1, 1}, {1, 1}, {1, 1}};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
};

using ZeroPadding3DOptions = ZeroPaddingOptions<3>;
using ZeroPadding3DImpl = ZeroPaddingImpl<3>;
KERAS_LAYER(ZeroPadding3D);

}  // namespace keras::layers
