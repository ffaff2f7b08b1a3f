#include "keras/layers/preprocessing/rescaling.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

RescalingImpl::RescalingImpl(RescalingOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  set_supports_masking(true);
}

Tensor RescalingImpl::call(const Tensor& inputs, const CallContext&) {
  DType d = compute_dtype();
  Tensor x = inputs.dtype() == d ? inputs : ops::cast(inputs, d);
  Tensor y = ops::multiply(x, ops::cast(Tensor(options_.scale), d));
  if (options_.offset != 0.0) y = ops::add(y, ops::cast(Tensor(options_.offset), d));
  return y;
}

KERAS_LAYER_CONFIG(Rescaling, RescalingOptions, fields::field("scale", &RescalingOptions::scale),
                   fields::field("offset", &RescalingOptions::offset),
                   fields::base<RescalingOptions>());

}  // namespace keras::layers
