// Comparisons, logical ops, isclose/allclose, where and clip (keras/src/ops/numpy.py).
#include <limits>

#include "ops/elementwise_util.hpp"

namespace keras::ops {

using namespace detail;
using backend::BinaryOp;

namespace {

// Comparisons promote both operands (so 1 == 1.0) and return bool; no gradient.
Tensor compare(const char* op, BinaryOp kind, const Tensor& x1, const Tensor& x2) {
  require_defined(op, x1, "x1");
  require_defined(op, x2, "x2");
  return binary(op, kind, x1, x2, promote(x1, x2), nullptr);
}

// Logical ops take any dtype, non-zero meaning true (NumPy).
Tensor logical(const char* op, BinaryOp kind, const Tensor& x1, const Tensor& x2) {
  require_defined(op, x1, "x1");
  require_defined(op, x2, "x2");
  return binary(op, kind, x1, x2, promote(x1, x2), nullptr);
}

}  // namespace

Tensor equal(const Tensor& x1, const Tensor& x2) {
  return compare("equal", BinaryOp::Equal, x1, x2);
}
Tensor not_equal(const Tensor& x1, const Tensor& x2) {
  return compare("not_equal", BinaryOp::NotEqual, x1, x2);
}
Tensor less(const Tensor& x1, const Tensor& x2) { return compare("less", BinaryOp::Less, x1, x2); }
Tensor less_equal(const Tensor& x1, const Tensor& x2) {
  return compare("less_equal", BinaryOp::LessEqual, x1, x2);
}
Tensor greater(const Tensor& x1, const Tensor& x2) {
  return compare("greater", BinaryOp::Greater, x1, x2);
}
Tensor greater_equal(const Tensor& x1, const Tensor& x2) {
  return compare("greater_equal", BinaryOp::GreaterEqual, x1, x2);
}
Tensor logical_and(const Tensor& x1, const Tensor& x2) {
  return logical("logical_and", BinaryOp::LogicalAnd, x1, x2);
}
Tensor logical_or(const Tensor& x1, const Tensor& x2) {
  return logical("logical_or", BinaryOp::LogicalOr, x1, x2);
}
Tensor logical_xor(const Tensor& x1, const Tensor& x2) {
  return logical("logical_xor", BinaryOp::LogicalXor, x1, x2);
}

Tensor isclose(const Tensor& x1, const Tensor& x2, IsCloseOptions options) {
  require_defined("isclose", x1, "x1");
  require_defined("isclose", x2, "x2");
  broadcast_shapes(x1.shape(), x2.shape(), "ops::isclose");
  if (options.rtol < 0 || options.atol < 0)
    throw ValueError("ops::isclose: rtol and atol must be non-negative, got rtol=" +
                     std::to_string(options.rtol) + ", atol=" + std::to_string(options.atol));
  // NumPy: (|x1 - x2| <= atol + rtol * |x2| and x2 finite) or x1 == x2, in floating point (so
  // integers compare with the tolerances too).
  DType dtype = float_promote(x1, x2);
  Tensor a = stop_gradient(cast(x1, dtype)), b = stop_gradient(cast(x2, dtype));
  Tensor tol = add(multiply(abs(b), options.rtol), options.atol);
  Tensor close = logical_and(less_equal(abs(subtract(a, b)), tol), isfinite(b));
  close = logical_or(close, equal(a, b));
  if (options.equal_nan) close = logical_or(close, logical_and(isnan(a), isnan(b)));
  return close;
}

bool allclose(const Tensor& x1, const Tensor& x2, IsCloseOptions options) {
  require_defined("allclose", x1, "x1");
  require_defined("allclose", x2, "x2");
  if (any_symbolic({&x1, &x2}))
    throw ValueError(
        "ops::allclose: returns a C++ bool, so it needs concrete tensors; got shapes " +
        shape_str(x1) + " and " + shape_str(x2) +
        " with a symbolic one (use "
        "ops::isclose and ops::all to build a symbolic result)");
  Tensor close = isclose(x1, x2, options);
  if (close.size() == 0) return true;
  std::vector<int> axes;
  for (int i = 0; i < close.ndim(); ++i) axes.push_back(i);
  return close.backend().reduce(backend::ReduceOp::All, close, axes, false).item<bool>();
}

Tensor where(const Tensor& condition, const Tensor& x1, const Tensor& x2) {
  require_defined("where", condition, "condition");
  if (x1.defined() != x2.defined())
    throw ValueError(
        "ops::where: `x1` and `x2` either both should be undefined or both should "
        "be given; got " +
        std::string(x1.defined() ? "x1 only" : "x2 only"));
  if (!x1.defined())
    throw NotImplementedError(
        "ops::where: the one-argument form (indices of the non-zero "
        "elements of condition) is not supported; pass x1 and x2");
  Shape shape = broadcast_shapes(broadcast_shapes(condition.shape(), x1.shape(), "ops::where"),
                                 x2.shape(), "ops::where");
  DType dtype = promote(x1, x2);
  if (any_symbolic({&condition, &x1, &x2})) return Tensor::symbolic(shape, dtype);
  Backend& be = pick_backend("where", {&condition, &x1, &x2});
  // A non-bool condition means "non-zero" (NumPy).
  Tensor cond = prepare(condition, be, DType::Bool);
  Tensor y = be.where(cond, prepare(x1, be, dtype), prepare(x2, be, dtype));
  if (autodiff::is_recording() && is_floating(dtype) && (needs_grad(x1) || needs_grad(x2))) {
    autodiff::record("where", {condition, x1, x2}, {y},
                     [cond, x1, x2](const std::vector<Tensor>& g) {
                       Tensor zero = zeros_like(g[0]);
                       Tensor g1, g2;
                       if (needs_grad(x1))
                         g1 = unbroadcast(where(cond, g[0], zero), x1.shape(), x1.dtype());
                       if (needs_grad(x2))
                         g2 = unbroadcast(where(cond, zero, g[0]), x2.shape(), x2.dtype());
                       return std::vector<Tensor>{Tensor(), g1, g2};
                     });
  }
  return y;
}

Tensor clip(const Tensor& x, const Tensor& x_min, const Tensor& x_max) {
  require_defined("clip", x, "x");
  // Keras: the result has x's dtype (bool becomes int32); the comparison itself is done in the
  // type promoted with the bounds, as NumPy's clip followed by astype.
  DType out_dtype = is_bool(x.dtype()) ? DType::Int32 : x.dtype();
  Tensor xs = is_bool(x.dtype()) ? cast(x, DType::Int32) : x;
  DType compute = out_dtype;
  for (const Tensor* bound : {&x_min, &x_max}) {
    if (!bound->defined()) continue;
    if (bound->ndim() > xs.ndim() ||
        broadcast_shapes(xs.shape(), bound->shape(), "ops::clip") != xs.shape())
      throw ValueError("ops::clip: the bound of shape " + bound->shape().to_string() +
                       " does not broadcast to x's shape " + shape_str(x));
    compute = result_type(compute, bound->dtype(), false, bound->impl()->weak);
  }
  if (!x_min.defined() && !x_max.defined()) return xs;
  return composite(
      "clip", {xs, x_min, x_max},
      [compute, out_dtype](const std::vector<Tensor>& v) {
        Tensor y = cast(v[0], compute);
        if (v[1].defined()) y = maximum(y, cast(v[1], compute));
        if (v[2].defined()) y = minimum(y, cast(v[2], compute));
        return cast(y, out_dtype);
      },
      [compute](const std::vector<Tensor>& v, const Tensor&, const Tensor& g) {
        // The gradient passes where min <= x <= max (both ends included); a bound gets it where
        // it is the output. Exactly one of the three gets each element's gradient.
        Tensor xv = v[0];
        Tensor pass = g, g_max, g_min;
        if (v[2].defined()) {
          Tensor lifted = v[1].defined() ? maximum(cast(xv, compute), cast(v[1], compute)) : xv;
          Tensor above = greater(lifted, v[2]);
          if (needs_grad(v[2])) g_max = where(above, g, 0.0);
          pass = where(above, 0.0, g);
        }
        if (v[1].defined()) {
          Tensor below = less(xv, v[1]);
          if (needs_grad(v[1])) g_min = where(below, pass, 0.0);
          pass = where(below, 0.0, pass);
        }
        return std::vector<Tensor>{needs_grad(xv) ? pass : Tensor(), g_min, g_max};
      });
}

}  // namespace keras::ops
