#include "keras/layers/merging/average.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

Tensor AverageImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::add(out, inputs[i]);
  return out / static_cast<double>(inputs.size());
}

Tensor average(const std::vector<Tensor>& inputs, AverageOptions options) {
  return Average(std::move(options))(inputs);
}

KERAS_LAYER_FIELDS(Average, AverageOptions, fields::lenient_base<AverageOptions>());
KERAS_REGISTER_LAYER_FIELDS(Average, Average_fields());

}  // namespace keras::layers
