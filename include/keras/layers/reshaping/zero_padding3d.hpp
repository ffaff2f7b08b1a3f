#pragma once
// keras.layers.ZeroPadding3D (keras/src/layers/reshaping/zero_padding3d.py): pads the three
// spatial dimensions of a 5D input with zeros.
//
//   layers::ZeroPadding3D({.padding = {{1, 0}, 2, {0, 3}}});
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/reshaping/padding_pairs.hpp"

namespace keras::layers {

struct ZeroPadding3DOptions {
  PaddingPairs padding = {{1, 1}, {1, 1}, {1, 1}};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};

class ZeroPadding3DImpl : public LayerImpl {
 public:
  using Options = ZeroPadding3DOptions;
  explicit ZeroPadding3DImpl(ZeroPadding3DOptions options);
  std::string class_name() const override { return "ZeroPadding3D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const PaddingPairs::Pairs& padding() const { return padding_; }
  const std::string& data_format() const { return data_format_; }

 private:
  PaddingPairs::Pairs padding_;
  std::string data_format_;
};
KERAS_LAYER(ZeroPadding3D);

}  // namespace keras::layers
