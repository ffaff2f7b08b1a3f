#include "keras/layers/merging/add.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

Tensor AddImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::add(out, inputs[i]);
  return out;
}

Tensor add(const std::vector<Tensor>& inputs, AddOptions options) {
  return Add(std::move(options))(inputs);
}

KERAS_LAYER_FIELDS(Add, AddOptions, fields::lenient_base<AddOptions>());
KERAS_REGISTER_LAYER_FIELDS(Add, Add_fields());

}  // namespace keras::layers
