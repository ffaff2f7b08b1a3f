// Unary math ops: exp, log, sqrt, trigonometry, ... (keras/src/ops/numpy.py).
#include "ops/internal.hpp"

namespace keras::ops {

using namespace detail;
using backend::UnaryOp;

Tensor exp(const Tensor& x) {
  return unary_float("exp", UnaryOp::Exp, x,
                     [](const Tensor&, const Tensor& y, const Tensor& g) { return g * y; });
}

}  // namespace keras::ops
