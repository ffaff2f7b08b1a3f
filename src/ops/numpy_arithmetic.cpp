// Arithmetic binary ops: add, subtract, multiply, divide, ... (keras/src/ops/numpy.py).
// Dtypes follow Keras: result_type(x1, x2) for most, result_type(x1, x2, float) for the true
// divisions, bool promoted to int32 for mod/fmod.
#include "ops/elementwise_util.hpp"

namespace keras::ops {

using namespace detail;
using backend::BinaryOp;

namespace {

// The gradient of maximum/minimum: the input equal to the output gets g; on a tie each input gets
// half, as JAX's lax.max/min do (TensorFlow gives all of it to x1).
std::pair<Tensor, Tensor> select_grad(const Tensor& a, const Tensor& b, const Tensor& y,
                                      const Tensor& g) {
  Tensor ea = equal(a, y), eb = equal(b, y);
  Tensor half = multiply(g, 0.5);
  Tensor ga = needs_grad(a) ? where(ea, where(eb, half, g), 0.0) : Tensor();
  Tensor gb = needs_grad(b) ? where(eb, where(ea, half, g), 0.0) : Tensor();
  return {ga, gb};
}

void require_not_bool(const char* op, const Tensor& x1, const Tensor& x2, const char* hint) {
  if (is_bool(x1.dtype()) && is_bool(x2.dtype()))
    throw TypeError(op_name(op) + ": boolean operands are not supported (x1 bool, x2 bool); " +
                    hint);
}

}  // namespace

Tensor add(const Tensor& x1, const Tensor& x2) {
  require_defined("add", x1, "x1");
  require_defined("add", x2, "x2");
  return binary("add", BinaryOp::Add, x1, x2, promote(x1, x2),
                [](const Tensor& a, const Tensor& b, const Tensor&, const Tensor& g) {
                  return std::pair{needs_grad(a) ? g : Tensor(), needs_grad(b) ? g : Tensor()};
                });
}

Tensor subtract(const Tensor& x1, const Tensor& x2) {
  require_defined("subtract", x1, "x1");
  require_defined("subtract", x2, "x2");
  require_not_bool("subtract", x1, x2, "use ops::logical_xor");
  return binary(
      "subtract", BinaryOp::Subtract, x1, x2, promote(x1, x2),
      [](const Tensor& a, const Tensor& b, const Tensor&, const Tensor& g) {
        return std::pair{needs_grad(a) ? g : Tensor(), needs_grad(b) ? negative(g) : Tensor()};
      });
}

Tensor multiply(const Tensor& x1, const Tensor& x2) {
  require_defined("multiply", x1, "x1");
  require_defined("multiply", x2, "x2");
  return binary("multiply", BinaryOp::Multiply, x1, x2, promote(x1, x2),
                [](const Tensor& a, const Tensor& b, const Tensor&, const Tensor& g) {
                  return std::pair{needs_grad(a) ? multiply(g, b) : Tensor(),
                                   needs_grad(b) ? multiply(g, a) : Tensor()};
                });
}

Tensor divide(const Tensor& x1, const Tensor& x2) {
  require_defined("divide", x1, "x1");
  require_defined("divide", x2, "x2");
  return binary("divide", BinaryOp::Divide, x1, x2, float_promote(x1, x2),
                [](const Tensor& a, const Tensor& b, const Tensor&, const Tensor& g) {
                  Tensor ga = divide(g, b);
                  return std::pair{needs_grad(a) ? ga : Tensor(),
                                   needs_grad(b) ? negative(divide(multiply(ga, a), b)) : Tensor()};
                });
}

Tensor true_divide(const Tensor& x1, const Tensor& x2) { return divide(x1, x2); }

Tensor divide_no_nan(const Tensor& x1, const Tensor& x2) {
  require_defined("divide_no_nan", x1, "x1");
  require_defined("divide_no_nan", x2, "x2");
  broadcast_shapes(x1.shape(), x2.shape(), "ops::divide_no_nan");
  DType dtype = float_promote(x1, x2);
  Tensor a = cast(x1, dtype), b = cast(x2, dtype);
  // The double where keeps the gradient finite where x2 == 0 (it is 0 there, as in Keras/JAX).
  Tensor zero = equal(b, 0);
  Tensor safe = where(zero, 1, b);
  return where(zero, 0, divide(a, safe));
}

Tensor floor_divide(const Tensor& x1, const Tensor& x2) {
  require_defined("floor_divide", x1, "x1");
  require_defined("floor_divide", x2, "x2");
  DType dtype = promote(x1, x2);
  // bool // bool: 1 // 1 = 1 and 0 // 1 = 0; NumPy's x // 0 = 0 for integers.
  if (is_bool(dtype)) return binary("floor_divide", BinaryOp::LogicalAnd, x1, x2, dtype, nullptr);
  // Piecewise constant: no gradient flows (as in JAX).
  return binary("floor_divide", BinaryOp::FloorDivide, x1, x2, dtype, nullptr);
}

Tensor mod(const Tensor& x1, const Tensor& x2) {
  require_defined("mod", x1, "x1");
  require_defined("mod", x2, "x2");
  DType dtype = promote(x1, x2);
  if (is_bool(dtype)) dtype = DType::Int32;
  return binary("mod", BinaryOp::Mod, x1, x2, dtype,
                [](const Tensor& a, const Tensor& b, const Tensor&, const Tensor& g) {
                  // x1 - floor(x1 / x2) * x2
                  Tensor gb;
                  if (needs_grad(b)) gb = negative(multiply(g, floor(divide(strong(a, g), b))));
                  return std::pair{needs_grad(a) ? g : Tensor(), gb};
                });
}

Tensor fmod(const Tensor& x1, const Tensor& x2) {
  require_defined("fmod", x1, "x1");
  require_defined("fmod", x2, "x2");
  DType dtype = promote(x1, x2);
  if (is_bool(dtype)) dtype = DType::Int32;
  return binary("fmod", BinaryOp::Fmod, x1, x2, dtype,
                [](const Tensor& a, const Tensor& b, const Tensor&, const Tensor& g) {
                  // x1 - trunc(x1 / x2) * x2
                  Tensor gb;
                  if (needs_grad(b)) gb = negative(multiply(g, trunc(divide(strong(a, g), b))));
                  return std::pair{needs_grad(a) ? g : Tensor(), gb};
                });
}

Tensor power(const Tensor& x1, const Tensor& x2) {
  require_defined("power", x1, "x1");
  require_defined("power", x2, "x2");
  return binary("power", BinaryOp::Power, x1, x2, promote(x1, x2),
                [](const Tensor& a, const Tensor& b, const Tensor& y, const Tensor& g) {
                  Tensor a_ = strong(a, g), b_ = strong(b, g);
                  Tensor ga, gb;
                  // d/dx1 = x2 * x1^(x2 - 1), taken as 0 where x2 == 0 (JAX's rule: 0^0 has slope
                  // 0).
                  if (needs_grad(a))
                    ga = where(equal(b_, 0), 0.0,
                               multiply(g, multiply(b_, power(a_, subtract(b_, 1)))));
                  // d/dx2 = x1^x2 * log(x1), with log(1) = 0 used where x1 == 0 so that 0^x2 gives
                  // 0, not NaN (JAX's rule); negative bases give NaN as log does.
                  if (needs_grad(b))
                    gb = multiply(multiply(g, y), log(where(equal(a_, 0), 1.0, a_)));
                  return std::pair{ga, gb};
                });
}

Tensor maximum(const Tensor& x1, const Tensor& x2) {
  require_defined("maximum", x1, "x1");
  require_defined("maximum", x2, "x2");
  return binary("maximum", BinaryOp::Maximum, x1, x2, promote(x1, x2), select_grad);
}

Tensor minimum(const Tensor& x1, const Tensor& x2) {
  require_defined("minimum", x1, "x1");
  require_defined("minimum", x2, "x2");
  return binary("minimum", BinaryOp::Minimum, x1, x2, promote(x1, x2), select_grad);
}

namespace {
// fmax/fmin: like maximum/minimum, but a NaN operand loses to a number (NumPy).
Tensor nan_ignoring(const char* op, const Tensor& x1, const Tensor& x2, bool is_max) {
  require_defined(op, x1, "x1");
  require_defined(op, x2, "x2");
  broadcast_shapes(x1.shape(), x2.shape(), op_name(op).c_str());
  DType dtype = promote(x1, x2);
  Tensor a = cast(x1, dtype), b = cast(x2, dtype);
  Tensor m = is_max ? maximum(a, b) : minimum(a, b);
  if (!is_floating(dtype)) return m;
  return where(isnan(b), a, where(isnan(a), b, m));
}
}  // namespace

Tensor fmax(const Tensor& x1, const Tensor& x2) { return nan_ignoring("fmax", x1, x2, true); }
Tensor fmin(const Tensor& x1, const Tensor& x2) { return nan_ignoring("fmin", x1, x2, false); }

Tensor arctan2(const Tensor& x1, const Tensor& x2) {
  require_defined("arctan2", x1, "x1");
  require_defined("arctan2", x2, "x2");
  return binary("arctan2", BinaryOp::Arctan2, x1, x2, float_promote(x1, x2),
                [](const Tensor& a, const Tensor& b, const Tensor&, const Tensor& g) {
                  Tensor a_ = strong(a, g), b_ = strong(b, g);
                  Tensor scale = divide(g, add(square(a_), square(b_)));
                  return std::pair{needs_grad(a) ? multiply(scale, b_) : Tensor(),
                                   needs_grad(b) ? negative(multiply(scale, a_)) : Tensor()};
                });
}

}  // namespace keras::ops
