// Reductions and scans: sum, prod, mean, max, min, any, all, var, std, ptp, count_nonzero,
// median, average, argmax, argmin, cumsum, cumprod (keras/src/ops/numpy.py).
// Dtypes follow Keras: sum/prod widen bool, int8, int16 to int32 and uint8, uint16 to uint32 (JAX's
// rule); mean/var/std/median/average of ints and bool give floatx; argmax/argmin give int32.
#include <cmath>
#include <limits>

#include "ops/numpy_shape_util.hpp"

namespace keras::ops {

using namespace detail;
using backend::ArgReduceOp;
using backend::CumulativeOp;
using backend::ReduceOp;

namespace {

Axis to_axis(const std::vector<int>& axes) {
  return Axis(std::vector<int64_t>(axes.begin(), axes.end()));
}

DType sum_dtype(DType d) {
  switch (d) {
    case DType::Bool:
    case DType::Int8:
    case DType::Int16:
      return DType::Int32;
    case DType::UInt8:
    case DType::UInt16:
      return DType::UInt32;
    default:
      return d;
  }
}

// Floating compute type of the float-returning reductions: half types accumulate in float32.
DType accumulate_dtype(DType result) {
  return (result == DType::Float16 || result == DType::BFloat16) ? DType::Float32 : result;
}

// The number of elements each output element reduces; kNone if unknown.
int64_t reduced_count(const Shape& s, const std::vector<int>& axes) {
  int64_t n = 1;
  for (int a : axes) {
    if (s[a] == Shape::kNone) return Shape::kNone;
    n *= s[a];
  }
  return n;
}

// A reduction's output gradient broadcast back to the input's shape.
Tensor expand_back(const Tensor& g, const Shape& x_shape, const std::vector<int>& axes) {
  return broadcast_to(reshape_to("sum", g, reduced_shape(x_shape, axes, true)), x_shape);
}

// Runs a Sum/Prod/Max/Min/Any/All kernel with x in `dtype`.
Tensor run_reduce(ReduceOp kind, const Tensor& x, const std::vector<int>& axes, bool keepdims,
                  DType dtype) {
  Backend& be = x.backend();
  return be.reduce(kind, prepare(x, be, dtype), axes, keepdims);
}

Tensor extreme(const char* op, ReduceOp kind, const Tensor& x, const ReduceOptions& o) {
  require_defined(op, x, "x");
  std::vector<int> axes = normalize_axes(o.axis, x.ndim(), op, x.shape());
  Shape out = reduced_shape(x.shape(), axes, o.keepdims);
  if (x.is_symbolic()) return Tensor::symbolic(out, x.dtype());
  if (reduced_count(x.shape(), axes) == 0)
    throw ValueError(op_name(op) + ": zero-size reduction over axes " +
                     ints_str(std::vector<int64_t>(axes.begin(), axes.end())) +
                     " of a tensor of shape " + shape_str(x) + " has no identity");
  if (axes.empty()) return x;
  Tensor y = run_reduce(kind, x, axes, o.keepdims, x.dtype());
  Shape xs = x.shape();
  record_unary(op, x, y, [x, y, axes, xs](const Tensor& g) {
    // JAX's rule: the gradient is shared equally by the elements equal to the extreme.
    Shape kept = reduced_shape(xs, axes, true);
    Tensor mask = cast(equal(x, reshape_to("max", y, kept)), x.dtype());
    Tensor count = sum(mask, {.axis = to_axis(axes), .keepdims = true});
    return multiply(mask, divide(reshape_to("max", g, kept), count));
  });
  return y;
}

}  // namespace

Tensor sum(const Tensor& x, ReduceOptions o) {
  require_defined("sum", x, "x");
  std::vector<int> axes = normalize_axes(o.axis, x.ndim(), "sum", x.shape());
  DType dtype = sum_dtype(x.dtype());
  Shape out = reduced_shape(x.shape(), axes, o.keepdims);
  if (x.is_symbolic()) return Tensor::symbolic(out, dtype);
  if (axes.empty()) return cast(x, dtype);
  Tensor y = run_reduce(ReduceOp::Sum, x, axes, o.keepdims, dtype);
  Shape xs = x.shape();
  record_unary("sum", x, y, [xs, axes](const Tensor& g) { return expand_back(g, xs, axes); });
  return y;
}

Tensor prod(const Tensor& x, ReduceOptions o) {
  require_defined("prod", x, "x");
  std::vector<int> axes = normalize_axes(o.axis, x.ndim(), "prod", x.shape());
  DType dtype = sum_dtype(x.dtype());
  Shape out = reduced_shape(x.shape(), axes, o.keepdims);
  if (x.is_symbolic()) return Tensor::symbolic(out, dtype);
  if (axes.empty()) return cast(x, dtype);
  Tensor y = run_reduce(ReduceOp::Prod, x, axes, o.keepdims, dtype);
  Shape xs = x.shape();
  record_unary("prod", x, y, [x, xs, axes](const Tensor& g) {
    // d prod / d x_i = product of the others, computed without dividing by zero: with no zero in
    // the group it is prod / x_i; with one zero only that element gets the product of the
    // others; with two or more every element gets 0.
    Axis ax = to_axis(axes);
    Tensor zero = equal(x, 0.0);
    Tensor zeros = sum(cast(zero, x.dtype()), {.axis = ax, .keepdims = true});
    Tensor safe = where(zero, 1.0, x);
    Tensor others = prod(safe, {.axis = ax, .keepdims = true});
    Tensor scale = where(equal(zeros, 0.0), divide(others, safe),
                         where(logical_and(equal(zeros, 1.0), zero), others, 0.0));
    return multiply(expand_back(g, xs, axes), scale);
  });
  return y;
}

Tensor mean(const Tensor& x, ReduceOptions o) {
  require_defined("mean", x, "x");
  std::vector<int> axes = normalize_axes(o.axis, x.ndim(), "mean", x.shape());
  DType result = float_result_type(x.dtype());
  if (x.is_symbolic()) return Tensor::symbolic(reduced_shape(x.shape(), axes, o.keepdims), result);
  // Half types accumulate in float32 (Keras's jax backend does the same against overflow).
  Tensor s =
      sum(cast(x, accumulate_dtype(result)), {.axis = to_axis(axes), .keepdims = o.keepdims});
  // An empty group gives 0 / 0 = NaN, as NumPy does.
  return cast(divide(s, static_cast<double>(reduced_count(x.shape(), axes))), result);
}

Tensor max(const Tensor& x, ReduceOptions o) { return extreme("max", ReduceOp::Max, x, o); }
Tensor min(const Tensor& x, ReduceOptions o) { return extreme("min", ReduceOp::Min, x, o); }
Tensor amax(const Tensor& x, ReduceOptions o) { return extreme("amax", ReduceOp::Max, x, o); }
Tensor amin(const Tensor& x, ReduceOptions o) { return extreme("amin", ReduceOp::Min, x, o); }

namespace {
Tensor logical_reduce(const char* op, ReduceOp kind, const Tensor& x, const ReduceOptions& o) {
  require_defined(op, x, "x");
  std::vector<int> axes = normalize_axes(o.axis, x.ndim(), op, x.shape());
  Shape out = reduced_shape(x.shape(), axes, o.keepdims);
  if (x.is_symbolic()) return Tensor::symbolic(out, DType::Bool);
  if (axes.empty()) return cast(x, DType::Bool);
  return run_reduce(kind, x, axes, o.keepdims, DType::Bool);
}
}  // namespace

Tensor any(const Tensor& x, ReduceOptions o) { return logical_reduce("any", ReduceOp::Any, x, o); }
Tensor all(const Tensor& x, ReduceOptions o) { return logical_reduce("all", ReduceOp::All, x, o); }

Tensor var(const Tensor& x, ReduceOptions o) {
  require_defined("var", x, "x");
  std::vector<int> axes = normalize_axes(o.axis, x.ndim(), "var", x.shape());
  DType result = float_result_type(x.dtype());
  if (x.is_symbolic()) return Tensor::symbolic(reduced_shape(x.shape(), axes, o.keepdims), result);
  // Two passes (mean, then mean squared deviation): E[x^2] - E[x]^2 loses everything to
  // cancellation when the mean is large against the spread.
  Axis ax = to_axis(axes);
  Tensor xc = cast(x, accumulate_dtype(result));
  Tensor deviation = subtract(xc, mean(xc, {.axis = ax, .keepdims = true}));
  return cast(mean(square(deviation), {.axis = ax, .keepdims = o.keepdims}), result);
}

Tensor std(const Tensor& x, ReduceOptions o) {
  require_defined("std", x, "x");
  DType result = float_result_type(x.dtype());
  Tensor v = var(cast(x, accumulate_dtype(result)), o);
  return cast(sqrt(v), result);
}

Tensor ptp(const Tensor& x, ReduceOptions o) {
  require_defined("ptp", x, "x");
  if (is_bool(x.dtype()))
    throw TypeError("ops::ptp: boolean input is not supported (x bool, shape " + shape_str(x) +
                    "); cast it to an integer type first");
  return subtract(max(x, o), min(x, o));
}

Tensor count_nonzero(const Tensor& x, Axis axis) {
  require_defined("count_nonzero", x, "x");
  std::vector<int> axes = normalize_axes(axis, x.ndim(), "count_nonzero", x.shape());
  if (x.is_symbolic()) return Tensor::symbolic(reduced_shape(x.shape(), axes, false), DType::Int32);
  return sum(cast(x, DType::Bool), {.axis = to_axis(axes)});  // bool sums to int32
}

Tensor median(const Tensor& x, ReduceOptions o) {
  require_defined("median", x, "x");
  std::vector<int> axes = normalize_axes(o.axis, x.ndim(), "median", x.shape());
  DType result = float_result_type(x.dtype());
  Shape out = reduced_shape(x.shape(), axes, o.keepdims);
  if (x.is_symbolic()) return Tensor::symbolic(out, result);
  int64_t n = reduced_count(x.shape(), axes);
  Backend& be = x.backend();
  // NumPy gives NaN (with a warning) for an empty group.
  if (n == 0) return be.full(out, result, std::numeric_limits<double>::quiet_NaN());
  // Move the reduced axes last, flatten them, sort and average the middle one or two values.
  std::vector<int64_t> perm;
  Shape rows;
  for (int i = 0; i < x.ndim(); ++i)
    if (!std::binary_search(axes.begin(), axes.end(), i)) {
      perm.push_back(i);
      rows.push_back(x.shape()[i]);
    }
  perm.insert(perm.end(), axes.begin(), axes.end());
  Shape flat = rows;
  flat.push_back(n);
  Tensor xr = reshape_to("median", transpose(cast(x, result), perm), flat);
  Tensor sorted = sort(xr, -1);
  int last = flat.rank() - 1;
  Tensor mid = multiply(
      add(slice_axis(sorted, last, (n - 1) / 2, 1), slice_axis(sorted, last, n / 2, 1)), 0.5);
  // NaN sorts last, so a group holding NaN may not have it in the middle: NumPy returns NaN.
  Tensor has_nan = any(isnan(xr), {.axis = -1, .keepdims = true});
  mid = where(has_nan, std::numeric_limits<double>::quiet_NaN(), mid);
  return reshape_to("median", mid, out);
}

Tensor average(const Tensor& x, Axis axis, const Tensor& weights) {
  require_defined("average", x, "x");
  std::vector<int> axes = normalize_axes(axis, x.ndim(), "average", x.shape());
  if (!weights.defined()) return mean(cast(x, float_result_type(x.dtype())), {.axis = axis});
  DType dtype = float_result_type(promote(x, weights));
  Shape out = reduced_shape(x.shape(), axes, false);
  Tensor w = weights;
  if (weights.shape() != x.shape()) {
    bool one_d = !axis.is_none() && axes.size() == 1 && weights.ndim() == 1 &&
                 weights.shape()[0] == x.shape()[axes[0]];
    if (axis.is_none())
      throw ValueError(
          "ops::average: weights must have the same shape as x when axis is None, "
          "got weights of shape " +
          shape_str(weights) + " and x of shape " + shape_str(x));
    if (!one_d)
      throw ValueError("ops::average: weights of shape " + shape_str(weights) +
                       " must have the shape of x " + shape_str(x) +
                       " or be 1-D with the length of the (single) averaged axis");
    Shape along(x.ndim(), 1);
    along[axes[0]] = x.shape()[axes[0]];
    w = reshape_to("average", weights, along);
  }
  if (any_symbolic({&x, &weights})) return Tensor::symbolic(out, dtype);
  Tensor wc = cast(w, dtype);
  Tensor numerator = sum(multiply(cast(x, dtype), wc), {.axis = to_axis(axes)});
  Tensor denominator = sum(broadcast_to(wc, x.shape()), {.axis = to_axis(axes)});
  return divide(numerator, denominator);
}

namespace {

Tensor arg_extreme(const char* op, ArgReduceOp kind, const Tensor& x, std::optional<int64_t> axis,
                   bool keepdims) {
  require_defined(op, x, "x");
  int ax = 0;
  Shape out;
  if (axis) {
    ax = normalize_axis(*axis, x.ndim(), op_name(op).c_str(), x.shape());
    out = reduced_shape(x.shape(), {ax}, keepdims);
  } else if (keepdims) {
    out = Shape(x.ndim(), 1);
  }
  if (x.is_symbolic()) return Tensor::symbolic(out, DType::Int32);
  int64_t n = axis ? x.shape()[ax] : x.size();
  if (n == 0)
    throw ValueError(op_name(op) + ": attempt to get " + op + " of an empty sequence (" +
                     (axis ? "axis " + std::to_string(ax) + " of " : std::string()) + "shape " +
                     shape_str(x) + ")");
  Tensor xv = x;
  if (is_floating(x.dtype()) && x.ndim() > 0) {
    // Keras treats -0.0 as smaller than +0.0 here (it replaces -0.0 by -tiny; see
    // keras/src/backend/numpy/numpy.py argmax), so ties between the zeros do not go by position.
    DType dtype = accumulate_dtype(x.dtype());
    xv = cast(x, dtype);
    double tiny = dtype == DType::Float64 ? std::numeric_limits<double>::min()
                                          : static_cast<double>(std::numeric_limits<float>::min());
    xv = where(logical_and(equal(xv, 0.0), signbit(xv)), -tiny, xv);
  }
  if (!axis) xv = reshape_to(op, xv, Shape{x.size()});
  Backend& be = x.backend();
  Tensor y = be.arg_reduce(kind, prepare(xv, be, xv.dtype()), axis ? ax : 0, keepdims && axis);
  if (!axis && keepdims) y = be.reshape(y, out);
  return y;
}

Tensor cumulative(const char* op, CumulativeOp kind, const Tensor& x, std::optional<int64_t> axis,
                  std::optional<DType> dtype) {
  require_defined(op, x, "x");
  DType out = dtype ? *dtype : x.dtype();
  if (out == DType::Bool) out = DType::Int32;
  int ax = 0;
  Tensor xv = x;
  if (axis)
    ax = normalize_axis(*axis, x.ndim(), op_name(op).c_str(), x.shape());
  else
    xv = ravel(x);
  if (xv.is_symbolic()) return Tensor::symbolic(xv.shape(), out);
  xv = cast(xv, out);
  Backend& be = xv.backend();
  Tensor y = be.cumulative(kind, prepare(xv, be, out), ax, false);
  if (kind == CumulativeOp::Sum) {
    // The adjoint of a cumulative sum is the reversed cumulative sum.
    record_unary(op, xv, y, [ax](const Tensor& g) { return flip(cumsum(flip(g, ax), ax), ax); });
  } else {
    // d y_j / d x_i = y_j / x_i for j >= i: exact where x has no zeros (a zero gives inf/NaN,
    // a known limitation; JAX differentiates its associative scan instead).
    record_unary(op, xv, y, [xv, y, ax](const Tensor& g) {
      return divide(flip(cumsum(flip(multiply(g, y), ax), ax), ax), xv);
    });
  }
  return y;
}

}  // namespace

Tensor argmax(const Tensor& x, std::optional<int64_t> axis, bool keepdims) {
  return arg_extreme("argmax", ArgReduceOp::ArgMax, x, axis, keepdims);
}
Tensor argmin(const Tensor& x, std::optional<int64_t> axis, bool keepdims) {
  return arg_extreme("argmin", ArgReduceOp::ArgMin, x, axis, keepdims);
}
Tensor cumsum(const Tensor& x, std::optional<int64_t> axis, std::optional<DType> dtype) {
  return cumulative("cumsum", CumulativeOp::Sum, x, axis, dtype);
}
Tensor cumprod(const Tensor& x, std::optional<int64_t> axis, std::optional<DType> dtype) {
  return cumulative("cumprod", CumulativeOp::Prod, x, axis, dtype);
}

}  // namespace keras::ops
