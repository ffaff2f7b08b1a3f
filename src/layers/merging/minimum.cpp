#include "keras/layers/merging/minimum.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

Tensor MinimumImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::minimum(out, inputs[i]);
  return out;
}

Tensor minimum(const std::vector<Tensor>& inputs, MinimumOptions options) {
  return Minimum(std::move(options))(inputs);
}

KERAS_LAYER_FIELDS(Minimum, MinimumOptions, fields::lenient_base<MinimumOptions>());
KERAS_REGISTER_LAYER_FIELDS(Minimum, Minimum_fields());

}  // namespace keras::layers
