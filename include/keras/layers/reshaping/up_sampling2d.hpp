#pragma once
// keras.layers.UpSampling2D (keras/src/layers/reshaping/up_sampling2d.py): enlarges the two
// spatial dimensions of a 4D input by integer factors, repeating rows and columns ("nearest") or
// interpolating linearly with half-pixel centres like keras.ops.image.resize ("bilinear").
//
//   layers::UpSampling2D({.size = {2, 3}, .interpolation = "bilinear"});
#include "keras/core/ints.hpp"
#include "keras/layers/reshaping/up_sampling.hpp"

namespace keras::layers {

template <>
struct UpSamplingOptions<2> {
  Ints size = {2, 2};
  std::string data_format{};              // "" -> keras::config::image_data_format()
  std::string interpolation = "nearest";  // "nearest" or "bilinear" (case-insensitive)
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
};

using UpSampling2DOptions = UpSamplingOptions<2>;
using UpSampling2DImpl = UpSamplingImpl<2>;
KERAS_LAYER(UpSampling2D);

}  // namespace keras::layers
