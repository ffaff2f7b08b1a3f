#include "keras/layers/regularization/dropout_layers.hpp"

#include <cmath>
#include <sstream>

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

AlphaDropoutImpl::AlphaDropoutImpl(AlphaDropoutOptions options) : LayerWith(std::move(options)) {
  if (!(options_.rate >= 0.0 && options_.rate <= 1.0)) {
    std::ostringstream s;
    s << "AlphaDropout: invalid value received for argument `rate`. Expected a float value "
         "between 0 and 1. Received: rate="
      << options_.rate;
    throw ValueError(s.str());
  }
  if (options_.noise_shape)
    for (size_t i = 0; i < options_.noise_shape->size(); ++i) {
      int64_t d = (*options_.noise_shape)[i];
      if (d != Shape::kNone && d <= 0)
        throw ValueError(
            "AlphaDropout: invalid value received for argument `noise_shape`. Expected "
            "all dimensions to be positive integers or None. Received " +
            std::to_string(d) + " at index " + std::to_string(i));
    }
  if (options_.rate > 0.0) seed_generator_.emplace(options_.seed);
  set_supports_masking(true);
}

Tensor AlphaDropoutImpl::call(const Tensor& inputs, const CallContext& context) {
  if (!context.training || options_.rate <= 0.0 || inputs.is_symbolic()) return inputs;
  const Shape& in = inputs.shape();
  Shape noise = in;
  if (options_.noise_shape) {
    const Shape& ns = *options_.noise_shape;
    if (ns.rank() != in.rank())
      throw ValueError(detail::layer_str(*this) + ": `noise_shape` " + ns.to_string() + " has " +
                       std::to_string(ns.rank()) + " dimensions but the input has " +
                       std::to_string(in.rank()) + " (input shape " + in.to_string() + ")");
    for (int i = 0; i < ns.rank(); ++i) noise[i] = ns[i] == Shape::kNone ? in[i] : ns[i];
  }
  // SELU's constants; alpha_p is its negative saturation value.
  const double alpha = 1.6732632423543772848170429916717;
  const double scale = 1.0507009873554804934193349852946;
  const double alpha_p = -alpha * scale;
  const double rate = options_.rate;
  const double a = std::pow((1.0 - rate) * (1.0 + rate * alpha_p * alpha_p), -0.5);
  const double b = -a * alpha_p * rate;
  Tensor u = random::uniform(
      noise, {.seed = *seed_generator_, .backend = std::string(inputs.backend_name())});
  Tensor kept = ops::cast(ops::greater_equal(u, Tensor(rate)), inputs.dtype());
  Tensor x = inputs * kept + Tensor(alpha_p) * (Tensor(1.0) - kept);
  return Tensor(a) * x + Tensor(b);
}

KERAS_LAYER_CONFIG(AlphaDropout, AlphaDropoutOptions,
                   fields::field("rate", &AlphaDropoutOptions::rate),
                   fields::field("seed", &AlphaDropoutOptions::seed),
                   fields::field("noise_shape", &AlphaDropoutOptions::noise_shape),
                   fields::base<AlphaDropoutOptions>());

}  // namespace keras::layers
