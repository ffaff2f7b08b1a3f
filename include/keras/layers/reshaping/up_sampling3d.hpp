#pragma once
// keras.layers.UpSampling3D (keras/src/layers/reshaping/up_sampling3d.py): repeats the three
// spatial dimensions of a 5D input by integer factors.
//
//   layers::UpSampling3D({.size = {1, 2, 2}});
#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct UpSampling3DOptions {
  Ints size = {2, 2, 2};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};

class UpSampling3DImpl : public LayerImpl {
 public:
  using Options = UpSampling3DOptions;
  explicit UpSampling3DImpl(UpSampling3DOptions options);
  std::string class_name() const override { return "UpSampling3D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const std::vector<int64_t>& size() const { return size_; }
  const std::string& data_format() const { return data_format_; }

 private:
  std::vector<int64_t> size_;
  std::string data_format_;
};
KERAS_LAYER(UpSampling3D);

}  // namespace keras::layers
