// Bitwise ops on integer and bool tensors (keras/src/ops/numpy.py). No gradients.
#include "ops/elementwise_util.hpp"

namespace keras::ops {

using namespace detail;
using backend::BinaryOp;
using backend::UnaryOp;

namespace {

// The promoted dtype of a bitwise op's operands; floats are a TypeError naming both dtypes.
DType bitwise_dtype(const char* op, const Tensor& x, const Tensor& y, bool allow_bool) {
  require_defined(op, x, "x");
  require_defined(op, y, "y");
  DType dtype = promote(x, y);
  bool ok = is_integer(dtype) || (allow_bool && is_bool(dtype));
  if (!ok)
    throw TypeError(op_name(op) + ": arguments must be " +
                    (allow_bool ? "integer or bool" : "integer") + " tensors, got x " +
                    dtype_str(x) + " and y " + dtype_str(y) + " (promoted to " +
                    std::string(dtype_name(dtype)) + ")");
  return dtype;
}

Tensor bitwise(const char* op, BinaryOp kind, const Tensor& x, const Tensor& y, bool allow_bool) {
  return binary(op, kind, x, y, bitwise_dtype(op, x, y, allow_bool), nullptr);
}

}  // namespace

Tensor bitwise_and(const Tensor& x, const Tensor& y) {
  return bitwise("bitwise_and", BinaryOp::BitwiseAnd, x, y, true);
}
Tensor bitwise_or(const Tensor& x, const Tensor& y) {
  return bitwise("bitwise_or", BinaryOp::BitwiseOr, x, y, true);
}
Tensor bitwise_xor(const Tensor& x, const Tensor& y) {
  return bitwise("bitwise_xor", BinaryOp::BitwiseXor, x, y, true);
}
// Shifting by the bit width or more gives 0 (or -1 for a negative x shifted right), as NumPy.
Tensor bitwise_left_shift(const Tensor& x, const Tensor& y) {
  return bitwise("bitwise_left_shift", BinaryOp::LeftShift, x, y, false);
}
Tensor bitwise_right_shift(const Tensor& x, const Tensor& y) {
  return bitwise("bitwise_right_shift", BinaryOp::RightShift, x, y, false);
}
Tensor left_shift(const Tensor& x, const Tensor& y) {
  return bitwise("left_shift", BinaryOp::LeftShift, x, y, false);
}
Tensor right_shift(const Tensor& x, const Tensor& y) {
  return bitwise("right_shift", BinaryOp::RightShift, x, y, false);
}

Tensor bitwise_invert(const Tensor& x) {
  require_defined("bitwise_invert", x, "x");
  if (is_floating(x.dtype()))
    throw TypeError("ops::bitwise_invert: x must be an integer or bool tensor, got " +
                    dtype_str(x));
  return unary("bitwise_invert", UnaryOp::BitwiseNot, x, x.dtype(), nullptr);
}

Tensor bitwise_not(const Tensor& x) {
  require_defined("bitwise_not", x, "x");
  if (is_floating(x.dtype()))
    throw TypeError("ops::bitwise_not: x must be an integer or bool tensor, got " + dtype_str(x));
  return unary("bitwise_not", UnaryOp::BitwiseNot, x, x.dtype(), nullptr);
}

}  // namespace keras::ops
