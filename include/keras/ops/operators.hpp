#pragma once
// C++ operators on tensors, as Python's: elementwise with broadcasting and Keras promotion.
// == and != are not overloaded (a Tensor is a value handle; use ops::equal / ops::not_equal).
#include "keras/ops/numpy_elementwise.hpp"

namespace keras {

inline Tensor operator+(const Tensor& a, const Tensor& b) { return ops::add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return ops::subtract(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return ops::multiply(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return ops::divide(a, b); }
inline Tensor operator%(const Tensor& a, const Tensor& b) { return ops::mod(a, b); }
inline Tensor operator-(const Tensor& a) { return ops::negative(a); }
inline Tensor operator<(const Tensor& a, const Tensor& b) { return ops::less(a, b); }
inline Tensor operator<=(const Tensor& a, const Tensor& b) { return ops::less_equal(a, b); }
inline Tensor operator>(const Tensor& a, const Tensor& b) { return ops::greater(a, b); }
inline Tensor operator>=(const Tensor& a, const Tensor& b) { return ops::greater_equal(a, b); }
inline Tensor operator&(const Tensor& a, const Tensor& b) { return ops::logical_and(a, b); }
inline Tensor operator|(const Tensor& a, const Tensor& b) { return ops::logical_or(a, b); }
inline Tensor operator!(const Tensor& a) { return ops::logical_not(a); }
inline Tensor& operator+=(Tensor& a, const Tensor& b) { return a = ops::add(a, b); }
inline Tensor& operator-=(Tensor& a, const Tensor& b) { return a = ops::subtract(a, b); }
inline Tensor& operator*=(Tensor& a, const Tensor& b) { return a = ops::multiply(a, b); }
inline Tensor& operator/=(Tensor& a, const Tensor& b) { return a = ops::divide(a, b); }

}  // namespace keras
