#pragma once
// Internals shared by the cpu backend's kernel files: storage access, the parallel loop helper,
// element-type traits and error messages. Nothing here is visible outside src/backends/cpu.
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "backends/cpu/cpu_backend.hpp"
#include "keras/core/errors.hpp"

namespace keras::backend::cpu {

// 64-byte aligned, uninitialized bytes (never null, even for zero bytes).
struct CpuStorage final : Storage {
  explicit CpuStorage(size_t bytes);
  ~CpuStorage() override;
  CpuStorage(const CpuStorage&) = delete;
  CpuStorage& operator=(const CpuStorage&) = delete;
  void* data = nullptr;
  size_t bytes = 0;
};

inline void* raw_data(const Tensor& t) {
  return static_cast<CpuStorage*>(t.impl()->storage.get())->data;
}
// Typed pointer to a tensor's elements. Kernels write only into tensors they just created.
template <class T>
inline T* data(const Tensor& t) {
  return static_cast<T*>(raw_data(t));
}

// ---- element-type traits ----
template <class T>
inline constexpr bool is_half_v = std::is_same_v<T, float16_t> || std::is_same_v<T, bfloat16_t>;
template <class T>
inline constexpr bool is_float_v = is_half_v<T> || std::is_floating_point_v<T>;
template <class T>
inline constexpr bool is_int_v = std::is_integral_v<T> && !std::is_same_v<T, bool>;
// The type arithmetic happens in: float for the 16-bit floats, the type itself otherwise.
template <class T>
using compute_t = std::conditional_t<is_half_v<T>, float, T>;
// Unsigned type for wrapping integer arithmetic without signed-overflow UB (at least 32 bits so
// that integer promotion does not bring back signed int).
template <class T>
using wrap_t = std::conditional_t<(sizeof(T) < 4), uint32_t, std::make_unsigned_t<T>>;

template <class T>
inline T wrap_add(T a, T b) {
  return static_cast<T>(static_cast<wrap_t<T>>(a) + static_cast<wrap_t<T>>(b));
}
template <class T>
inline T wrap_sub(T a, T b) {
  return static_cast<T>(static_cast<wrap_t<T>>(a) - static_cast<wrap_t<T>>(b));
}
template <class T>
inline T wrap_mul(T a, T b) {
  return static_cast<T>(static_cast<wrap_t<T>>(a) * static_cast<wrap_t<T>>(b));
}

// Storage type of the same size, for kernels that only move bytes.
template <size_t N>
struct bytes_type;
template <>
struct bytes_type<1> {
  using type = uint8_t;
};
template <>
struct bytes_type<2> {
  using type = uint16_t;
};
template <>
struct bytes_type<4> {
  using type = uint32_t;
};
template <>
struct bytes_type<8> {
  using type = uint64_t;
};

// Calls f.template operator()<U>() with an unsigned type of dtype's size.
template <class F>
decltype(auto) visit_size(DType dtype, F&& f) {
  switch (dtype_size(dtype)) {
    case 1:
      return f.template operator()<uint8_t>();
    case 2:
      return f.template operator()<uint16_t>();
    case 4:
      return f.template operator()<uint32_t>();
    default:
      return f.template operator()<uint64_t>();
  }
}

// ---- conversions that never hit UB ----
// double -> T, saturating for integers (NaN -> 0), != 0 for bool.
template <class T>
inline T saturate_cast(double v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v != 0.0;
  } else if constexpr (is_half_v<T>) {
    return T(static_cast<float>(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(v);
  } else {
    if (v != v) return T(0);
    if (v >= static_cast<double>(std::numeric_limits<T>::max()))
      return std::numeric_limits<T>::max();
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest()))
      return std::numeric_limits<T>::lowest();
    return static_cast<T>(v);
  }
}

// ---- threading ----
// Elementwise loops below this many elements run on the calling thread: waking the OpenMP team
// costs a few microseconds, more than the work itself.
inline constexpr int64_t kGrain = 32768;
// Runs f(begin, end) over [0, n) split into one contiguous chunk per thread, in parallel when
// n * cost_per_element > kGrain (cost 1 = a cheap elementwise op).
template <class F>
inline void parallel_for(int64_t n, int64_t cost, F&& f) {
  if (n <= 0) return;
  if (n * cost <= kGrain || omp_in_parallel()) {
    f(int64_t{0}, n);
    return;
  }
  int max_threads = omp_get_max_threads();
  int64_t want = std::max<int64_t>(1, std::min<int64_t>(max_threads, n * cost / kGrain));
  if (want <= 1) {
    f(int64_t{0}, n);
    return;
  }
#pragma omp parallel num_threads(static_cast <int>(want))
  {
    int64_t nt = omp_get_num_threads();
    int64_t t = omp_get_thread_num();
    int64_t chunk = (n + nt - 1) / nt;
    int64_t b = t * chunk;
    int64_t e = std::min(n, b + chunk);
    if (b < e) f(b, e);
  }
}

// ---- shapes ----
inline std::vector<int64_t> row_major_strides(const Shape& s) {
  std::vector<int64_t> st(s.size());
  int64_t acc = 1;
  for (int i = s.rank() - 1; i >= 0; --i) {
    st[i] = acc;
    acc *= s[i];
  }
  return st;
}
inline int64_t prod(const Shape& s, int begin, int end) {
  int64_t p = 1;
  for (int i = begin; i < end; ++i) p *= s[i];
  return p;
}
// x viewed as (outer, shape[axis], inner).
struct AxisView {
  int64_t outer, n, inner;
};
inline AxisView axis_view(const Shape& s, int axis) {
  return {prod(s, 0, axis), s[axis], prod(s, axis + 1, s.rank())};
}

// ---- errors ----
[[noreturn]] inline void throw_dtype(std::string_view op, DType dtype) {
  throw TypeError("cpu backend: ops::" + std::string(op) + " does not support dtype " +
                  std::string(dtype_name(dtype)));
}

}  // namespace keras::backend::cpu
