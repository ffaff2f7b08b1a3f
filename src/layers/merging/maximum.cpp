#include "keras/layers/merging/maximum.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

Tensor MaximumImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::maximum(out, inputs[i]);
  return out;
}

Tensor maximum(const std::vector<Tensor>& inputs, MaximumOptions options) {
  return Maximum(std::move(options))(inputs);
}

KERAS_LAYER_FIELDS(Maximum, MaximumOptions, fields::lenient_base<MaximumOptions>());
KERAS_REGISTER_LAYER_FIELDS(Maximum, Maximum_fields());

}  // namespace keras::layers
