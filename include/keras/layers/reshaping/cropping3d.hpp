#pragma once
// keras.layers.Cropping3D (keras/src/layers/reshaping/cropping3d.py): crops the three spatial
// dimensions of a 5D input.
//
//   layers::Cropping3D({.cropping = {{1, 0}, 2, {0, 3}}});
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/reshaping/padding_pairs.hpp"

namespace keras::layers {

struct Cropping3DOptions {
  PaddingPairs cropping = {{1, 1}, {1, 1}, {1, 1}};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};

class Cropping3DImpl : public LayerImpl {
 public:
  using Options = Cropping3DOptions;
  explicit Cropping3DImpl(Cropping3DOptions options);
  std::string class_name() const override { return "Cropping3D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const PaddingPairs::Pairs& cropping() const { return cropping_; }
  const std::string& data_format() const { return data_format_; }

 private:
  PaddingPairs::Pairs cropping_;
  std::string data_format_;
};
KERAS_LAYER(Cropping3D);

}  // namespace keras::layers
