#pragma once
// keras.layers.ZeroPadding1D (keras/src/layers/reshaping/zero_padding1d.py): pads the steps axis of
// a 3D input with zeros.
//
//   layers::ZeroPadding1D({.padding = 2});       // 2 zeros at each end
//   layers::ZeroPadding1D({.padding = {1, 3}});  // (start, end)
#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct ZeroPadding1DOptions {
  Ints padding = 1;           // an int (both ends) or (start, end)
  std::string data_format{};  // "" -> keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};

class ZeroPadding1DImpl : public LayerImpl {
 public:
  using Options = ZeroPadding1DOptions;
  explicit ZeroPadding1DImpl(ZeroPadding1DOptions options);
  std::string class_name() const override { return "ZeroPadding1D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  std::pair<int64_t, int64_t> padding() const { return padding_; }
  const std::string& data_format() const { return data_format_; }

 private:
  std::pair<int64_t, int64_t> padding_;
  std::string data_format_;
};
KERAS_LAYER(ZeroPadding1D);

}  // namespace keras::layers
