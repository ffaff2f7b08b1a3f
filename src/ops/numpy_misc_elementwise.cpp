// Elementwise ops composed of others: hypot, logaddexp, logaddexp2, heaviside, copysign,
// deg2rad, rad2deg, signbit, sinc, nan_to_num (keras/src/ops/numpy.py).
#include <cmath>
#include <limits>
#include <numbers>

#include "ops/elementwise_util.hpp"

namespace keras::ops {

using namespace detail;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kLn2 = std::numbers::ln2;

void require_pair(const char* op, const Tensor& x1, const Tensor& x2) {
  require_defined(op, x1, "x1");
  require_defined(op, x2, "x2");
  broadcast_shapes(x1.shape(), x2.shape(), op_name(op).c_str());
}

double largest_finite(DType dtype) {
  switch (dtype) {
    case DType::Float16:
      return 65504.0;
    case DType::BFloat16:
      return 3.3895313892515355e38;
    case DType::Float32:
      return std::numeric_limits<float>::max();
    default:
      return std::numeric_limits<double>::max();
  }
}

// Keras's deg2rad/rad2deg dtype: float64 for int64/float64, 16-bit floats kept, else floatx.
DType angle_dtype(DType d) {
  if (d == DType::Int64 || d == DType::Float64) return DType::Float64;
  if (d == DType::Float16 || d == DType::BFloat16) return d;
  return config::floatx();
}

}  // namespace

Tensor hypot(const Tensor& x1, const Tensor& x2) {
  require_pair("hypot", x1, x2);
  DType dtype = float_or_f64(promote(x1, x2));
  return composite(
      "hypot", {x1, x2},
      [dtype](const std::vector<Tensor>& xs) {
        // max * sqrt(1 + (min / max)^2): no overflow or underflow in the squares.
        Tensor a = abs(cast(xs[0], dtype)), b = abs(cast(xs[1], dtype));
        Tensor hi = maximum(a, b), lo = minimum(a, b);
        Tensor zero = equal(hi, 0);
        Tensor r = divide(lo, where(zero, 1.0, hi));
        Tensor y = where(zero, 0.0, multiply(hi, sqrt(add(square(r), 1.0))));
        // hypot(inf, anything) is inf, even NaN (C and NumPy).
        return where(logical_or(isinf(a), isinf(b)), std::numeric_limits<double>::infinity(), y);
      },
      [](const std::vector<Tensor>& xs, const Tensor& y, const Tensor& g) {
        Tensor zero = equal(y, 0);
        Tensor scale = divide(g, where(zero, 1.0, y));
        auto part = [&](const Tensor& x) {
          return needs_grad(x) ? where(zero, 0.0, multiply(scale, x)) : Tensor();
        };
        return std::vector<Tensor>{part(xs[0]), part(xs[1])};
      });
}

namespace {
// log(b^x1 + b^x2) / log(b) for b = e (base2 false) or 2, stably: max + log_b(1 + b^-|x1 - x2|).
Tensor logaddexp_impl(const char* op, const Tensor& x1, const Tensor& x2, bool base2) {
  require_pair(op, x1, x2);
  DType dtype = float_promote(x1, x2);
  return composite(
      op, {x1, x2},
      [dtype, base2](const std::vector<Tensor>& xs) {
        Tensor a = cast(xs[0], dtype), b = cast(xs[1], dtype);
        Tensor d = negative(abs(subtract(a, b)));
        Tensor tail = base2 ? divide(log1p(exp2(d)), kLn2) : log1p(exp(d));
        Tensor y = add(maximum(a, b), tail);
        // Equal infinities would give inf - inf = NaN above.
        return where(equal(a, b), add(a, base2 ? 1.0 : kLn2), y);
      },
      [base2](const std::vector<Tensor>& xs, const Tensor& y, const Tensor& g) {
        auto part = [&](const Tensor& x) {
          if (!needs_grad(x)) return Tensor();
          Tensor e = subtract(x, y);
          return multiply(g, base2 ? exp2(e) : exp(e));
        };
        return std::vector<Tensor>{part(xs[0]), part(xs[1])};
      });
}
}  // namespace

Tensor logaddexp(const Tensor& x1, const Tensor& x2) {
  return logaddexp_impl("logaddexp", x1, x2, false);
}

Tensor logaddexp2(const Tensor& x1, const Tensor& x2) {
  return logaddexp_impl("logaddexp2", x1, x2, true);
}

Tensor heaviside(const Tensor& x1, const Tensor& x2) {
  require_pair("heaviside", x1, x2);
  DType dtype = float_or_f64(promote(x1, x2));
  Tensor a = cast(x1, dtype), b = cast(x2, dtype);
  // 0 for x1 < 0, 1 for x1 > 0, x2 where x1 == 0 (the gradient flows to x2 there), NaN for NaN.
  Tensor y = where(less(a, 0), 0, where(greater(a, 0), 1, b));
  return where(isnan(a), a, y);
}

Tensor copysign(const Tensor& x1, const Tensor& x2) {
  require_pair("copysign", x1, x2);
  DType dtype = float_promote(x1, x2);
  Tensor a = abs(cast(x1, dtype));
  return where(signbit(cast(x2, dtype)), negative(a), a);
}

Tensor deg2rad(const Tensor& x) {
  require_defined("deg2rad", x, "x");
  return multiply(cast(x, angle_dtype(x.dtype())), kPi / 180.0);
}

Tensor rad2deg(const Tensor& x) {
  require_defined("rad2deg", x, "x");
  return multiply(cast(x, angle_dtype(x.dtype())), 180.0 / kPi);
}

Tensor signbit(const Tensor& x) {
  require_defined("signbit", x, "x");
  DType d = x.dtype();
  if (is_bool(d) || is_unsigned(d)) return less(x, constant_like(x, 0, d));  // all false
  Tensor neg = less(x, 0);
  if (!is_floating(d)) return neg;
  // -0.0 has its sign bit set; 1 / -0.0 = -inf tells it apart from +0.0. (The sign bit of a NaN
  // cannot be read without bit casts; NaNs report false.)
  return logical_or(neg, logical_and(equal(x, 0), less(reciprocal(x), 0)));
}

Tensor sinc(const Tensor& x) {
  require_defined("sinc", x, "x");
  Tensor xf = cast(x, float_result_type(x.dtype()));
  // sin(pi x) / (pi x), 1 at 0; the inner where keeps the gradient at 0 finite (it is 0 there).
  Tensor zero = equal(xf, 0);
  Tensor px = multiply(where(zero, 1.0, xf), kPi);
  return where(zero, 1.0, divide(sin(px), px));
}

Tensor nan_to_num(const Tensor& x, NanToNumOptions options) {
  require_defined("nan_to_num", x, "x");
  DType d = x.dtype();
  if (!is_floating(d)) return x;
  double big = largest_finite(d);
  Tensor nan = constant_like(x, options.nan, d);
  Tensor pos = constant_like(x, options.posinf.value_or(big), d);
  Tensor neg = constant_like(x, options.neginf.value_or(-big), d);
  double inf = std::numeric_limits<double>::infinity();
  Tensor y = where(equal(x, inf), pos, where(equal(x, -inf), neg, x));
  return where(isnan(x), nan, y);
}

}  // namespace keras::ops
