#include "keras/layers/activations/activation_layers.hpp"

#include <sstream>

#include "keras/activations/activations.hpp"
#include "keras/layers/registration.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {
namespace {
std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}
}  // namespace

ReLUImpl::ReLUImpl(ReLUOptions options) : LayerWith(std::move(options)) {
  if (options_.max_value && !(*options_.max_value >= 0.0))
    throw ValueError(
        "ReLU: max_value of a ReLU layer cannot be a negative value. Received: "
        "max_value=" +
        num(*options_.max_value));
  if (!(options_.negative_slope >= 0.0))
    throw ValueError(
        "ReLU: negative_slope of a ReLU layer cannot be None or a negative value. "
        "Received: negative_slope=" +
        num(options_.negative_slope));
  if (!(options_.threshold >= 0.0))
    throw ValueError(
        "ReLU: threshold of a ReLU layer cannot be None or a negative value. "
        "Received: threshold=" +
        num(options_.threshold));
  set_supports_masking(true);
}

Tensor ReLUImpl::call(const Tensor& inputs, const CallContext&) {
  return activations::relu(inputs, {.negative_slope = options_.negative_slope,
                                    .max_value = options_.max_value,
                                    .threshold = options_.threshold});
}

KERAS_LAYER_CONFIG(ReLU, ReLUOptions, fields::lenient_base<ReLUOptions>(),
                   fields::field("max_value", &ReLUOptions::max_value),
                   fields::field("negative_slope", &ReLUOptions::negative_slope),
                   fields::field("threshold", &ReLUOptions::threshold));

}  // namespace keras::layers
