#pragma once
// Scalar math used by the elementwise kernels, written to be exact at the extremes (the stable
// forms Keras's backends use) and free of UB for integers.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace keras::backend::cpu::math {

template <class F>
inline F sigmoid(F x) {
  // exp of a non-positive number never overflows.
  if (x >= F(0)) return F(1) / (F(1) + std::exp(-x));
  F e = std::exp(x);
  return e / (F(1) + e);
}

template <class F>
inline F softplus(F x) {  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
  return std::max(x, F(0)) + std::log1p(std::exp(-std::fabs(x)));
}

template <class F>
inline F log_sigmoid(F x) {  // -softplus(-x)
  return std::min(x, F(0)) - std::log1p(std::exp(-std::fabs(x)));
}

template <class F>
inline F gelu_exact(F x) {
  return F(0.5) * x * (F(1) + std::erf(x * F(0.70710678118654752440)));
}

template <class F>
inline F gelu_tanh(F x) {
  const F k = F(0.79788456080286535588);  // sqrt(2/pi)
  return F(0.5) * x * (F(1) + std::tanh(k * (x + F(0.044715) * x * x * x)));
}

// Inverse error function in double precision: Giles' single-precision approximation ("Approximating
// the erfinv function", 2010) refined by Newton steps on erf (on log erfc near +-1, which avoids
// the cancellation in erf(x) - y and converges in the far tail).
inline double erfinv(double y) {
  if (std::isnan(y) || y < -1.0 || y > 1.0) return std::numeric_limits<double>::quiet_NaN();
  if (y == 1.0) return std::numeric_limits<double>::infinity();
  if (y == -1.0) return -std::numeric_limits<double>::infinity();
  if (y == 0.0) return y;
  double a = std::fabs(y);
  double w = -std::log((1.0 - a) * (1.0 + a));
  double p;
  if (w < 5.0) {
    w -= 2.5;
    p = 2.81022636e-08;
    p = 3.43273939e-07 + p * w;
    p = -3.5233877e-06 + p * w;
    p = -4.39150654e-06 + p * w;
    p = 0.00021858087 + p * w;
    p = -0.00125372503 + p * w;
    p = -0.00417768164 + p * w;
    p = 0.246640727 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = std::sqrt(w) - 3.0;
    p = -0.000200214257;
    p = 0.000100950558 + p * w;
    p = 0.00134934322 + p * w;
    p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w;
    p = -0.0076224613 + p * w;
    p = 0.00943887047 + p * w;
    p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  double x = p * a;
  const double two_over_sqrt_pi = 1.12837916709551257390;
  for (int i = 0; i < 8; ++i) {
    double step;
    if (a > 0.5) {
      // Newton on log(erfc(x)) - log(1 - a): nearly linear in the tail, where the float-tuned
      // initial guess is far off for 1 - a below ~1e-8.
      double c = std::erfc(x);
      step = (std::log(c) - std::log1p(-a)) / (-two_over_sqrt_pi * std::exp(-x * x) / c);
    } else {
      step = (std::erf(x) - a) / (two_over_sqrt_pi * std::exp(-x * x));
    }
    x -= step;
    if (std::fabs(step) <= 1e-16 * x) break;
  }
  return y < 0 ? -x : x;
}

// ---- integers (Python semantics, division by zero gives 0 as NumPy does, no UB) ----
template <class T>
inline T int_floor_divide(T a, T b) {
  if (b == 0) return 0;
  if constexpr (std::is_signed_v<T>) {
    if (b == T(-1)) return static_cast<T>(T(0) - static_cast<std::make_unsigned_t<T>>(a));
    T q = static_cast<T>(a / b);
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
  } else {
    return static_cast<T>(a / b);
  }
}

template <class T>
inline T int_mod(T a, T b) {  // sign of the divisor
  if (b == 0) return 0;
  if constexpr (std::is_signed_v<T>) {
    if (b == T(-1)) return 0;
    T r = static_cast<T>(a % b);
    if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
    return r;
  } else {
    return static_cast<T>(a % b);
  }
}

template <class T>
inline T int_fmod(T a, T b) {  // sign of the dividend (C's %)
  if (b == 0) return 0;
  if constexpr (std::is_signed_v<T>) {
    if (b == T(-1)) return 0;
  }
  return static_cast<T>(a % b);
}

template <class T>
inline T int_power(T base, T exp) {
  using U = std::conditional_t<(sizeof(T) < 4), uint32_t, std::make_unsigned_t<T>>;
  if constexpr (std::is_signed_v<T>) {
    if (exp < 0) {
      if (base == 1) return 1;
      if (base == -1) return (exp & 1) ? T(-1) : T(1);
      return 0;
    }
  }
  U result = 1, b = static_cast<U>(base);
  auto e = static_cast<std::make_unsigned_t<T>>(exp);
  while (e) {
    if (e & 1) result *= b;
    b *= b;
    e >>= 1;
  }
  return static_cast<T>(result);
}

template <class T>
inline T left_shift(T a, T b) {
  constexpr T bits = static_cast<T>(sizeof(T) * 8);
  if constexpr (std::is_signed_v<T>) {
    if (b < 0) return 0;
  }
  if (b >= bits) return 0;
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) << b));
}

template <class T>
inline T right_shift(T a, T b) {
  constexpr T bits = static_cast<T>(sizeof(T) * 8);
  if constexpr (std::is_signed_v<T>) {
    if (b < 0 || b >= bits) return a < 0 ? T(-1) : T(0);  // as NumPy: the sign fills everything
  } else {
    if (b >= bits) return 0;
  }
  return static_cast<T>(a >> b);
}

// ---- floats (NumPy's npy_divmod / npy_remainder) ----
template <class F>
inline F float_mod(F a, F b) {
  F mod = std::fmod(a, b);
  if (b == F(0)) return mod;
  if (mod != F(0)) {
    if ((b < F(0)) != (mod < F(0))) mod += b;
  } else {
    mod = std::copysign(F(0), b);
  }
  return mod;
}

template <class F>
inline F float_floor_divide(F a, F b) {
  if (b == F(0)) return a / b;
  F mod = std::fmod(a, b);
  F div = (a - mod) / b;
  if (mod != F(0)) {
    if ((b < F(0)) != (mod < F(0))) div -= F(1);
  }
  F floordiv;
  if (div != F(0)) {
    floordiv = std::floor(div);
    if (div - floordiv > F(0.5)) floordiv += F(1);
  } else {
    floordiv = std::copysign(F(0), a / b);
  }
  return floordiv;
}

}  // namespace keras::backend::cpu::math
