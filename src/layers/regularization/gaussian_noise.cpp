#include "keras/layers/regularization/dropout_layers.hpp"

#include <sstream>

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

GaussianNoiseImpl::GaussianNoiseImpl(GaussianNoiseOptions options) : LayerWith(std::move(options)) {
  if (!(options_.stddev >= 0.0 && options_.stddev <= 1.0)) {
    std::ostringstream s;
    s << "GaussianNoise: invalid value received for argument `stddev`. Expected a float value "
         "between 0 and 1. Received: stddev="
      << options_.stddev;
    throw ValueError(s.str());
  }
  if (options_.stddev > 0.0) seed_generator_.emplace(options_.seed);
  set_supports_masking(true);
}

Tensor GaussianNoiseImpl::call(const Tensor& inputs, const CallContext& context) {
  if (!context.training || options_.stddev <= 0.0 || inputs.is_symbolic()) return inputs;
  Tensor noise = random::normal(inputs.shape(), {.mean = 0.0,
                                                 .stddev = options_.stddev,
                                                 .dtype = compute_dtype(),
                                                 .seed = *seed_generator_,
                                                 .backend = std::string(inputs.backend_name())});
  return ops::add(inputs, noise);
}

KERAS_LAYER_CONFIG(GaussianNoise, GaussianNoiseOptions,
                   fields::field("stddev", &GaussianNoiseOptions::stddev),
                   fields::field("seed", &GaussianNoiseOptions::seed),
                   fields::base<GaussianNoiseOptions>());

}  // namespace keras::layers
