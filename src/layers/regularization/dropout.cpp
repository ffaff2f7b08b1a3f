#include "keras/layers/regularization/dropout.hpp"

#include <sstream>

#include "keras/layers/registration.hpp"
#include "keras/random/random.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

DropoutImpl::DropoutImpl(DropoutOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      options_(std::move(options)),
      seed_generator_(options_.seed) {
  if (!(options_.rate >= 0.0 && options_.rate <= 1.0)) {
    std::ostringstream s;
    s << "Dropout: invalid value received for argument `rate`. Expected a float value between 0 "
         "and 1. "
         "Received: rate="
      << options_.rate;
    throw ValueError(s.str());
  }
  if (options_.noise_shape)
    for (size_t i = 0; i < options_.noise_shape->size(); ++i) {
      int64_t d = (*options_.noise_shape)[i];
      if (d != Shape::kNone && d <= 0)
        throw ValueError(
            "Dropout: invalid value received for argument `noise_shape`. Expected all "
            "dimensions to be positive integers or None. Received " +
            std::to_string(d) + " at index " + std::to_string(i));
    }
  set_supports_masking(true);
}

Tensor DropoutImpl::call(const Tensor& inputs, const CallContext& context) {
  if (!context.training || options_.rate <= 0.0 || inputs.is_symbolic()) return inputs;
  return random::dropout(inputs, options_.rate,
                         {.noise_shape = options_.noise_shape, .seed = seed_generator_});
}

Config DropoutImpl::get_config() const {
  Config c = Config::object();
  c["rate"] = options_.rate;
  c["seed"] = options_.seed ? Config(*options_.seed) : Config(nullptr);
  if (options_.noise_shape) {
    Config ns = Config::array();
    for (int64_t d : *options_.noise_shape) ns.push_back(d < 0 ? Config(nullptr) : Config(d));
    c["noise_shape"] = ns;
  } else {
    c["noise_shape"] = nullptr;
  }
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Dropout, [](const Config& c) {
  DropoutOptions o;
  o.rate = detail::get_or<double>(c, "rate", 0.0);
  if (detail::has(c, "seed")) o.seed = saving::config_int(c["seed"], "seed");
  if (detail::has(c, "noise_shape")) {
    Shape s;
    for (const Config& d : c["noise_shape"])
      s.push_back(saving::config_dim(d, "noise_shape", Shape::kNone));
    o.noise_shape = s;
  }
  detail::read_base(c, o);
  return std::make_shared<DropoutImpl>(std::move(o));
});

}  // namespace keras::layers
