#include "keras/layers/regularization/dropout_layers.hpp"

#include <cmath>
#include <sstream>

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

GaussianDropoutImpl::GaussianDropoutImpl(GaussianDropoutOptions options)
    : LayerWith(std::move(options)) {
  if (!(options_.rate >= 0.0 && options_.rate <= 1.0)) {
    std::ostringstream s;
    s << "GaussianDropout: invalid value received for argument `rate`. Expected a float value "
         "between 0 and 1. Received: rate="
      << options_.rate;
    throw ValueError(s.str());
  }
  if (options_.rate > 0.0) seed_generator_.emplace(options_.seed);
  set_supports_masking(true);
}

Tensor GaussianDropoutImpl::call(const Tensor& inputs, const CallContext& context) {
  if (!context.training || options_.rate <= 0.0 || inputs.is_symbolic()) return inputs;
  // rate 1 gives an infinite standard deviation, as in Keras.
  const double stddev = std::sqrt(options_.rate / (1.0 - options_.rate));
  Tensor noise = random::normal(inputs.shape(), {.mean = 1.0,
                                                 .stddev = stddev,
                                                 .dtype = compute_dtype(),
                                                 .seed = *seed_generator_,
                                                 .backend = std::string(inputs.backend_name())});
  return ops::multiply(inputs, noise);
}

KERAS_LAYER_CONFIG(GaussianDropout, GaussianDropoutOptions,
                   fields::field("rate", &GaussianDropoutOptions::rate),
                   fields::field("seed", &GaussianDropoutOptions::seed),
                   fields::base<GaussianDropoutOptions>());

}  // namespace keras::layers
