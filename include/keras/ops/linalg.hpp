#pragma once
// Linear-algebra ops (keras/src/ops/linalg.py).
#include <string>
#include <variant>

#include "keras/ops/numpy_reduction.hpp"

namespace keras::ops {

// `ord` of norm: unset (2-norm / Frobenius), a number (p, or ±infinity), or "fro" / "nuc".
using NormOrd = std::variant<std::monostate, double, std::string>;
struct NormOptions {
  NormOrd ord;
  Axis axis;
  bool keepdims = false;
};
// Vector norms over one axis, matrix norms over two (NumPy's linalg.norm). Ints compute in
// floatx. Matrix norms that need singular values (ord 2, -2, "nuc") are not implemented yet.
Tensor norm(const Tensor& x, NormOptions options = {});

}  // namespace keras::ops
