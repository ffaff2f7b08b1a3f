#pragma once
// keras.layers.Cropping3D (keras/src/layers/reshaping/cropping3d.py): crops the three spatial
// dimensions of a 5D input.
//
//   layers::Cropping3D({.cropping = {{1, 0}, 2, {0, 3}}});
#include "keras/layers/reshaping/pairs_layer.hpp"

namespace keras::layers {

template <>
struct CroppingOptions<3> {
  PaddingPairs cropping = {{1, 1}, {1, 1}, {1, 1}};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
};

using Cropping3DOptions = CroppingOptions<3>;
using Cropping3DImpl = CroppingImpl<3>;
KERAS_LAYER(Cropping3D);

}  // namespace keras::layers
