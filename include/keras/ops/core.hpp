#pragma once
// keras::ops core: conversion, casting, shape queries and functional updates
// (keras/src/ops/core.py). Every op validates its arguments, promotes dtypes as Keras does, works
// on symbolic tensors (shape inference only) and records its gradient on active GradientTapes.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/core/config.hpp"
#include "keras/core/ints.hpp"
#include "keras/core/tensor.hpp"

namespace keras::ops {

// An `axis` argument: none (all axes), one axis or several: `{.axis = -1}`, `{.axis = {0, 1}}`.
struct Axis {
  std::optional<std::vector<int64_t>> axes;
  Axis() = default;
  Axis(int64_t axis) : axes(std::vector<int64_t>{axis}) {}  // NOLINT: implicit like Python
  Axis(int axis) : axes(std::vector<int64_t>{axis}) {}      // NOLINT
  Axis(std::initializer_list<int64_t> list) : axes(std::vector<int64_t>(list)) {}
  Axis(std::vector<int64_t> list) : axes(std::move(list)) {}  // NOLINT
  bool is_none() const { return !axes.has_value(); }
};

struct ConvertOptions {
  std::optional<DType> dtype;  // default: the data's own dtype
  std::string backend;         // default: keras::config::backend()
};

// Copies host data (row-major) into a tensor. T is any arithmetic type; bool gives bool tensors.
Tensor from_buffer(const void* data, const Shape& shape, DType dtype,
                   const std::string& backend = "");
template <class T>
Tensor convert_to_tensor(const std::vector<T>& data, const Shape& shape,
                         ConvertOptions options = {});
template <class T>
Tensor convert_to_tensor(const std::vector<T>& data, ConvertOptions options = {}) {
  return convert_to_tensor(data, Shape{static_cast<int64_t>(data.size())}, options);
}
template <class T>
Tensor convert_to_tensor(std::initializer_list<T> data, ConvertOptions options = {}) {
  return convert_to_tensor(std::vector<T>(data), options);
}
// Casts and/or moves a tensor to another backend: convert_to_tensor(x, {.backend = "torch"}).
Tensor convert_to_tensor(const Tensor& x, ConvertOptions options = {});
Tensor convert_to_tensor(const Tensor& x, const std::string& backend);
// Host copy of the data, converted to T (ops.convert_to_numpy).
template <class T>
std::vector<T> convert_to_vector(const Tensor& x) {
  return x.to_vector<T>();
}

Tensor cast(const Tensor& x, DType dtype);
inline const Shape& shape(const Tensor& x) { return x.shape(); }
inline int ndim(const Tensor& x) { return x.ndim(); }
inline int64_t size(const Tensor& x) { return x.size(); }
inline DType dtype(const Tensor& x) { return x.dtype(); }
using keras::stop_gradient;
Tensor copy(const Tensor& x);

// `shape` elements starting at start_indices.
Tensor slice(const Tensor& inputs, const std::vector<int64_t>& start_indices, const Shape& shape);
Tensor slice_update(const Tensor& inputs, const std::vector<int64_t>& start_indices,
                    const Tensor& updates);
// A zero tensor of `shape` with `values` added at `indices` (N, k).
Tensor scatter(const Tensor& indices, const Tensor& values, const Shape& shape);
// inputs with `updates` written at `indices` (N, k); reduction "" (replace), "add", "max", "min",
// "mul".
Tensor scatter_update(const Tensor& inputs, const Tensor& indices, const Tensor& updates,
                      const std::string& reduction = "");
std::vector<Tensor> unstack(const Tensor& x, int64_t axis = 0);

// Runs `fn` (any callable taking and returning tensors) with custom gradients is tier 2: later.

}  // namespace keras::ops

#include "keras/ops/detail/convert_impl.hpp"
