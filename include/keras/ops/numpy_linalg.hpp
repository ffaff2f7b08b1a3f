#pragma once
// Products: matmul with batching and broadcasting, dot, tensordot, einsum, outer, inner, vdot.
#include <variant>

#include "keras/ops/core.hpp"

namespace keras::ops {

Tensor matmul(const Tensor& x1, const Tensor& x2);
Tensor dot(const Tensor& x1, const Tensor& x2);
Tensor outer(const Tensor& x1, const Tensor& x2);
Tensor inner(const Tensor& x1, const Tensor& x2);
Tensor vdot(const Tensor& x1, const Tensor& x2);
// axes: N (the last N of x1 with the first N of x2), or explicit lists for each operand.
using TensordotAxes = std::variant<int64_t, std::pair<std::vector<int64_t>, std::vector<int64_t>>>;
Tensor tensordot(const Tensor& x1, const Tensor& x2, TensordotAxes axes = int64_t{2});
// NumPy einsum notation, with "..." and implicit output: einsum("bij,bjk->bik", {a, b}).
Tensor einsum(const std::string& subscripts, const std::vector<Tensor>& operands);

}  // namespace keras::ops
