#include "keras/layers/merging/concatenate.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

ConcatenateImpl::ConcatenateImpl(ConcatenateOptions options)
    : MergeImpl(layer_options(options)), options_(std::move(options)) {}

void ConcatenateImpl::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.empty())
    throw ValueError(where() +
                     ": a Concatenate layer should be called on a list of at least 1 "
                     "input. Received 0 inputs.");
  const std::string err = where() +
                          ": a Concatenate layer requires inputs with matching shapes "
                          "except for the concatenation axis. Received: input_shape=" +
                          shapes_str(input_shapes);
  const int rank = input_shapes[0].rank();
  for (const Shape& s : input_shapes)
    if (s.rank() != rank) throw ValueError(err);
  if (options_.axis >= rank || options_.axis < -rank)
    throw ValueError(where() + ": axis " + std::to_string(options_.axis) +
                     " is out of bounds for inputs of rank " + std::to_string(rank) +
                     ". Received: input_shape=" + shapes_str(input_shapes));
  const int axis = static_cast<int>(options_.axis < 0 ? options_.axis + rank : options_.axis);
  for (int d = 0; d < rank; ++d) {
    if (d == axis) continue;
    int64_t known = Shape::kNone;
    for (const Shape& s : input_shapes) {
      if (s[d] < 0) continue;
      if (known >= 0 && s[d] != known) throw ValueError(err);
      known = s[d];
    }
  }
}

std::vector<Tensor> ConcatenateImpl::call(const std::vector<Tensor>& inputs, const CallContext&) {
  return {merge_function(inputs)};
}

Tensor ConcatenateImpl::merge_function(const std::vector<Tensor>& inputs) {
  return ops::concatenate(inputs, options_.axis);
}

std::vector<Tensor> ConcatenateImpl::compute_masks(const std::vector<Tensor>& inputs,
                                                   const std::vector<Tensor>& masks) const {
  if (masks.size() != inputs.size())
    throw ValueError(where() + ": the lists `inputs` and `mask` should have the same length, got " +
                     std::to_string(inputs.size()) + " and " + std::to_string(masks.size()));
  bool any_mask = false;
  for (const Tensor& m : masks) any_mask = any_mask || m.defined();
  if (!any_mask) return {};
  std::vector<Tensor> full;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& m = masks[i];
    if (!m.defined())
      full.push_back(ops::ones_like(inputs[i], DType::Bool));
    else if (m.shape().rank() < inputs[i].shape().rank())
      full.push_back(
          ops::logical_or(ops::expand_dims(m, -1), ops::zeros_like(inputs[i], DType::Bool)));
    else
      full.push_back(m);
  }
  return {ops::any(ops::concatenate(full, options_.axis), {.axis = -1})};
}

Tensor concatenate(const std::vector<Tensor>& inputs, ConcatenateOptions options) {
  return Concatenate(std::move(options))(inputs);
}

KERAS_LAYER_CONFIG(Concatenate, ConcatenateOptions, fields::lenient_base<ConcatenateOptions>(),
                   fields::field("axis", &ConcatenateOptions::axis));

}  // namespace keras::layers
