#pragma once
// Reductions and scans: `ops::sum(x, {.axis = {0, 1}, .keepdims = true})`. An empty Axis means all
// axes; an empty list of axes reduces nothing.
#include "keras/ops/core.hpp"

namespace keras::ops {

struct ReduceOptions {
  Axis axis;
  bool keepdims = false;
};

Tensor sum(const Tensor& x, ReduceOptions options = {});
Tensor prod(const Tensor& x, ReduceOptions options = {});
Tensor mean(const Tensor& x, ReduceOptions options = {});
Tensor max(const Tensor& x, ReduceOptions options = {});
Tensor min(const Tensor& x, ReduceOptions options = {});
Tensor amax(const Tensor& x, ReduceOptions options = {});
Tensor amin(const Tensor& x, ReduceOptions options = {});
Tensor any(const Tensor& x, ReduceOptions options = {});
Tensor all(const Tensor& x, ReduceOptions options = {});
Tensor var(const Tensor& x, ReduceOptions options = {});
Tensor std(const Tensor& x, ReduceOptions options = {});
Tensor ptp(const Tensor& x, ReduceOptions options = {});
Tensor count_nonzero(const Tensor& x, Axis axis = {});
Tensor median(const Tensor& x, ReduceOptions options = {});
// average(x, axis, weights): weights broadcast along axis as in NumPy.
Tensor average(const Tensor& x, Axis axis = {}, const Tensor& weights = Tensor());
// int32 indices; with no axis the index into the flattened tensor.
Tensor argmax(const Tensor& x, std::optional<int64_t> axis = std::nullopt, bool keepdims = false);
Tensor argmin(const Tensor& x, std::optional<int64_t> axis = std::nullopt, bool keepdims = false);
// With no axis, over the flattened tensor.
Tensor cumsum(const Tensor& x, std::optional<int64_t> axis = std::nullopt,
              std::optional<DType> dtype = std::nullopt);
Tensor cumprod(const Tensor& x, std::optional<int64_t> axis = std::nullopt,
               std::optional<DType> dtype = std::nullopt);

}  // namespace keras::ops
