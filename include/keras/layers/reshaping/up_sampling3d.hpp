#pragma once
// keras.layers.UpSampling3D (keras/src/layers/reshaping/up_sampling3d.py): repeats the three
// spatial dimensions of a 5D input by integer factors.
//
//   layers::UpSampling3D({.size = {1, 2, 2}});
#include "keras/core/ints.hpp"
#include "keras/layers/reshaping/up_sampling.hpp"

namespace keras::layers {

template <>
struct UpSamplingOptions<3> {
  Ints size = {2, 2, 2};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
};

using UpSampling3DOptions = UpSamplingOptions<3>;
using UpSampling3DImpl = UpSamplingImpl<3>;
KERAS_LAYER(UpSampling3D);

}  // namespace keras::layers
