#pragma once
// keras.ops math ops (keras/src/ops/math.py).
#include <utility>

#include "keras/ops/numpy_reduction.hpp"

namespace keras::ops {

Tensor rsqrt(const Tensor& x);
Tensor erf(const Tensor& x);
Tensor erfinv(const Tensor& x);
Tensor logsumexp(const Tensor& x, ReduceOptions options = {});
// (values, int32 indices) of the k largest along the last axis, largest first.
std::pair<Tensor, Tensor> top_k(const Tensor& x, int64_t k, bool sorted = true);
// Whether targets (batch,) are among the top k of predictions (batch, classes).
Tensor in_top_k(const Tensor& targets, const Tensor& predictions, int64_t k);
// Sums/maxes data rows with equal segment_ids; num_segments default: max id + 1.
Tensor segment_sum(const Tensor& data, const Tensor& segment_ids,
                   std::optional<int64_t> num_segments = std::nullopt);
Tensor segment_max(const Tensor& data, const Tensor& segment_ids,
                   std::optional<int64_t> num_segments = std::nullopt);

}  // namespace keras::ops
