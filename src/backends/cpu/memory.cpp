// Memory kernels: host copies, full, arange and cast.
#include <cmath>

#include "backends/cpu/cpu_common.hpp"
#include "backends/cpu/elementwise_ops.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

Tensor CpuBackend::from_host_impl(const void* src, const Shape& shape, DType dtype) {
  ProfileScope prof("from_host");
  for (int64_t d : shape)
    if (d < 0)
      throw ValueError("cpu backend: from_host: invalid shape " + shape.to_string() +
                       " (dimensions must be known and non-negative)");
  Tensor out = empty(shape, dtype);
  size_t bytes = static_cast<size_t>(out.size()) * dtype_size(dtype);
  if (bytes == 0) return out;
  if (dtype == DType::Bool) {
    // Normalize to 0/1: kernels read bool storage as C++ bool.
    const uint8_t* s = static_cast<const uint8_t*>(src);
    uint8_t* d = data<uint8_t>(out);
    parallel_for(out.size(), 1, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) d[i] = s[i] != 0;
    });
  } else {
    std::memcpy(raw_data(out), src, bytes);
  }
  return out;
}

void CpuBackend::to_host_impl(const Tensor& x, void* dst) {
  ProfileScope prof("to_host");
  size_t bytes = static_cast<size_t>(x.size()) * dtype_size(x.dtype());
  if (bytes) std::memcpy(dst, raw_data(x), bytes);
}

Tensor CpuBackend::full_impl(const Shape& shape, DType dtype, double value) {
  ProfileScope prof("full");
  Tensor out = empty(shape, dtype);
  visit_dtype(dtype, [&]<class T>() {
    T v = saturate_cast<T>(value);
    T* d = data<T>(out);
    parallel_for(out.size(), 1, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) d[i] = v;
    });
  });
  return out;
}

Tensor CpuBackend::arange_impl(double start, double step, int64_t n, DType dtype) {
  ProfileScope prof("arange");
  if (n < 0) throw ValueError("cpu backend: arange: negative length " + std::to_string(n));
  Tensor out = empty(Shape{n}, dtype);
  visit_dtype(dtype, [&]<class T>() {
    T* d = data<T>(out);
    parallel_for(n, 2, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i)
        d[i] = saturate_cast<T>(start + static_cast<double>(i) * step);
    });
  });
  return out;
}

Tensor CpuBackend::cast_impl(const Tensor& x, DType dtype) {
  ProfileScope prof("cast", dtype_name(x.dtype()), dtype_name(dtype));
  // Tensors are immutable, so a cast to the same dtype shares the buffer (new handle, new id).
  if (x.dtype() == dtype) return alias(x, x.shape());
  Tensor out = empty(x.shape(), dtype);
  visit_dtype(x.dtype(), [&]<class S>() {
    visit_dtype(dtype, [&]<class D>() {
      const S* s = data<S>(x);
      D* d = data<D>(out);
      parallel_for(x.size(), 1, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) d[i] = convert<D>(s[i]);
      });
    });
  });
  return out;
}

}  // namespace keras::backend::cpu
