#include "keras/layers/activations/activation.hpp"

#include "keras/layers/registration.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

ActivationImpl::ActivationImpl(ActivationOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      options_(std::move(options)) {
  set_supports_masking(true);
}

Tensor ActivationImpl::call(const Tensor& inputs, const CallContext&) {
  return options_.activation(inputs);
}

Config ActivationImpl::get_config() const {
  Config c = Config::object();
  c["activation"] = activations::serialize(options_.activation);
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Activation, [](const Config& c) {
  ActivationOptions o;
  o.activation = detail::read_activation(c, "activation");
  detail::read_base(c, o);
  return std::make_shared<ActivationImpl>(std::move(o));
});

}  // namespace keras::layers
