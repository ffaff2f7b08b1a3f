// keras::ops core functional updates: slice, slice_update, scatter, scatter_update, unstack
// (keras/src/ops/core.py). Out-of-range starts and indices raise IndexError, as Keras's numpy
// backend does (JAX clamps them silently).
#include "ops/numpy_shape_util.hpp"

namespace keras::ops {

using namespace detail;
using backend::ScatterReduction;

namespace {

// Checks that a block of `size` at `start` fits in `shape`; names op and arguments.
void check_block(const char* op, const std::vector<int64_t>& start, const Shape& size,
                 const Shape& shape, const char* size_arg) {
  if (static_cast<int>(start.size()) != shape.rank() || size.rank() != shape.rank())
    throw ValueError(op_name(op) + ": start_indices " + ints_str(start) + " and " + size_arg + " " +
                     size.to_string() +
                     " must both have one entry per dimension of the input of shape " +
                     shape.to_string());
  for (int d = 0; d < shape.rank(); ++d) {
    if (size[d] < 0 && size[d] != Shape::kNone)
      throw ValueError(op_name(op) + ": " + size_arg + " " + size.to_string() +
                       " has a negative dimension");
    bool known = shape[d] != Shape::kNone && size[d] != Shape::kNone;
    if (start[d] < 0 || (known && start[d] + size[d] > shape[d]))
      throw IndexError(op_name(op) + ": a block of shape " + size.to_string() +
                       " at start_indices " + ints_str(start) +
                       " does not fit in a tensor of shape " + shape.to_string());
  }
}

// Validates scatter indices (..., k) against `shape` and updates; returns k.
int check_scatter(const char* op, const Tensor& indices, const Tensor& updates, const Shape& shape,
                  const char* updates_arg) {
  if (!is_integer(indices.dtype()))
    throw TypeError(op_name(op) + ": indices must be integers, got " + dtype_str(indices));
  if (indices.ndim() < 1 || indices.shape().back() == Shape::kNone ||
      indices.shape().back() > shape.rank())
    throw ValueError(op_name(op) + ": indices of shape " + shape_str(indices) +
                     " must be (..., k) with k <= " + std::to_string(shape.rank()) +
                     " (the rank of the target of shape " + shape.to_string() + ")");
  int k = static_cast<int>(indices.shape().back());
  Shape want(indices.shape().begin(), indices.shape().end() - 1);
  want.insert(want.end(), shape.begin() + k, shape.end());
  bool ok = want.rank() == updates.ndim();
  for (int d = 0; ok && d < want.rank(); ++d)
    ok = want[d] == updates.shape()[d] || want[d] == Shape::kNone ||
         updates.shape()[d] == Shape::kNone;
  if (!ok)
    throw ValueError(op_name(op) + ": " + updates_arg + " of shape " + shape_str(updates) +
                     " should have shape " + want.to_string() + " for indices of shape " +
                     shape_str(indices) + " into shape " + shape.to_string());
  return k;
}

// indices (..., k) as (N, k), and updates (..., *shape[k:]) as (N, *shape[k:]).
std::pair<Tensor, Tensor> flatten_scatter(const Tensor& indices, const Tensor& updates,
                                          const Shape& shape, int k) {
  int64_t n = dims_product(indices.shape(), 0, indices.ndim() - 1);
  Shape ushape{n};
  ushape.insert(ushape.end(), shape.begin() + k, shape.end());
  return {reshape_to("scatter", indices, Shape{n, k}), reshape_to("scatter", updates, ushape)};
}

// g[indices] for indices (N, k): (N, *g.shape[k:]), differentiable in g (take along a flattened
// leading block).
Tensor gather_nd(const Tensor& g, const Tensor& indices) {
  int k = static_cast<int>(indices.shape()[1]);
  const Shape& s = g.shape();
  Shape flat{dims_product(s, 0, k)};
  flat.insert(flat.end(), s.begin() + k, s.end());
  std::vector<int64_t> dims(s.begin(), s.begin() + k), strides(k, 1);
  for (int d = k - 2; d >= 0; --d) strides[d] = strides[d + 1] * s[d + 1];
  Backend& be = g.backend();
  Tensor idx = cast(indices, DType::Int64);
  Tensor dims_t = host_ints(be, dims);
  idx = where(less(idx, host_ints(be, {0})), add(idx, dims_t), idx);
  Tensor linear = sum(multiply(idx, host_ints(be, strides)), {.axis = -1});
  return take(reshape_to("scatter", g, flat), linear, 0);
}

}  // namespace

Tensor slice(const Tensor& inputs, const std::vector<int64_t>& start_indices, const Shape& shape) {
  require_defined("slice", inputs, "inputs");
  check_block("slice", start_indices, shape, inputs.shape(), "shape");
  if (inputs.is_symbolic()) return Tensor::symbolic(shape, inputs.dtype());
  if (shape == inputs.shape() && !inputs.impl()->weak) return inputs;
  Backend& be = inputs.backend();
  std::vector<int64_t> step(shape.rank(), 1);
  Tensor y = be.slice(prepare(inputs, be, inputs.dtype()), start_indices, step, shape);
  Shape in = inputs.shape();
  record_unary("slice", inputs, y, [in, start_indices](const Tensor& g) {
    std::vector<std::pair<int64_t, int64_t>> pads;
    for (int d = 0; d < in.rank(); ++d)
      pads.emplace_back(start_indices[d], in[d] - start_indices[d] - g.shape()[d]);
    return pad(g, pads);
  });
  return y;
}

Tensor slice_update(const Tensor& inputs, const std::vector<int64_t>& start_indices,
                    const Tensor& updates) {
  require_defined("slice_update", inputs, "inputs");
  require_defined("slice_update", updates, "updates");
  check_block("slice_update", start_indices, updates.shape(), inputs.shape(), "updates of shape");
  DType dtype = inputs.dtype();
  if (any_symbolic({&inputs, &updates})) return Tensor::symbolic(inputs.shape(), dtype);
  Backend& be = pick_backend("slice_update", {&inputs, &updates});
  Tensor y =
      be.slice_update(prepare(inputs, be, dtype), start_indices, prepare(updates, be, dtype));
  if (autodiff::is_recording() && is_floating(dtype)) {
    autodiff::record("slice_update", {inputs, updates}, {y},
                     [start_indices, inputs, updates](const std::vector<Tensor>& g) {
                       Tensor zeros = g[0].backend().full(updates.shape(), g[0].dtype(), 0.0);
                       Tensor gu;
                       if (is_floating(updates.dtype()))
                         gu = cast(slice(g[0], start_indices, updates.shape()), updates.dtype());
                       return std::vector<Tensor>{slice_update(g[0], start_indices, zeros), gu};
                     });
  }
  return y;
}

Tensor scatter(const Tensor& indices, const Tensor& values, const Shape& shape) {
  require_defined("scatter", indices, "indices");
  require_defined("scatter", values, "values");
  if (!shape.is_fully_defined())
    throw ValueError("ops::scatter: shape " + shape.to_string() + " must be fully defined");
  int k = check_scatter("scatter", indices, values, shape, "values");
  DType dtype = values.dtype();
  if (any_symbolic({&indices, &values})) return Tensor::symbolic(shape, dtype);
  Backend& be = pick_backend("scatter", {&indices, &values});
  auto [idx, upd] = flatten_scatter(indices, values, shape, k);
  Tensor y = be.scatter_nd(be.full(shape, dtype, 0.0), prepare(idx, be, idx.dtype()),
                           prepare(upd, be, dtype), ScatterReduction::Add);
  if (autodiff::is_recording() && is_floating(dtype)) {
    Shape vshape = values.shape();
    autodiff::record(
        "scatter", {indices, values}, {y}, [idx = idx, vshape](const std::vector<Tensor>& g) {
          return std::vector<Tensor>{Tensor(), reshape_to("scatter", gather_nd(g[0], idx), vshape)};
        });
  }
  return y;
}

Tensor scatter_update(const Tensor& inputs, const Tensor& indices, const Tensor& updates,
                      const std::string& reduction) {
  require_defined("scatter_update", inputs, "inputs");
  require_defined("scatter_update", indices, "indices");
  require_defined("scatter_update", updates, "updates");
  ScatterReduction kind;
  if (reduction.empty())
    kind = ScatterReduction::Set;
  else if (reduction == "add")
    kind = ScatterReduction::Add;
  else if (reduction == "max")
    kind = ScatterReduction::Max;
  else if (reduction == "min")
    kind = ScatterReduction::Min;
  else if (reduction == "mul")
    kind = ScatterReduction::Multiply;
  else
    throw ValueError("ops::scatter_update: unsupported reduction \"" + reduction +
                     "\"; expected \"\" (replace), \"add\", \"max\", \"min\" or \"mul\"");
  int k = check_scatter("scatter_update", indices, updates, inputs.shape(), "updates");
  DType dtype = inputs.dtype();
  if (any_symbolic({&inputs, &indices, &updates})) return Tensor::symbolic(inputs.shape(), dtype);
  Backend& be = pick_backend("scatter_update", {&inputs, &indices, &updates});
  auto [idx, upd] = flatten_scatter(indices, updates, inputs.shape(), k);
  Tensor y = be.scatter_nd(prepare(inputs, be, dtype), prepare(idx, be, idx.dtype()),
                           prepare(upd, be, dtype), kind);
  if (autodiff::is_recording() && is_floating(dtype)) {
    Shape ushape = updates.shape();
    DType udtype = updates.dtype();
    autodiff::record(
        "scatter_update", {inputs, indices, updates}, {y},
        [idx = idx, ushape, udtype, kind, reduction](const std::vector<Tensor>& g) {
          Tensor gin, gup;
          if (kind == ScatterReduction::Set) {
            // Overwritten positions get no gradient. With duplicate indices every duplicate
            // update receives the position's gradient (only the last one was kept).
            Shape zshape{idx.shape()[0]};
            zshape.insert(zshape.end(), g[0].shape().begin() + idx.shape()[1], g[0].shape().end());
            gin = scatter_update(g[0], idx, g[0].backend().full(zshape, g[0].dtype(), 0.0));
          } else if (kind == ScatterReduction::Add) {
            gin = g[0];
          } else {
            throw NotImplementedError("ops::scatter_update: the gradient of reduction \"" +
                                      reduction + "\" is not implemented (only \"\" and \"add\")");
          }
          if (is_floating(udtype))
            gup = cast(reshape_to("scatter_update", gather_nd(g[0], idx), ushape), udtype);
          return std::vector<Tensor>{gin, Tensor(), gup};
        });
  }
  return y;
}

std::vector<Tensor> unstack(const Tensor& x, int64_t axis) {
  require_defined("unstack", x, "x");
  if (x.ndim() == 0) throw ValueError("ops::unstack: cannot unstack a zero-dimensional tensor");
  int ax = normalize_axis(axis, x.ndim(), "ops::unstack", x.shape());
  int64_t n = x.shape()[ax];
  if (n == Shape::kNone)
    throw ValueError("ops::unstack: cannot unstack along axis " + std::to_string(ax) +
                     " of unknown size (shape " + shape_str(x) + ")");
  std::vector<Tensor> out;
  if (n == 0) return out;
  for (const Tensor& piece : split(x, n, ax)) out.push_back(squeeze(piece, ax));
  return out;
}

}  // namespace keras::ops
