#pragma once
// keras.layers.Cropping1D (keras/src/layers/reshaping/cropping1d.py): crops (start, end) steps off
// axis 1 of a (batch, steps, features) input.
//
//   auto crop = layers::Cropping1D({.cropping = {1, 2}});  // (2, 10, 4) -> (2, 7, 4)
#include "keras/core/ints.hpp"
#include "keras/layers/reshaping/pairs_layer.hpp"

namespace keras::layers {

template <>
struct CroppingOptions<1> {
  Ints cropping = {1, 1};  // an int (both ends) or (start, end)
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
};

using Cropping1DOptions = CroppingOptions<1>;
using Cropping1DImpl = CroppingImpl<1>;
KERAS_LAYER(Cropping1D);

}  // namespace keras::layers
