#include "keras/layers/normalization/unit_normalization.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

UnitNormalizationImpl::UnitNormalizationImpl(UnitNormalizationOptions options)
    : LayerWith(std::move(options)) {
  if (options_.axis.empty())
    throw ValueError("UnitNormalization: `axis` must be an int or a non-empty list of ints");
  set_supports_masking(true);
}

Tensor UnitNormalizationImpl::call(const Tensor& inputs, const CallContext&) {
  const int rank = inputs.ndim();
  std::vector<int64_t> axes;
  for (int64_t a : options_.axis) {
    if (a >= rank || a < -rank)
      throw ValueError("UnitNormalization '" + name() + "': axis " + std::to_string(a) +
                       " is out of bounds for input shape " + inputs.shape().to_string() + ".");
    axes.push_back(a < 0 ? a + rank : a);
  }
  // ops.normalize(x, axis, order=2, epsilon=1e-12): x * rsqrt(max(sum(x^2), epsilon^2)).
  Tensor square_sum = ops::sum(ops::square(inputs), {.axis = axes, .keepdims = true});
  return inputs * ops::rsqrt(ops::maximum(square_sum, Tensor(1e-24)));
}

KERAS_LAYER_CONFIG(UnitNormalization, UnitNormalizationOptions,
                   fields::lenient_base<UnitNormalizationOptions>(),
                   fields::field("axis", &UnitNormalizationOptions::axis,
                                 fields::IntOrIntsCodec{}));

}  // namespace keras::layers
