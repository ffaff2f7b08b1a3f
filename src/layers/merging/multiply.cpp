#include "keras/layers/merging/multiply.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

Tensor MultiplyImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::multiply(out, inputs[i]);
  return out;
}

Tensor multiply(const std::vector<Tensor>& inputs, MultiplyOptions options) {
  return Multiply(std::move(options))(inputs);
}

KERAS_LAYER_FIELDS(Multiply, MultiplyOptions, fields::lenient_base<MultiplyOptions>());
KERAS_REGISTER_LAYER_FIELDS(Multiply, Multiply_fields());

}  // namespace keras::layers
