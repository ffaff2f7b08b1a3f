#include "keras/layers/activations/activation_layers.hpp"

#include "keras/activations/activations.hpp"
#include "keras/layers/registration.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

ELUImpl::ELUImpl(ELUOptions options) : LayerWith(std::move(options)) { set_supports_masking(true); }

Tensor ELUImpl::call(const Tensor& inputs, const CallContext&) {
  return activations::elu(inputs, options_.alpha);
}

KERAS_LAYER_FIELDS(ELU, ELUOptions, fields::lenient_base<ELUOptions>(),
                   fields::field("alpha", &ELUOptions::alpha));

Config ELUImpl::get_config() const {
  // ELU has no get_config of its own in Keras: the base class writes the constructor arguments
  // after the name, so "alpha" comes between "name" and "trainable".
  Config base = LayerImpl::get_config();
  Config c = Config::object();
  c["name"] = base["name"];
  return merge(merge(c, fields::write(ELU_fields(), options_)), base);
}

KERAS_REGISTER_LAYER_FIELDS(ELU, ELU_fields());

}  // namespace keras::layers
