#pragma once
// keras.layers.UpSampling2D (keras/src/layers/reshaping/up_sampling2d.py): enlarges the two
// spatial dimensions of a 4D input by integer factors, repeating rows and columns ("nearest") or
// interpolating linearly with half-pixel centres like keras.ops.image.resize ("bilinear").
//
//   layers::UpSampling2D({.size = {2, 3}, .interpolation = "bilinear"});
#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct UpSampling2DOptions {
  Ints size = {2, 2};
  std::string data_format{};              // "" -> keras::config::image_data_format()
  std::string interpolation = "nearest";  // "nearest" or "bilinear" (case-insensitive)
  KERAS_BASE_LAYER_OPTIONS;
};

class UpSampling2DImpl : public LayerImpl {
 public:
  using Options = UpSampling2DOptions;
  explicit UpSampling2DImpl(UpSampling2DOptions options);
  std::string class_name() const override { return "UpSampling2D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const std::vector<int64_t>& size() const { return size_; }
  const std::string& data_format() const { return data_format_; }
  const std::string& interpolation() const { return interpolation_; }

 private:
  std::vector<int64_t> size_;
  std::string data_format_;
  std::string interpolation_;
};
KERAS_LAYER(UpSampling2D);

}  // namespace keras::layers
