#include "keras/layers/merging/elementwise_merge.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

template <FixedString Name>
void ElementwiseMergeImpl<Name>::build(const std::vector<Shape>& input_shapes) {
  MergeImpl::build(input_shapes);
  if (Name.view() == "Subtract" && input_shapes.size() != 2)
    throw ValueError(where() +
                     ": a Subtract layer should be called on exactly 2 inputs. "
                     "Received: input_shape=" +
                     shapes_str(input_shapes));
}

template <FixedString Name>
Tensor ElementwiseMergeImpl<Name>::merge_function(const std::vector<Tensor>& inputs) {
  constexpr std::string_view name = Name.view();
  if constexpr (name == "Subtract") {
    if (inputs.size() != 2)
      throw ValueError(where() +
                       ": a Subtract layer should be called on exactly 2 inputs. Received " +
                       std::to_string(inputs.size()) + " inputs.");
    return ops::subtract(inputs[0], inputs[1]);
  }
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) {
    if constexpr (name == "Multiply")
      out = ops::multiply(out, inputs[i]);
    else if constexpr (name == "Maximum")
      out = ops::maximum(out, inputs[i]);
    else if constexpr (name == "Minimum")
      out = ops::minimum(out, inputs[i]);
    else  // Add, Average
      out = ops::add(out, inputs[i]);
  }
  if constexpr (name == "Average") return out / static_cast<double>(inputs.size());
  return out;
}

template class ElementwiseMergeImpl<"Add">;
template class ElementwiseMergeImpl<"Subtract">;
template class ElementwiseMergeImpl<"Multiply">;
template class ElementwiseMergeImpl<"Average">;
template class ElementwiseMergeImpl<"Maximum">;
template class ElementwiseMergeImpl<"Minimum">;

Tensor add(const std::vector<Tensor>& inputs, ElementwiseMergeOptions o) { return Add(o)(inputs); }
Tensor subtract(const std::vector<Tensor>& x, ElementwiseMergeOptions o) { return Subtract(o)(x); }
Tensor multiply(const std::vector<Tensor>& x, ElementwiseMergeOptions o) { return Multiply(o)(x); }
Tensor average(const std::vector<Tensor>& x, ElementwiseMergeOptions o) { return Average(o)(x); }
Tensor maximum(const std::vector<Tensor>& x, ElementwiseMergeOptions o) { return Maximum(o)(x); }
Tensor minimum(const std::vector<Tensor>& x, ElementwiseMergeOptions o) { return Minimum(o)(x); }

KERAS_LAYER_FIELDS(ElementwiseMerge, ElementwiseMergeOptions,
                   fields::lenient_base<ElementwiseMergeOptions>());
KERAS_REGISTER_LAYER_FIELDS(Add, ElementwiseMerge_fields());
KERAS_REGISTER_LAYER_FIELDS(Subtract, ElementwiseMerge_fields());
KERAS_REGISTER_LAYER_FIELDS(Multiply, ElementwiseMerge_fields());
KERAS_REGISTER_LAYER_FIELDS(Average, ElementwiseMerge_fields());
KERAS_REGISTER_LAYER_FIELDS(Maximum, ElementwiseMerge_fields());
KERAS_REGISTER_LAYER_FIELDS(Minimum, ElementwiseMerge_fields());

}  // namespace keras::layers
