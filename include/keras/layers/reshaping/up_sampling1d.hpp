#pragma once
// keras.layers.UpSampling1D (keras/src/layers/reshaping/up_sampling1d.py): repeats each step of a
// (batch, steps, features) input `size` times.
//
//   layers::UpSampling1D({.size = 3});  // (2, 4, 5) -> (2, 12, 5)
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct UpSampling1DOptions {
  int64_t size = 2;
  KERAS_BASE_LAYER_OPTIONS;
};

class UpSampling1DImpl : public LayerImpl {
 public:
  using Options = UpSampling1DOptions;
  explicit UpSampling1DImpl(UpSampling1DOptions options);
  std::string class_name() const override { return "UpSampling1D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  int64_t size() const { return size_; }

 private:
  int64_t size_;
};
KERAS_LAYER(UpSampling1D);

}  // namespace keras::layers
