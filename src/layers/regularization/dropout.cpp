#include "keras/layers/regularization/dropout_layers.hpp"

#include <sstream>

#include "keras/layers/registration.hpp"
#include "keras/random/random.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

DropoutImpl::DropoutImpl(DropoutOptions options)
    : LayerWith(std::move(options)), seed_generator_(options_.seed) {
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

KERAS_LAYER_CONFIG(Dropout, DropoutOptions, fields::field("rate", &DropoutOptions::rate),
                   fields::field("seed", &DropoutOptions::seed),
                   fields::field("noise_shape", &DropoutOptions::noise_shape),
                   fields::base<DropoutOptions>());

}  // namespace keras::layers
