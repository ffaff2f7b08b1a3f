#pragma once
// keras.layers.ZeroPadding2D (keras/src/layers/reshaping/zero_padding2d.py): pads the two spatial
// dimensions of a 4D input with zeros.
//
//   layers::ZeroPadding2D({.padding = 1});                 // ((1, 1), (1, 1))
//   layers::ZeroPadding2D({.padding = {1, 2}});            // ((1, 1), (2, 2))
//   layers::ZeroPadding2D({.padding = {{1, 0}, {2, 1}}});  // ((top, bottom), (left, right))
#include "keras/layers/reshaping/pairs_layer.hpp"

namespace keras::layers {

template <>
struct ZeroPaddingOptions<2> {
  PaddingPairs padding = {1, 1};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
};

using ZeroPadding2DOptions = ZeroPaddingOptions<2>;
using ZeroPadding2DImpl = ZeroPaddingImpl<2>;
KERAS_LAYER(ZeroPadding2D);

}  // namespace keras::layers
