#include "keras/layers/activations/activation.hpp"

#include "keras/layers/registration.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

ActivationImpl::ActivationImpl(ActivationOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  set_supports_masking(true);
}

Tensor ActivationImpl::call(const Tensor& inputs, const CallContext&) {
  return options_.activation(inputs);
}

KERAS_LAYER_CONFIG(Activation, ActivationOptions,
                   fields::field("activation", &ActivationOptions::activation),
                   fields::base<ActivationOptions>());

}  // namespace keras::layers
