#pragma once
// keras.layers.Identity (keras/src/layers/core/identity.py): returns its input.
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct IdentityOptions {
  KERAS_BASE_LAYER_OPTIONS;
};

class IdentityImpl : public LayerWith<IdentityOptions, "Identity"> {
 public:
  explicit IdentityImpl(IdentityOptions options = {});
  Tensor call(const Tensor& inputs, const CallContext& context) override;
};
KERAS_LAYER(Identity);

}  // namespace keras::layers
