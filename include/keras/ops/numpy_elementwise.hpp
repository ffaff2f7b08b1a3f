#pragma once
// Elementwise ops with NumPy broadcasting and Keras dtype promotion (keras/src/ops/numpy.py).
// Ops that must return floats (sqrt, exp, divide, ...) compute ints and bool in floatx.
#include "keras/ops/core.hpp"

namespace keras::ops {

// ---- unary ----
Tensor abs(const Tensor& x);
Tensor absolute(const Tensor& x);
Tensor fabs(const Tensor& x);
Tensor negative(const Tensor& x);
Tensor positive(const Tensor& x);
Tensor sign(const Tensor& x);
Tensor square(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor cbrt(const Tensor& x);
Tensor reciprocal(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor exp2(const Tensor& x);
Tensor expm1(const Tensor& x);
Tensor log(const Tensor& x);
Tensor log1p(const Tensor& x);
Tensor log2(const Tensor& x);
Tensor log10(const Tensor& x);
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
Tensor tan(const Tensor& x);
Tensor arcsin(const Tensor& x);
Tensor arccos(const Tensor& x);
Tensor arctan(const Tensor& x);
Tensor sinh(const Tensor& x);
Tensor cosh(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor arcsinh(const Tensor& x);
Tensor arccosh(const Tensor& x);
Tensor arctanh(const Tensor& x);
Tensor floor(const Tensor& x);
Tensor ceil(const Tensor& x);
Tensor trunc(const Tensor& x);
// Round half to even, to `decimals` places (negative decimals round to tens, hundreds, ...).
Tensor round(const Tensor& x, int decimals = 0);
Tensor logical_not(const Tensor& x);
Tensor isnan(const Tensor& x);
Tensor isinf(const Tensor& x);
Tensor isfinite(const Tensor& x);
Tensor bitwise_not(const Tensor& x);
Tensor bitwise_invert(const Tensor& x);
Tensor deg2rad(const Tensor& x);
Tensor rad2deg(const Tensor& x);
Tensor signbit(const Tensor& x);
Tensor sinc(const Tensor& x);
struct NanToNumOptions {
  double nan = 0.0;
  std::optional<double> posinf;  // default: the dtype's largest finite value
  std::optional<double> neginf;
};
Tensor nan_to_num(const Tensor& x, NanToNumOptions options = {});

// ---- binary ----
Tensor add(const Tensor& x1, const Tensor& x2);
Tensor subtract(const Tensor& x1, const Tensor& x2);
Tensor multiply(const Tensor& x1, const Tensor& x2);
Tensor divide(const Tensor& x1, const Tensor& x2);
Tensor true_divide(const Tensor& x1, const Tensor& x2);
Tensor divide_no_nan(const Tensor& x1, const Tensor& x2);
Tensor floor_divide(const Tensor& x1, const Tensor& x2);
Tensor mod(const Tensor& x1, const Tensor& x2);
Tensor fmod(const Tensor& x1, const Tensor& x2);
Tensor power(const Tensor& x1, const Tensor& x2);
Tensor maximum(const Tensor& x1, const Tensor& x2);
Tensor minimum(const Tensor& x1, const Tensor& x2);
Tensor fmax(const Tensor& x1, const Tensor& x2);
Tensor fmin(const Tensor& x1, const Tensor& x2);
Tensor arctan2(const Tensor& x1, const Tensor& x2);
Tensor hypot(const Tensor& x1, const Tensor& x2);
Tensor logaddexp(const Tensor& x1, const Tensor& x2);
Tensor logaddexp2(const Tensor& x1, const Tensor& x2);
Tensor heaviside(const Tensor& x1, const Tensor& x2);
Tensor copysign(const Tensor& x1, const Tensor& x2);
Tensor equal(const Tensor& x1, const Tensor& x2);
Tensor not_equal(const Tensor& x1, const Tensor& x2);
Tensor less(const Tensor& x1, const Tensor& x2);
Tensor less_equal(const Tensor& x1, const Tensor& x2);
Tensor greater(const Tensor& x1, const Tensor& x2);
Tensor greater_equal(const Tensor& x1, const Tensor& x2);
Tensor logical_and(const Tensor& x1, const Tensor& x2);
Tensor logical_or(const Tensor& x1, const Tensor& x2);
Tensor logical_xor(const Tensor& x1, const Tensor& x2);
Tensor bitwise_and(const Tensor& x, const Tensor& y);
Tensor bitwise_or(const Tensor& x, const Tensor& y);
Tensor bitwise_xor(const Tensor& x, const Tensor& y);
Tensor left_shift(const Tensor& x, const Tensor& y);
Tensor right_shift(const Tensor& x, const Tensor& y);
Tensor bitwise_left_shift(const Tensor& x, const Tensor& y);
Tensor bitwise_right_shift(const Tensor& x, const Tensor& y);
struct IsCloseOptions {
  double rtol = 1e-5;
  double atol = 1e-8;
  bool equal_nan = false;
};
Tensor isclose(const Tensor& x1, const Tensor& x2, IsCloseOptions options = {});
bool allclose(const Tensor& x1, const Tensor& x2, IsCloseOptions options = {});

// ---- ternary ----
Tensor where(const Tensor& condition, const Tensor& x1, const Tensor& x2);
// x_min / x_max may be undefined (no bound).
Tensor clip(const Tensor& x, const Tensor& x_min, const Tensor& x_max);

}  // namespace keras::ops
