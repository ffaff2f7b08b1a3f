#include "keras/layers/merging/dot.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

Tensor batch_dot(const Tensor& x_in, const Tensor& y_in, std::pair<int64_t, int64_t> axes) {
  Tensor x = x_in, y = y_in;
  const Shape xs = x.shape(), ys = y.shape();
  int x_ndim = x.ndim(), y_ndim = y.ndim();
  if (x_ndim < 2 || y_ndim < 2)
    throw ValueError(
        "batch_dot: cannot do batch_dot on inputs with rank < 2. Received inputs "
        "with shapes " +
        xs.to_string() + " and " + ys.to_string() + ".");
  if (xs[0] >= 0 && ys[0] >= 0 && xs[0] != ys[0])
    throw ValueError(
        "batch_dot: cannot do batch_dot on inputs with different batch sizes. "
        "Received inputs with shapes " +
        xs.to_string() + " and " + ys.to_string() + ".");
  int64_t a0 = axes.first < 0 ? axes.first + x_ndim : axes.first;
  int64_t a1 = axes.second < 0 ? axes.second + y_ndim : axes.second;
  if (a0 < 0 || a0 >= x_ndim || a1 < 0 || a1 >= y_ndim)
    throw ValueError("batch_dot: axes (" + std::to_string(axes.first) + ", " +
                     std::to_string(axes.second) + ") are out of bounds for inputs with shapes " +
                     xs.to_string() + " and " + ys.to_string() + ".");
  if (a0 == 0 || a1 == 0)
    throw ValueError(
        "batch_dot: cannot perform batch_dot over axis 0. If your inputs are not "
        "batched, add a dummy batch dimension to your inputs using "
        "ops::expand_dims(x, 0)");
  if (xs[a0] >= 0 && ys[a1] >= 0 && xs[a0] != ys[a1])
    throw ValueError("batch_dot: cannot do batch_dot on inputs with shapes " + xs.to_string() +
                     " and " + ys.to_string() + " with axes=[" + std::to_string(a0) + ", " +
                     std::to_string(a1) + "]. x.shape[" + std::to_string(a0) + "] != y.shape[" +
                     std::to_string(a1) + "] (" + std::to_string(xs[a0]) +
                     " != " + std::to_string(ys[a1]) + ").");
  // The output: x's dims without a0, then y's dims without the batch and a1; (batch, 1) if that
  // leaves only the batch dimension.
  Shape out_shape;
  for (int i = 0; i < x_ndim; ++i)
    if (i != a0) out_shape.push_back(xs[i]);
  for (int i = 1; i < y_ndim; ++i)
    if (i != a1) out_shape.push_back(ys[i]);
  if (out_shape.size() == 1) out_shape.push_back(1);
  if (x.is_symbolic() || y.is_symbolic())
    return Tensor::symbolic(out_shape, result_type(x.dtype(), y.dtype()));
  // Move the contracted axis of x last and that of y to position 1, flatten the others and
  // multiply batched matrices: (b, m, k) @ (b, k, n).
  std::vector<int64_t> px, py;
  for (int i = 0; i < x_ndim; ++i)
    if (i != a0) px.push_back(i);
  px.push_back(a0);
  py.push_back(0);
  py.push_back(a1);
  for (int i = 1; i < y_ndim; ++i)
    if (i != a1) py.push_back(i);
  x = ops::transpose(x, px);
  y = ops::transpose(y, py);
  const int64_t b = xs[0], k = xs[a0];
  x = ops::reshape(x, Shape{b, -1, k});
  y = ops::reshape(y, Shape{b, k, -1});
  return ops::reshape(ops::matmul(x, y), out_shape);
}

DotImpl::DotImpl(DotOptions options)
    : MergeImpl(layer_options(options)), options_(std::move(options)) {
  if (options_.axes.size() == 1) options_.axes = Ints{options_.axes[0]};
  if (options_.axes.size() != 1 && options_.axes.size() != 2)
    throw ValueError(
        "Dot: invalid format for argument `axes`: it should be an int or contain two "
        "elements. Received: axes=" +
        detail::ints_config(options_.axes).dump());
}

std::pair<int64_t, int64_t> DotImpl::resolve_axes(int rank1, int rank2) const {
  auto mod = [](int64_t a, int r) { return a < 0 ? ((a % r) + r) % r : a; };
  if (options_.axes.size() == 1)
    return {mod(options_.axes[0], rank1), mod(options_.axes[0], rank2)};
  return {mod(options_.axes[0], rank1), mod(options_.axes[1], rank2)};
}

void DotImpl::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 2)
    throw ValueError(where() +
                     ": a Dot layer should be called on a list of 2 inputs. Received: "
                     "input_shape=" +
                     shapes_str(input_shapes));
  const Shape& s1 = input_shapes[0];
  const Shape& s2 = input_shapes[1];
  auto [a0, a1] = resolve_axes(s1.rank(), s2.rank());
  if (a0 >= s1.rank() || a1 >= s2.rank())
    throw ValueError(where() + ": axes " + detail::ints_config(options_.axes).dump() +
                     " are out of bounds for input shapes " + s1.to_string() + ", " +
                     s2.to_string());
  if (s1[a0] >= 0 && s2[a1] >= 0 && s1[a0] != s2[a1])
    throw ValueError(where() + ": incompatible input shapes: axis values " +
                     std::to_string(s1[a0]) + " (at axis " + std::to_string(a0) +
                     ") != " + std::to_string(s2[a1]) + " (at axis " + std::to_string(a1) +
                     "). Full input shapes: " + s1.to_string() + ", " + s2.to_string());
}

std::vector<Tensor> DotImpl::call(const std::vector<Tensor>& inputs, const CallContext&) {
  return {merge_function(inputs)};
}

Tensor DotImpl::merge_function(const std::vector<Tensor>& inputs) {
  if (inputs.size() != 2)
    throw ValueError(where() + ": a Dot layer should be called on exactly 2 inputs. Received " +
                     std::to_string(inputs.size()) + " inputs.");
  Tensor x1 = inputs[0], x2 = inputs[1];
  auto axes = resolve_axes(x1.ndim(), x2.ndim());
  if (options_.normalize) {
    x1 = ops::normalize(x1, axes.first);
    x2 = ops::normalize(x2, axes.second);
  }
  return batch_dot(x1, x2, axes);
}

Tensor dot(const std::vector<Tensor>& inputs, DotOptions options) {
  return Dot(std::move(options))(inputs);
}

KERAS_LAYER_CONFIG(Dot, DotOptions, fields::lenient_base<DotOptions>(),
                   fields::field("axes", &DotOptions::axes, fields::IntOrIntsCodec{}),
                   fields::field("normalize", &DotOptions::normalize));

}  // namespace keras::layers
