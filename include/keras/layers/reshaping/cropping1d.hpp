#pragma once
// keras.layers.Cropping1D (keras/src/layers/reshaping/cropping1d.py): crops (start, end) steps off
// axis 1 of a (batch, steps, features) input.
//
//   auto crop = layers::Cropping1D({.cropping = {1, 2}});  // (2, 10, 4) -> (2, 7, 4)
#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct Cropping1DOptions {
  Ints cropping = {1, 1};  // an int (both ends) or (start, end)
  KERAS_BASE_LAYER_OPTIONS;
};

class Cropping1DImpl : public LayerImpl {
 public:
  using Options = Cropping1DOptions;
  explicit Cropping1DImpl(Cropping1DOptions options);
  std::string class_name() const override { return "Cropping1D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  std::pair<int64_t, int64_t> cropping() const { return cropping_; }

 private:
  std::pair<int64_t, int64_t> cropping_;
};
KERAS_LAYER(Cropping1D);

}  // namespace keras::layers
