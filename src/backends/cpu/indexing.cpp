// Gather/scatter kernels (take, take_along_axis, index_add, scatter_add_along_axis, scatter_nd)
// and the stable sort. Indices are int32 or int64; negative ones count from the end.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "backends/cpu/cpu_common.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

// The indices as int64; throws TypeError naming op for a non-integer dtype.
std::vector<int64_t> read_indices(const Tensor& indices, const char* op) {
  std::vector<int64_t> out(static_cast<size_t>(indices.size()));
  visit_dtype(indices.dtype(), [&]<class I>() {
    if constexpr (is_int_v<I>) {
      const I* p = data<I>(indices);
      for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int64_t>(p[i]);
    } else {
      throw TypeError(std::string("cpu backend: ops::") + op +
                      ": indices must be integers (int32 or int64), got " +
                      std::string(dtype_name(indices.dtype())));
    }
  });
  return out;
}

int64_t wrap_index(int64_t v, int64_t size, const char* op, int axis) {
  int64_t w = v < 0 ? v + size : v;
  if (w < 0 || w >= size)
    throw IndexError(std::string("cpu backend: ops::") + op + ": index " + std::to_string(v) +
                     " is out of bounds for axis " + std::to_string(axis) + " with size " +
                     std::to_string(size));
  return w;
}

// The indices as int64, wrapped into [0, size); throws IndexError naming op on the first bad one.
std::vector<int64_t> normalized_indices(const Tensor& indices, int64_t size, const char* op,
                                        int axis) {
  std::vector<int64_t> out = read_indices(indices, op);
  for (int64_t& v : out) v = wrap_index(v, size, op, axis);
  return out;
}

template <class T>
inline T add_elem(T a, T b) {
  if constexpr (std::is_same_v<T, bool>)
    return a || b;
  else if constexpr (is_int_v<T>)
    return wrap_add(a, b);
  else if constexpr (is_half_v<T>)
    return T(static_cast<float>(a) + static_cast<float>(b));
  else
    return a + b;
}

void copy_bytes(Tensor& out, const Tensor& base) {
  size_t bytes = static_cast<size_t>(base.size()) * dtype_size(base.dtype());
  if (bytes) std::memcpy(raw_data(out), raw_data(base), bytes);
}

}  // namespace

Tensor CpuBackend::take_impl(const Tensor& x, const Tensor& indices, int axis) {
  ProfileScope prof("take");
  const Shape& s = x.shape();
  if (axis < 0 || axis >= s.rank())
    throw ValueError("cpu backend: ops::take: axis " + std::to_string(axis) +
                     " is out of bounds for a tensor of shape " + s.to_string());
  AxisView v = axis_view(s, axis);
  std::vector<int64_t> idx = normalized_indices(indices, v.n, "take", axis);
  Shape out_shape(s.begin(), s.begin() + axis);
  out_shape.insert(out_shape.end(), indices.shape().begin(), indices.shape().end());
  out_shape.insert(out_shape.end(), s.begin() + axis + 1, s.end());
  Tensor out = empty(out_shape, x.dtype());
  if (out.size() == 0) return out;
  int64_t m = static_cast<int64_t>(idx.size());
  visit_size(x.dtype(), [&]<class U>() {
    const U* src = data<U>(x);
    U* dst = data<U>(out);
    parallel_for(v.outer * m, v.inner, [&](int64_t b, int64_t e) {
      for (int64_t t = b; t < e; ++t) {
        int64_t o = t / m, k = t % m;
        const U* from = src + (o * v.n + idx[k]) * v.inner;
        U* to = dst + t * v.inner;
        if (v.inner == 1)
          *to = *from;
        else
          std::memcpy(to, from, static_cast<size_t>(v.inner) * sizeof(U));
      }
    });
  });
  return out;
}

Tensor CpuBackend::take_along_axis_impl(const Tensor& x, const Tensor& indices, int axis) {
  ProfileScope prof("take_along_axis");
  const Shape& s = x.shape();
  const Shape& is = indices.shape();
  bool ok = axis >= 0 && axis < s.rank() && is.rank() == s.rank();
  for (int d = 0; ok && d < s.rank(); ++d)
    if (d != axis && is[d] != s[d]) ok = false;
  if (!ok)
    throw ValueError("cpu backend: ops::take_along_axis: indices of shape " + is.to_string() +
                     " do not match x of shape " + s.to_string() + " except along axis " +
                     std::to_string(axis));
  AxisView v = axis_view(s, axis);
  std::vector<int64_t> idx = normalized_indices(indices, v.n, "take_along_axis", axis);
  Tensor out = empty(is, x.dtype());
  if (out.size() == 0) return out;
  int64_t m = is[axis];
  visit_size(x.dtype(), [&]<class U>() {
    const U* src = data<U>(x);
    U* dst = data<U>(out);
    parallel_for(v.outer, m * v.inner, [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o)
        for (int64_t k = 0; k < m; ++k) {
          int64_t row = (o * m + k) * v.inner;
          for (int64_t j = 0; j < v.inner; ++j)
            dst[row + j] = src[(o * v.n + idx[row + j]) * v.inner + j];
        }
    });
  });
  return out;
}

Tensor CpuBackend::index_add_impl(const Tensor& base, int axis, const Tensor& indices,
                                  const Tensor& src) {
  ProfileScope prof("index_add");
  const Shape& s = base.shape();
  if (axis < 0 || axis >= s.rank() || indices.ndim() != 1 || src.ndim() != s.rank() ||
      src.dtype() != base.dtype())
    throw ValueError("cpu backend: ops::index_add: bad arguments: base " + s.to_string() +
                     ", indices " + indices.shape().to_string() + ", src " +
                     src.shape().to_string() + ", axis " + std::to_string(axis));
  AxisView v = axis_view(s, axis);
  std::vector<int64_t> idx = normalized_indices(indices, v.n, "index_add", axis);
  int64_t m = static_cast<int64_t>(idx.size());
  Shape want = s;
  want[axis] = m;
  if (src.shape() != want)
    throw ValueError("cpu backend: ops::index_add: src of shape " + src.shape().to_string() +
                     " should have shape " + want.to_string());
  Tensor out = empty(s, base.dtype());
  copy_bytes(out, base);
  if (src.size() == 0) return out;
  visit_dtype(base.dtype(), [&]<class T>() {
    const T* ps = data<T>(src);
    T* po = data<T>(out);
    // Each outer slice is independent; within it, duplicates accumulate in order.
    parallel_for(v.outer, m * v.inner, [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o)
        for (int64_t k = 0; k < m; ++k) {
          T* to = po + (o * v.n + idx[k]) * v.inner;
          const T* from = ps + (o * m + k) * v.inner;
          for (int64_t j = 0; j < v.inner; ++j) to[j] = add_elem(to[j], from[j]);
        }
    });
  });
  return out;
}

Tensor CpuBackend::scatter_add_along_axis_impl(const Tensor& base, int axis, const Tensor& indices,
                                               const Tensor& src) {
  ProfileScope prof("scatter_add_along_axis");
  const Shape& s = base.shape();
  const Shape& is = indices.shape();
  bool ok = axis >= 0 && axis < s.rank() && is.rank() == s.rank() && src.shape() == is &&
            src.dtype() == base.dtype();
  for (int d = 0; ok && d < s.rank(); ++d)
    if (d != axis && is[d] != s[d]) ok = false;
  if (!ok)
    throw ValueError("cpu backend: ops::scatter_add_along_axis: bad arguments: base " +
                     s.to_string() + ", indices " + is.to_string() + ", src " +
                     src.shape().to_string() + ", axis " + std::to_string(axis));
  AxisView v = axis_view(s, axis);
  std::vector<int64_t> idx = normalized_indices(indices, v.n, "scatter_add_along_axis", axis);
  Tensor out = empty(s, base.dtype());
  copy_bytes(out, base);
  if (src.size() == 0) return out;
  int64_t m = is[axis];
  visit_dtype(base.dtype(), [&]<class T>() {
    const T* ps = data<T>(src);
    T* po = data<T>(out);
    parallel_for(v.outer, m * v.inner, [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o)
        for (int64_t k = 0; k < m; ++k) {
          int64_t row = (o * m + k) * v.inner;
          for (int64_t j = 0; j < v.inner; ++j) {
            T& to = po[(o * v.n + idx[row + j]) * v.inner + j];
            to = add_elem(to, ps[row + j]);
          }
        }
    });
  });
  return out;
}

Tensor CpuBackend::scatter_nd_impl(const Tensor& base, const Tensor& indices, const Tensor& updates,
                                   ScatterReduction reduction) {
  ProfileScope prof("scatter_nd");
  const Shape& s = base.shape();
  const Shape& is = indices.shape();
  if (is.rank() != 2 || is[1] > s.rank() || updates.dtype() != base.dtype())
    throw ValueError(
        "cpu backend: ops::scatter_nd: indices must be (N, k) with k <= rank of base " +
        s.to_string() + ", got " + is.to_string());
  int64_t n = is[0];
  int k = static_cast<int>(is[1]);
  Shape want{n};
  want.insert(want.end(), s.begin() + k, s.end());
  if (updates.shape() != want)
    throw ValueError("cpu backend: ops::scatter_nd: updates of shape " +
                     updates.shape().to_string() + " should have shape " + want.to_string());
  // Validate and flatten each index row into a slice offset.
  std::vector<int64_t> raw = read_indices(indices, "scatter_nd");
  std::vector<int64_t> st = row_major_strides(s);
  int64_t inner = prod(s, k, s.rank());
  std::vector<int64_t> offsets(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t off = 0;
    for (int d = 0; d < k; ++d) {
      off += wrap_index(raw[i * k + d], s[d], "scatter_nd", d) * st[d];
    }
    offsets[i] = off;
  }
  Tensor out = empty(s, base.dtype());
  copy_bytes(out, base);
  if (updates.size() == 0) return out;
  visit_dtype(base.dtype(), [&]<class T>() {
    using C = compute_t<T>;
    const T* pu = data<T>(updates);
    T* po = data<T>(out);
    auto apply = [&](auto f) {
      // Rows in order (duplicates: the last Set wins, reductions accumulate); the inner slice
      // is split across threads when it is large.
      parallel_for(inner, n, [&](int64_t jb, int64_t je) {
        for (int64_t i = 0; i < n; ++i) {
          T* to = po + offsets[i];
          const T* from = pu + i * inner;
          for (int64_t j = jb; j < je; ++j)
            to[j] = static_cast<T>(f(static_cast<C>(to[j]), static_cast<C>(from[j])));
        }
      });
    };
    constexpr bool kBool = std::is_same_v<T, bool>;
    switch (reduction) {
      case ScatterReduction::Set:
        apply([](C, C u) { return u; });
        break;
      case ScatterReduction::Add:
        if constexpr (kBool)
          apply([](C a, C u) { return a || u; });
        else if constexpr (is_int_v<T>)
          apply([](C a, C u) { return wrap_add(a, u); });
        else
          apply([](C a, C u) { return a + u; });
        break;
      case ScatterReduction::Multiply:
        if constexpr (kBool)
          apply([](C a, C u) { return a && u; });
        else if constexpr (is_int_v<T>)
          apply([](C a, C u) { return wrap_mul(a, u); });
        else
          apply([](C a, C u) { return a * u; });
        break;
      case ScatterReduction::Max:
        apply([](C a, C u) { return a != a ? a : (u != u ? u : (u > a ? u : a)); });
        break;
      case ScatterReduction::Min:
        apply([](C a, C u) { return a != a ? a : (u != u ? u : (u < a ? u : a)); });
        break;
    }
  });
  return out;
}

std::pair<Tensor, Tensor> CpuBackend::sort_impl(const Tensor& x, int axis, bool descending) {
  ProfileScope prof("sort");
  const Shape& s = x.shape();
  if (s.rank() == 0) {
    Tensor idx = full(s, DType::Int32, 0);
    return {alias(x, s), idx};
  }
  if (axis < 0 || axis >= s.rank())
    throw ValueError("cpu backend: ops::sort: axis " + std::to_string(axis) +
                     " is out of bounds for a tensor of shape " + s.to_string());
  AxisView v = axis_view(s, axis);
  Tensor values = empty(s, x.dtype());
  Tensor indices = empty(s, DType::Int32);
  if (x.size() == 0) return {values, indices};
  visit_dtype(x.dtype(), [&]<class T>() {
    using C = compute_t<T>;
    const T* px = data<T>(x);
    T* pv = data<T>(values);
    int32_t* pi = data<int32_t>(indices);
    // Ascending: NaN is the largest key (sorts last). Descending: a stable sort by descending
    // key, NaN first, equal keys in their original order.
    auto less = [](C a, C b) {
      if constexpr (is_float_v<T>) {
        if (a != a) return false;
        if (b != b) return true;
      }
      return a < b;
    };
    parallel_for(v.outer * v.inner, v.n * 8, [&](int64_t b, int64_t e) {
      std::vector<C> key(v.n);
      std::vector<int32_t> perm(v.n);
      for (int64_t line = b; line < e; ++line) {
        int64_t o = line / v.inner, j = line % v.inner;
        int64_t base = o * v.n * v.inner + j;
        for (int64_t r = 0; r < v.n; ++r) key[r] = static_cast<C>(px[base + r * v.inner]);
        std::iota(perm.begin(), perm.end(), 0);
        if (descending)
          std::stable_sort(perm.begin(), perm.end(),
                           [&](int32_t p, int32_t q) { return less(key[q], key[p]); });
        else
          std::stable_sort(perm.begin(), perm.end(),
                           [&](int32_t p, int32_t q) { return less(key[p], key[q]); });
        for (int64_t r = 0; r < v.n; ++r) {
          pv[base + r * v.inner] = px[base + perm[r] * v.inner];
          pi[base + r * v.inner] = perm[r];
        }
      }
    });
  });
  return {values, indices};
}

}  // namespace keras::backend::cpu
