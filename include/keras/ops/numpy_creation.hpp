#pragma once
// Creation ops (keras.ops.zeros, ones, full, arange, linspace, eye, ...). A dtype left empty means
// Keras's default: floatx for zeros/ones/empty/full/eye/tri/linspace (full ignores the fill value's
// type, as Keras does), the input's dtype for full_like/*_like, int32 or floatx (from the
// arguments) for arange.
#include <optional>

#include "keras/ops/core.hpp"

namespace keras::ops {

Tensor zeros(const Shape& shape, std::optional<DType> dtype = std::nullopt);
Tensor ones(const Shape& shape, std::optional<DType> dtype = std::nullopt);
Tensor empty(const Shape& shape, std::optional<DType> dtype = std::nullopt);
// fill_value is a scalar or a tensor broadcastable to shape.
Tensor full(const Shape& shape, const Tensor& fill_value,
            std::optional<DType> dtype = std::nullopt);
Tensor zeros_like(const Tensor& x, std::optional<DType> dtype = std::nullopt);
Tensor ones_like(const Tensor& x, std::optional<DType> dtype = std::nullopt);
Tensor empty_like(const Tensor& x, std::optional<DType> dtype = std::nullopt);
Tensor full_like(const Tensor& x, const Tensor& fill_value,
                 std::optional<DType> dtype = std::nullopt);

// arange(stop), arange(start, stop), arange(start, stop, step): int arguments give int32, float
// arguments give floatx, as in Keras.
Tensor arange(const Tensor& start, const Tensor& stop = Tensor(), const Tensor& step = Tensor(),
              std::optional<DType> dtype = std::nullopt);
struct LinspaceOptions {
  int64_t num = 50;
  bool endpoint = true;
  std::optional<DType> dtype;
  int64_t axis = 0;
};
Tensor linspace(double start, double stop, LinspaceOptions options = {});
Tensor eye(int64_t N, std::optional<int64_t> M = std::nullopt, int64_t k = 0,
           std::optional<DType> dtype = std::nullopt);
Tensor identity(int64_t n, std::optional<DType> dtype = std::nullopt);
Tensor tri(int64_t N, std::optional<int64_t> M = std::nullopt, int64_t k = 0,
           std::optional<DType> dtype = std::nullopt);
Tensor tril(const Tensor& x, int64_t k = 0);
Tensor triu(const Tensor& x, int64_t k = 0);

}  // namespace keras::ops
