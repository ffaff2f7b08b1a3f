#include "keras/layers/merging/subtract.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

Tensor SubtractImpl::merge_function(const std::vector<Tensor>& inputs) {
  if (inputs.size() != 2)
    throw ValueError(where() +
                     ": a Subtract layer should be called on exactly 2 inputs. Received " +
                     std::to_string(inputs.size()) + " inputs.");
  return ops::subtract(inputs[0], inputs[1]);
}

Tensor subtract(const std::vector<Tensor>& inputs, SubtractOptions options) {
  return Subtract(std::move(options))(inputs);
}

KERAS_LAYER_FIELDS(Subtract, SubtractOptions, fields::lenient_base<SubtractOptions>());
KERAS_REGISTER_LAYER_FIELDS(Subtract, Subtract_fields());

}  // namespace keras::layers

namespace keras::layers {

void SubtractImpl::build(const std::vector<Shape>& input_shapes) {
  MergeImpl::build(input_shapes);
  if (input_shapes.size() != 2)
    throw ValueError(where() +
                     ": a Subtract layer should be called on exactly 2 inputs. "
                     "Received: input_shape=" +
                     shapes_str(input_shapes));
}

}  // namespace keras::layers
