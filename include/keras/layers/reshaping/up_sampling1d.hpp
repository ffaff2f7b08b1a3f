#pragma once
// keras.layers.UpSampling1D (keras/src/layers/reshaping/up_sampling1d.py): repeats each step of a
// (batch, steps, features) input `size` times.
//
//   layers::UpSampling1D({.size = 3});  // (2, 4, 5) -> (2, 12, 5)
#include "keras/layers/reshaping/up_sampling.hpp"

namespace keras::layers {

template <>
struct UpSamplingOptions<1> {
  int64_t size = 2;
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
};

using UpSampling1DOptions = UpSamplingOptions<1>;
using UpSampling1DImpl = UpSamplingImpl<1>;
KERAS_LAYER(UpSampling1D);

}  // namespace keras::layers
