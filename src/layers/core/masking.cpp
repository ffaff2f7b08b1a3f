#include "keras/layers/core/masking.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

MaskingImpl::MaskingImpl(MaskingOptions options) : LayerWith(std::move(options)) {
  set_supports_masking(true);
}

Tensor MaskingImpl::call(const Tensor& inputs, const CallContext&) {
  if (inputs.shape().rank() < 1)
    throw ValueError("Masking '" + name() + "': inputs must have at least one axis, got shape " +
                     inputs.shape().to_string());
  Tensor keep =
      ops::any(ops::not_equal(inputs, Tensor(options_.mask_value)), {.axis = -1, .keepdims = true});
  Tensor outputs = ops::where(keep, inputs, ops::zeros({}, inputs.dtype()));
  // Output and mask are computed together, as Keras does.
  outputs.set_keras_mask(ops::squeeze(keep, -1));
  return outputs;
}

Tensor MaskingImpl::compute_mask(const std::vector<Tensor>& inputs, const Tensor&) const {
  return ops::any(ops::not_equal(inputs.at(0), Tensor(options_.mask_value)), {.axis = -1});
}

KERAS_LAYER_CONFIG(Masking, MaskingOptions,
                   fields::field("mask_value", &MaskingOptions::mask_value),
                   fields::base<MaskingOptions>());

}  // namespace keras::layers
