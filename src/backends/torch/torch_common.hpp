#pragma once
// Private to the torch backend's translation units: the storage type and the helpers every kernel
// file needs. Includes ATen (expensive), so nothing outside src/backends/torch may include it.
//
// dtype mapping. ATen 1.13 has no uint16/uint32/uint64, so those live in a wider or same-width
// signed type:
//   uint16 -> int32 (the value, 0..65535)
//   uint32 -> int64 (the value, 0..2^32-1)
//   uint64 -> int64 (the same bits; values >= 2^63 read as negative)
// Kernels that can leave the range (arithmetic, casts) re-wrap uint16/uint32 results with
// wrap_unsigned(); sign-sensitive kernels on uint64 (ordering, division) flip the sign bit or run a
// host loop. Everything else is ATen's own dtype.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "backends/torch/torch_backend.hpp"

namespace keras::backend::torch_backend {

struct TorchStorage final : Storage {
  explicit TorchStorage(at::Tensor t) : tensor(std::move(t)) {}
  at::Tensor tensor;  // contiguous, in storage_type(dtype), never modified after creation
};

// The ATen dtype holding each keras dtype (see the table above).
at::ScalarType storage_type(DType dtype);
// The ATen tensor behind x; throws ValueError if x is symbolic or lives on another backend.
const at::Tensor& aten(const Tensor& x, std::string_view op);
// uint16/uint32 results reduced modulo 2^16 / 2^32 after arithmetic; t unchanged for other dtypes.
at::Tensor wrap_unsigned(const at::Tensor& t, DType dtype);
// float16/bfloat16 widened to float32 (the cpu backend computes them in float too); t unchanged
// otherwise.
at::Tensor widen_half(const at::Tensor& t, DType dtype);
// Maps uint64's bit patterns to int64 so that signed order equals unsigned order (x ^ 2^63), and
// back (the map is its own inverse); t unchanged for other dtypes.
at::Tensor order_key(const at::Tensor& t, DType dtype);
// value converted to dtype as cast() converts (trunc toward zero, saturating, NaN -> 0 for ints),
// as an ATen scalar for t's storage type.
at::Scalar scalar_for(double value, DType dtype);
// x (holding `from`) converted to `to` with the semantics of Backend::cast.
at::Tensor cast_aten(const at::Tensor& x, DType from, DType to);
// Shapes between keras and ATen.
inline Shape shape_of(const at::Tensor& t) { return Shape(t.sizes().begin(), t.sizes().end()); }
inline at::IntArrayRef dims_of(const Shape& s) { return at::IntArrayRef(s.data(), s.size()); }
std::string describe(const Tensor& x);  // "float32 (2, 3)" for messages

// Rethrows an exception escaping ATen as the keras error type that matches it, naming the kernel.
[[noreturn]] void rethrow_as_keras(std::string_view op);

// Runs a kernel body with autograd's dispatch keys off (no version counters, no grad bookkeeping)
// and with ATen's exceptions translated.
template <class F>
decltype(auto) guarded(std::string_view op, F&& body) {
  try {
    c10::InferenceMode no_autograd;
    return body();
  } catch (...) {
    rethrow_as_keras(op);
  }
}

}  // namespace keras::backend::torch_backend
