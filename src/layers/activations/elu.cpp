#include "keras/layers/activations/elu.hpp"

#include "keras/activations/activations.hpp"
#include "keras/layers/registration.hpp"
#include "layers/layer_config_io.hpp"

namespace keras::layers {

ELUImpl::ELUImpl(ELUOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      options_(std::move(options)) {
  set_supports_masking(true);
}

Tensor ELUImpl::call(const Tensor& inputs, const CallContext&) {
  return activations::elu(inputs, options_.alpha);
}

Config ELUImpl::get_config() const {
  // ELU has no get_config of its own in Keras: the base class writes the constructor arguments
  // after the name, so "alpha" comes between "name" and "trainable".
  Config base = LayerImpl::get_config();
  Config c = Config::object();
  c["name"] = base["name"];
  c["alpha"] = options_.alpha;
  return merge(c, base);
}

KERAS_REGISTER_LAYER(ELU, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  ELUOptions o;
  config_io::read_base(c, o);
  config_io::read(c, "alpha", o.alpha);
  return std::make_shared<ELUImpl>(o);
});

}  // namespace keras::layers
