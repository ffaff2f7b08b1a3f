// Arithmetic binary ops: add, subtract, multiply, divide, ... (keras/src/ops/numpy.py).
#include "ops/internal.hpp"

namespace keras::ops {

using namespace detail;
using backend::BinaryOp;

Tensor add(const Tensor& x1, const Tensor& x2) {
  return binary("add", BinaryOp::Add, x1, x2, promote(x1, x2),
                [](const Tensor&, const Tensor&, const Tensor&, const Tensor& g) {
                  return std::pair{g, g};
                });
}

Tensor multiply(const Tensor& x1, const Tensor& x2) {
  return binary("multiply", BinaryOp::Multiply, x1, x2, promote(x1, x2),
                [](const Tensor& a, const Tensor& b, const Tensor&, const Tensor& g) {
                  return std::pair{g * b, g * a};
                });
}

}  // namespace keras::ops
