// Unary math ops: abs, sign, exp, log, sqrt, trigonometry, rounding, ... (keras/src/ops/numpy.py).
// Ops that return floats compute ints and bool in floatx (Keras: result_type(x.dtype, float));
// abs, negative, sign, square, trunc and round keep integer dtypes.
#include <numbers>

#include "ops/elementwise_util.hpp"

namespace keras::ops {

using namespace detail;
using backend::UnaryOp;

namespace {
constexpr double kLn2 = std::numbers::ln2;
constexpr double kLn10 = std::numbers::ln10;

void require_not_bool(const char* op, const Tensor& x, const char* hint) {
  require_defined(op, x, "x");
  if (is_bool(x.dtype()))
    throw TypeError(op_name(op) + ": boolean input is not supported (x bool, shape " +
                    shape_str(x) + "); " + hint);
}
}  // namespace

// ---- sign and magnitude ----

Tensor abs(const Tensor& x) {
  require_defined("abs", x, "x");
  // The subgradient at 0 is 0 (sign(0) = 0), as in JAX and TensorFlow.
  return unary(
      "abs", UnaryOp::Abs, x, x.dtype(),
      [](const Tensor& x, const Tensor&, const Tensor& g) { return multiply(g, sign(x)); });
}

Tensor absolute(const Tensor& x) { return abs(x); }

Tensor fabs(const Tensor& x) {
  require_defined("fabs", x, "x");
  return unary(
      "fabs", UnaryOp::Abs, x, float_result_type(x.dtype()),
      [](const Tensor& x, const Tensor&, const Tensor& g) { return multiply(g, sign(x)); });
}

Tensor negative(const Tensor& x) {
  require_not_bool("negative", x, "use ops::logical_not");
  return unary("negative", UnaryOp::Negative, x, x.dtype(),
               [](const Tensor&, const Tensor&, const Tensor& g) { return negative(g); });
}

Tensor positive(const Tensor& x) {
  require_not_bool("positive", x, "cast it to an integer type first");
  return copy(x);
}

// Piecewise constant: no gradient (zero), as in JAX. sign(bool) is the input itself.
Tensor sign(const Tensor& x) {
  require_defined("sign", x, "x");
  return unary("sign", UnaryOp::Sign, x, x.dtype(), nullptr);
}

Tensor square(const Tensor& x) {
  require_defined("square", x, "x");
  DType dtype = is_bool(x.dtype()) ? DType::Int32 : x.dtype();
  return unary("square", UnaryOp::Square, x, dtype,
               [](const Tensor& x, const Tensor&, const Tensor& g) {
                 return multiply(g, multiply(x, 2.0));
               });
}

Tensor sqrt(const Tensor& x) {
  return unary_float("sqrt", UnaryOp::Sqrt, x, [](const Tensor&, const Tensor& y, const Tensor& g) {
    return divide(g, multiply(y, 2.0));
  });
}

Tensor cbrt(const Tensor& x) {
  require_defined("cbrt", x, "x");
  DType dtype = float_or_f64(x.dtype());
  return composite(
      "cbrt", {x},
      [dtype](const std::vector<Tensor>& xs) {
        Tensor xf = cast(xs[0], dtype);
        Tensor a = abs(xf);
        Tensor r = power(a, 1.0 / 3.0);
        // One Newton step makes exact cubes exact (pow(27, 1/3) is 2.9999999999999996).
        Tensor ok = logical_and(greater(r, 0), isfinite(r));
        Tensor safe = where(ok, r, 1.0);
        Tensor refined = subtract(
            safe, divide(subtract(multiply(square(safe), safe), a), multiply(square(safe), 3.0)));
        r = where(ok, refined, r);
        return where(less(xf, 0), negative(r), r);
      },
      [](const std::vector<Tensor>&, const Tensor& y, const Tensor& g) {
        return std::vector<Tensor>{divide(g, multiply(square(y), 3.0))};
      });
}

Tensor reciprocal(const Tensor& x) {
  return unary_float("reciprocal", UnaryOp::Reciprocal, x,
                     [](const Tensor&, const Tensor& y, const Tensor& g) {
                       return negative(multiply(g, square(y)));
                     });
}

// ---- exponentials and logarithms ----

Tensor exp(const Tensor& x) {
  return unary_float("exp", UnaryOp::Exp, x,
                     [](const Tensor&, const Tensor& y, const Tensor& g) { return g * y; });
}

Tensor exp2(const Tensor& x) {
  return unary_float("exp2", UnaryOp::Exp2, x, [](const Tensor&, const Tensor& y, const Tensor& g) {
    return multiply(multiply(g, y), kLn2);
  });
}

Tensor expm1(const Tensor& x) {
  return unary_float(
      "expm1", UnaryOp::Expm1, x,
      [](const Tensor&, const Tensor& y, const Tensor& g) { return multiply(g, add(y, 1.0)); });
}

Tensor log(const Tensor& x) {
  return unary_float("log", UnaryOp::Log, x,
                     [](const Tensor& x, const Tensor&, const Tensor& g) { return divide(g, x); });
}

Tensor log1p(const Tensor& x) {
  return unary_float(
      "log1p", UnaryOp::Log1p, x,
      [](const Tensor& x, const Tensor&, const Tensor& g) { return divide(g, add(x, 1.0)); });
}

Tensor log2(const Tensor& x) {
  return unary_float("log2", UnaryOp::Log2, x, [](const Tensor& x, const Tensor&, const Tensor& g) {
    return divide(g, multiply(x, kLn2));
  });
}

Tensor log10(const Tensor& x) {
  return unary_float("log10", UnaryOp::Log10, x,
                     [](const Tensor& x, const Tensor&, const Tensor& g) {
                       return divide(g, multiply(x, kLn10));
                     });
}

// ---- trigonometric and hyperbolic ----

Tensor sin(const Tensor& x) {
  return unary_float("sin", UnaryOp::Sin, x, [](const Tensor& x, const Tensor&, const Tensor& g) {
    return multiply(g, cos(x));
  });
}

Tensor cos(const Tensor& x) {
  return unary_float("cos", UnaryOp::Cos, x, [](const Tensor& x, const Tensor&, const Tensor& g) {
    return negative(multiply(g, sin(x)));
  });
}

Tensor tan(const Tensor& x) {
  return unary_float("tan", UnaryOp::Tan, x, [](const Tensor&, const Tensor& y, const Tensor& g) {
    return multiply(g, add(square(y), 1.0));
  });
}

Tensor arcsin(const Tensor& x) {
  return unary_float("arcsin", UnaryOp::Arcsin, x,
                     [](const Tensor& x, const Tensor&, const Tensor& g) {
                       return divide(g, sqrt(subtract(1.0, square(x))));
                     });
}

Tensor arccos(const Tensor& x) {
  return unary_float("arccos", UnaryOp::Arccos, x,
                     [](const Tensor& x, const Tensor&, const Tensor& g) {
                       return negative(divide(g, sqrt(subtract(1.0, square(x)))));
                     });
}

Tensor arctan(const Tensor& x) {
  return unary_float("arctan", UnaryOp::Arctan, x,
                     [](const Tensor& x, const Tensor&, const Tensor& g) {
                       return divide(g, add(square(x), 1.0));
                     });
}

Tensor sinh(const Tensor& x) {
  return unary_float("sinh", UnaryOp::Sinh, x, [](const Tensor& x, const Tensor&, const Tensor& g) {
    return multiply(g, cosh(x));
  });
}

Tensor cosh(const Tensor& x) {
  return unary_float("cosh", UnaryOp::Cosh, x, [](const Tensor& x, const Tensor&, const Tensor& g) {
    return multiply(g, sinh(x));
  });
}

Tensor tanh(const Tensor& x) {
  return unary_float("tanh", UnaryOp::Tanh, x, [](const Tensor&, const Tensor& y, const Tensor& g) {
    return multiply(g, subtract(1.0, square(y)));
  });
}

Tensor arcsinh(const Tensor& x) {
  return unary_float("arcsinh", UnaryOp::Arcsinh, x,
                     [](const Tensor& x, const Tensor&, const Tensor& g) {
                       return divide(g, sqrt(add(square(x), 1.0)));
                     });
}

Tensor arccosh(const Tensor& x) {
  // sqrt(x - 1) * sqrt(x + 1) rather than sqrt(x^2 - 1): no overflow for large x.
  return unary_float("arccosh", UnaryOp::Arccosh, x,
                     [](const Tensor& x, const Tensor&, const Tensor& g) {
                       return divide(g, multiply(sqrt(subtract(x, 1.0)), sqrt(add(x, 1.0))));
                     });
}

Tensor arctanh(const Tensor& x) {
  return unary_float("arctanh", UnaryOp::Arctanh, x,
                     [](const Tensor& x, const Tensor&, const Tensor& g) {
                       return divide(g, subtract(1.0, square(x)));
                     });
}

// ---- rounding (piecewise constant: zero gradient) ----

// Keras returns floats for floor/ceil of ints (result_type(x.dtype, float)).
Tensor floor(const Tensor& x) { return unary_float("floor", UnaryOp::Floor, x, nullptr); }
Tensor ceil(const Tensor& x) { return unary_float("ceil", UnaryOp::Ceil, x, nullptr); }

Tensor trunc(const Tensor& x) {
  require_defined("trunc", x, "x");
  if (!is_floating(x.dtype())) return x;
  return unary("trunc", UnaryOp::Trunc, x, x.dtype(), nullptr);
}

Tensor round(const Tensor& x, int decimals) {
  require_defined("round", x, "x");
  DType dtype = x.dtype();
  if (is_bool(dtype) || (is_integer(dtype) && decimals >= 0)) return x;
  if (decimals == 0) return unary("round", UnaryOp::Round, x, dtype, nullptr);
  // NumPy: round(x * 10^d) / 10^d, or round(x / 10^-d) * 10^-d for negative d. Integers compute
  // in float64 so that every int32 value round-trips exactly.
  DType compute = is_floating(dtype) ? dtype : DType::Float64;
  Tensor xf = stop_gradient(cast(x, compute));
  double factor = 1.0;
  for (int i = 0; i < (decimals < 0 ? -decimals : decimals); ++i) factor *= 10.0;
  Tensor f = constant_like(x, factor, compute);
  Tensor y = decimals > 0 ? divide(round(multiply(xf, f)), f) : multiply(round(divide(xf, f)), f);
  return cast(y, dtype);
}

// ---- predicates (bool out, no gradient) ----

Tensor logical_not(const Tensor& x) {
  require_defined("logical_not", x, "x");
  return unary("logical_not", UnaryOp::LogicalNot, x, x.dtype(), nullptr);
}

Tensor isnan(const Tensor& x) {
  require_defined("isnan", x, "x");
  return unary("isnan", UnaryOp::IsNan, x, x.dtype(), nullptr);
}

Tensor isinf(const Tensor& x) {
  require_defined("isinf", x, "x");
  return unary("isinf", UnaryOp::IsInf, x, x.dtype(), nullptr);
}

Tensor isfinite(const Tensor& x) {
  require_defined("isfinite", x, "x");
  return unary("isfinite", UnaryOp::IsFinite, x, x.dtype(), nullptr);
}

}  // namespace keras::ops
