#include "keras/layers/activations/leaky_relu.hpp"

#include "keras/activations/activations.hpp"
#include "keras/layers/registration.hpp"
#include "layers/layer_config_io.hpp"

namespace keras::layers {

LeakyReLUImpl::LeakyReLUImpl(LeakyReLUOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      options_(std::move(options)) {
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

Config LeakyReLUImpl::get_config() const {
  Config c = Config::object();
  c["negative_slope"] = options_.negative_slope;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(LeakyReLU, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  LeakyReLUOptions o;
  config_io::read_base(c, o);
  config_io::read(c, "alpha", o.negative_slope);  // Keras's deprecated name
  config_io::read(c, "negative_slope", o.negative_slope);
  return std::make_shared<LeakyReLUImpl>(o);
});

}  // namespace keras::layers
