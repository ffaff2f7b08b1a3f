#pragma once
// One Keras class of a family that differs only by its number of spatial dimensions: Conv2D is
// BaseConv at rank 2, named "Conv2D". `Base` declares `using Options = ...` and a constructor
// (int rank, Options, const std::string& where), `where` being the class name for messages.
//
//   KERAS_RANKED_LAYER(Conv2D, BaseConvImpl, 2, Convolution2D);
//   // declares Conv2D, Conv2DImpl, Conv2DOptions and the alias Convolution2D (optional)
#include <string>
#include <utility>

#include "keras/core/fixed_string.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

template <class Base, int Rank, FixedString Name>
class RankedLayer : public Base {
 public:
  using Options = typename Base::Options;
  explicit RankedLayer(Options options = {}) : Base(Rank, std::move(options), Name.str()) {}
  std::string class_name() const override { return Name.str(); }
};

}  // namespace keras::layers

#define KERAS_RANKED_LAYER(Name, Base, Rank, ...)                        \
  KERAS_LAYER_OF(Name, ::keras::layers::RankedLayer<Base, Rank, #Name>); \
  __VA_OPT__(using __VA_ARGS__ = Name)
