#pragma once
// keras.layers.Cropping2D (keras/src/layers/reshaping/cropping2d.py): crops the two spatial
// dimensions of a 4D input.
//
//   layers::Cropping2D({.cropping = 1});                 // ((1, 1), (1, 1))
//   layers::Cropping2D({.cropping = {1, 2}});            // ((1, 1), (2, 2))
//   layers::Cropping2D({.cropping = {{1, 0}, {2, 1}}});  // ((top, bottom), (left, right))
#include "keras/layers/reshaping/pairs_layer.hpp"

namespace keras::layers {

template <>
struct CroppingOptions<2> {
  PaddingPairs cropping = {{0, 0}, {0, 0}};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
};

using Cropping2DOptions = CroppingOptions<2>;
using Cropping2DImpl = CroppingImpl<2>;
KERAS_LAYER(Cropping2D);

}  // namespace keras::layers
