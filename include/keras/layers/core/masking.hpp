#pragma once
// keras.layers.Masking (keras/src/layers/core/masking.py): masks the timesteps whose features all
// equal `mask_value`. The output is the input with masked timesteps set to 0; its keras_mask() is
// any(inputs != mask_value, axis=-1), read by the next masking-aware layers (RNNs, attention,
// losses).
//
//   auto x = layers::Masking({.mask_value = 0.0})(inputs);   // x.keras_mask(): (batch, time)
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct MaskingOptions {
  double mask_value = 0.0;
  KERAS_BASE_LAYER_OPTIONS;
};

class MaskingImpl : public LayerWith<MaskingOptions, "Masking"> {
 public:
  explicit MaskingImpl(MaskingOptions options = {});
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Tensor compute_mask(const std::vector<Tensor>& inputs, const Tensor& mask) const override;
  Config get_config() const override;
  double mask_value() const { return options_.mask_value; }
};
KERAS_LAYER(Masking);

}  // namespace keras::layers
