#pragma once
// keras.layers.Cropping2D (keras/src/layers/reshaping/cropping2d.py): crops the two spatial
// dimensions of a 4D input.
//
//   layers::Cropping2D({.cropping = 1});                 // ((1, 1), (1, 1))
//   layers::Cropping2D({.cropping = {1, 2}});            // ((1, 1), (2, 2))
//   layers::Cropping2D({.cropping = {{1, 0}, {2, 1}}});  // ((top, bottom), (left, right))
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/reshaping/padding_pairs.hpp"

namespace keras::layers {

struct Cropping2DOptions {
  PaddingPairs cropping = {{0, 0}, {0, 0}};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};

class Cropping2DImpl : public LayerImpl {
 public:
  using Options = Cropping2DOptions;
  explicit Cropping2DImpl(Cropping2DOptions options);
  std::string class_name() const override { return "Cropping2D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const PaddingPairs::Pairs& cropping() const { return cropping_; }
  const std::string& data_format() const { return data_format_; }

 private:
  PaddingPairs::Pairs cropping_;
  std::string data_format_;
};
KERAS_LAYER(Cropping2D);

}  // namespace keras::layers
