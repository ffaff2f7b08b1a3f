#pragma once
// keras.layers.Identity (keras/src/layers/core/identity.py): returns its input.
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct IdentityOptions {
  KERAS_BASE_LAYER_OPTIONS;
};

class IdentityImpl : public LayerImpl {
 public:
  using Options = IdentityOptions;
  explicit IdentityImpl(IdentityOptions options = {});
  std::string class_name() const override { return "Identity"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
};
KERAS_LAYER(Identity);

}  // namespace keras::layers
