#pragma once
// keras.layers.Rescaling (keras/src/layers/preprocessing/rescaling.py): inputs * scale + offset,
// computed in the layer's dtype.
//
//   auto rescale = layers::Rescaling({.scale = 1.0 / 255});
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct RescalingOptions {
  double scale = 1.0;  // required in Keras
  double offset = 0.0;
  KERAS_BASE_LAYER_OPTIONS;
};

class RescalingImpl : public LayerImpl {
 public:
  using Options = RescalingOptions;
  explicit RescalingImpl(RescalingOptions options);
  std::string class_name() const override { return "Rescaling"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;

 private:
  RescalingOptions options_;
};
KERAS_LAYER(Rescaling);

}  // namespace keras::layers
