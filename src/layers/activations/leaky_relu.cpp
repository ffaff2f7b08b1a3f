#include "keras/layers/activations/activation_layers.hpp"

#include "keras/activations/activations.hpp"
#include "keras/layers/registration.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

LeakyReLUImpl::LeakyReLUImpl(LeakyReLUOptions options) : LayerWith(std::move(options)) {
  if (!(options_.negative_slope >= 0.0))
    throw ValueError(
        "LeakyReLU: the negative_slope value of a Leaky ReLU layer cannot be None or "
        "negative value. Expected a float. Received: negative_slope=" +
        std::to_string(options_.negative_slope));
  set_supports_masking(true);
}

Tensor LeakyReLUImpl::call(const Tensor& inputs, const CallContext&) {
  return activations::leaky_relu(inputs, options_.negative_slope);
}

KERAS_LAYER_CONFIG(
    LeakyReLU, LeakyReLUOptions, fields::lenient_base<LeakyReLUOptions>(),
    fields::field("alpha", &LeakyReLUOptions::negative_slope).read_only(),  // Keras's old name
    fields::field("negative_slope", &LeakyReLUOptions::negative_slope));

}  // namespace keras::layers
