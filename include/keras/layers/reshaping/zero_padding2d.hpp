#pragma once
// keras.layers.ZeroPadding2D (keras/src/layers/reshaping/zero_padding2d.py): pads the two spatial
// dimensions of a 4D input with zeros.
//
//   layers::ZeroPadding2D({.padding = 1});                 // ((1, 1), (1, 1))
//   layers::ZeroPadding2D({.padding = {1, 2}});            // ((1, 1), (2, 2))
//   layers::ZeroPadding2D({.padding = {{1, 0}, {2, 1}}});  // ((top, bottom), (left, right))
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/reshaping/padding_pairs.hpp"

namespace keras::layers {

struct ZeroPadding2DOptions {
  PaddingPairs padding = {1, 1};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};

class ZeroPadding2DImpl : public LayerImpl {
 public:
  using Options = ZeroPadding2DOptions;
  explicit ZeroPadding2DImpl(ZeroPadding2DOptions options);
  std::string class_name() const override { return "ZeroPadding2D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const PaddingPairs::Pairs& padding() const { return padding_; }
  const std::string& data_format() const { return data_format_; }

 private:
  PaddingPairs::Pairs padding_;
  std::string data_format_;
};
KERAS_LAYER(ZeroPadding2D);

}  // namespace keras::layers
