#include "keras/layers/merging/base_merge.hpp"

#include <set>

#include "keras/ops/ops.hpp"

namespace keras::layers {

MergeImpl::MergeImpl(LayerOptions options) : LayerImpl(std::move(options)) {
  set_supports_masking(true);
}

std::string MergeImpl::where() const { return class_name() + " '" + name() + "'"; }

std::string MergeImpl::shapes_str(const std::vector<Shape>& shapes) {
  std::string s = "[";
  for (size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shapes[i].to_string();
  return s + "]";
}

void MergeImpl::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.empty())
    throw ValueError(where() +
                     ": a merge layer should be called on a list of at least 1 input. "
                     "Received 0 inputs.");
  std::set<int64_t> batch_sizes;
  for (const Shape& s : input_shapes)
    if (!s.empty() && s[0] >= 0) batch_sizes.insert(s[0]);
  if (batch_sizes.size() > 1)
    throw ValueError(where() +
                     ": cannot merge tensors with different batch sizes. Received "
                     "tensors with shapes " +
                     shapes_str(input_shapes));
  // Keras's _compute_elemwise_op_output_shape on the per-example shapes, right-aligned.
  auto per_example = [](const Shape& s) {
    return s.empty() ? Shape() : Shape(s.begin() + 1, s.end());
  };
  Shape out = per_example(input_shapes[0]);
  for (size_t k = 1; k < input_shapes.size(); ++k) {
    Shape a = out, b = per_example(input_shapes[k]);
    if (a.size() < b.size()) std::swap(a, b);
    Shape merged(a.begin(), a.end() - static_cast<std::ptrdiff_t>(b.size()));
    for (size_t i = 0; i < b.size(); ++i) {
      int64_t x = a[a.size() - b.size() + i], y = b[i];
      if (x < 0 || y < 0)
        merged.push_back(Shape::kNone);
      else if (x == 1)
        merged.push_back(y);
      else if (y == 1)
        merged.push_back(x);
      else if (x != y)
        throw ValueError(where() + ": inputs have incompatible shapes. Received shapes " +
                         input_shapes[0].to_string() + " and " + input_shapes[k].to_string() +
                         " (all shapes: " + shapes_str(input_shapes) + ")");
      else
        merged.push_back(x);
    }
    out = merged;
  }
  reshape_required_ = false;
  for (const Shape& s : input_shapes)
    if (s.size() != input_shapes[0].size()) reshape_required_ = true;
}

std::vector<Tensor> MergeImpl::call(const std::vector<Tensor>& inputs, const CallContext&) {
  if (!reshape_required_) return {merge_function(inputs)};
  int max_ndim = 0;
  for (const Tensor& x : inputs) max_ndim = std::max(max_ndim, x.ndim());
  std::vector<Tensor> reshaped;
  for (Tensor x : inputs) {
    for (int i = x.ndim(); i < max_ndim; ++i) x = ops::expand_dims(x, 1);
    reshaped.push_back(x);
  }
  return {merge_function(reshaped)};
}

}  // namespace keras::layers

namespace keras::layers {

std::vector<Tensor> MergeImpl::compute_masks(const std::vector<Tensor>& inputs,
                                             const std::vector<Tensor>& masks) const {
  if (masks.size() != inputs.size())
    throw ValueError(where() + ": the lists `inputs` and `mask` should have the same length, got " +
                     std::to_string(inputs.size()) + " and " + std::to_string(masks.size()));
  for (const Tensor& m : masks)
    if (!m.defined()) return {};
  Tensor out = masks[0];
  for (size_t i = 1; i < masks.size(); ++i) out = ops::logical_or(out, masks[i]);
  return {out};
}

}  // namespace keras::layers
