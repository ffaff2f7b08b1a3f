#pragma once
// Helpers shared by the reduction, shape, indexing and linear-algebra ops (not a public header).
#include <functional>
#include <string>
#include <vector>

#include "ops/elementwise_util.hpp"

namespace keras::ops::detail {

// Records a one-input, one-output op whose VJP maps the output gradient to x's gradient, when a
// tape records and both x and y are floating. The VJP's result is cast to x's dtype.
inline void record_unary(const char* op, const Tensor& x, const Tensor& y,
                         std::function<Tensor(const Tensor& g)> vjp) {
  if (!autodiff::is_recording() || !is_floating(x.dtype()) || !is_floating(y.dtype())) return;
  DType dtype = x.dtype();
  autodiff::record(op, {x}, {y}, [vjp = std::move(vjp), dtype](const std::vector<Tensor>& g) {
    Tensor gx = vjp(g[0]);
    if (gx.dtype() != dtype) gx = cast(gx, dtype);
    return std::vector<Tensor>{gx};
  });
}

// x with shape `target` (same number of elements; unknown dims allowed for symbolic x), recorded
// as op `op` with the inverse reshape as its VJP. No -1 inference: the caller resolved the shape.
Tensor reshape_to(const char* op, const Tensor& x, const Shape& target);

// x[start : start + size] along `axis` (all of every other axis), differentiable.
Tensor slice_axis(const Tensor& x, int axis, int64_t start, int64_t size);

// "(1, 2, 3)": a list of ints in Python's tuple notation, for messages.
std::string ints_str(const std::vector<int64_t>& v);

// Product of shape[from:to]; Shape::kNone if one of those dims is unknown.
int64_t dims_product(const Shape& shape, int from, int to);

// An int64 tensor holding `values` (shape (n,)) on backend `be`.
Tensor host_ints(backend::Backend& be, const std::vector<int64_t>& values);

// The adjoint of take along `axis`: zeros of `shape` with `src` slices added at the 1-D `indices`
// (src has shape[:axis] + (len(indices),) + shape[axis+1:]). Differentiable in src (its VJP is
// take), so gradients of gradients work.
Tensor take_adjoint(const Tensor& src, const Tensor& indices, const Shape& shape, int axis);

// The adjoint of take_along_axis: zeros of `shape` with src scattered-and-added at indices along
// axis (indices and src share a shape). Differentiable in src.
Tensor take_along_axis_adjoint(const Tensor& src, const Tensor& indices, const Shape& shape,
                               int axis);

}  // namespace keras::ops::detail
