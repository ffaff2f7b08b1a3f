// The torch backend: data movement, indexing, scatter, sort and matmul on ATen.
#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "backends/torch/torch_common.hpp"

namespace keras::backend::torch_backend {

namespace {

// Indices as int64 with negative ones wrapped; throws IndexError naming op, the first bad index
// (in row-major order) and the axis size, before ATen sees them.
at::Tensor checked_indices(const at::Tensor& indices, int64_t dim_size, std::string_view op,
                           int axis) {
  at::Tensor idx = indices.to(at::kLong);
  if (idx.numel() == 0) return idx;
  const int64_t lo = idx.min().item<int64_t>();
  const int64_t hi = idx.max().item<int64_t>();
  if (lo < -dim_size || hi >= dim_size) {
    at::Tensor c = idx.contiguous();
    const int64_t* p = c.data_ptr<int64_t>();
    int64_t bad = lo < -dim_size ? lo : hi;
    for (int64_t i = 0; i < c.numel(); ++i)
      if (p[i] < -dim_size || p[i] >= dim_size) {
        bad = p[i];
        break;
      }
    throw IndexError("torch backend: ops::" + std::string(op) + ": index " + std::to_string(bad) +
                     " is out of bounds for axis " + std::to_string(axis) + " with size " +
                     std::to_string(dim_size));
  }
  if (lo < 0) idx = at::where(idx.lt(0), idx + dim_size, idx);
  return idx;
}

// Bool data is scattered/added as uint8 then compared with 0 (C++'s bool arithmetic); float16 and
// bfloat16 accumulate in float32.
at::Tensor accumulate_type(const at::Tensor& t, DType dtype) {
  if (dtype == DType::Bool) return t.to(at::kByte);
  return widen_half(t, dtype);
}
at::Tensor from_accumulate_type(const at::Tensor& t, DType dtype) {
  if (dtype == DType::Bool) return t.ne(0);
  return wrap_unsigned(t, dtype).to(storage_type(dtype));
}

// Reflect/symmetric padding of one axis as a gather of source positions, which works for any rank
// and any pad width (NumPy's repeated reflection is the periodic extension computed here).
at::Tensor pad_indices(int64_t size, int64_t before, int64_t after, PadMode mode) {
  std::vector<int64_t> idx;
  idx.reserve(static_cast<size_t>(size + before + after));
  for (int64_t i = -before; i < size + after; ++i) {
    int64_t j = 0;
    if (mode == PadMode::Reflect) {
      if (size > 1) {
        const int64_t period = 2 * (size - 1);
        j = ((i % period) + period) % period;
        if (j >= size) j = period - j;
      }
    } else {
      const int64_t period = 2 * size;
      j = ((i % period) + period) % period;
      if (j >= size) j = period - 1 - j;
    }
    idx.push_back(j);
  }
  return at::tensor(idx, at::TensorOptions().dtype(at::kLong));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// movement

Tensor TorchBackend::reshape_impl(const Tensor& x, const Shape& shape) {
  return guarded("ops::reshape", [&] {
    // A view of contiguous storage: safe to share, since tensors are never written in place.
    return wrap(aten(x, "ops::reshape").reshape(dims_of(shape)), x.dtype());
  });
}

Tensor TorchBackend::transpose_impl(const Tensor& x, std::span<const int> perm) {
  return guarded("ops::transpose", [&] {
    std::vector<int64_t> p(perm.begin(), perm.end());
    return wrap(aten(x, "ops::transpose").permute(p).contiguous(), x.dtype());
  });
}

Tensor TorchBackend::broadcast_to_impl(const Tensor& x, const Shape& shape) {
  return guarded("ops::broadcast_to", [&] {
    return wrap(aten(x, "ops::broadcast_to").expand(dims_of(shape)).contiguous(), x.dtype());
  });
}

Tensor TorchBackend::slice_impl(const Tensor& x, std::span<const int64_t> start,
                                std::span<const int64_t> step, const Shape& out_shape) {
  return guarded("ops::slice", [&] {
    at::Tensor t = aten(x, "ops::slice");
    for (int64_t d = 0; d < t.dim(); ++d) {
      const size_t i = static_cast<size_t>(d);
      const int64_t n = out_shape[i];
      const int64_t s = step[i];
      const int64_t b = start[i];
      if (n == t.size(d) && s == 1 && b == 0) continue;
      if (n == 0) {
        t = t.narrow(d, 0, 0);
      } else if (s > 0) {
        t = t.slice(d, b, b + s * (n - 1) + 1, s);
      } else {  // ATen views cannot step backwards: gather the positions instead
        at::Tensor idx = at::arange(b, b + s * n, s, at::TensorOptions().dtype(at::kLong));
        t = t.index_select(d, idx);
      }
    }
    return wrap(t, x.dtype());
  });
}

Tensor TorchBackend::slice_update_impl(const Tensor& x, std::span<const int64_t> start,
                                       const Tensor& update) {
  return guarded("ops::slice_update", [&] {
    at::Tensor out = aten(x, "ops::slice_update").clone(at::MemoryFormat::Contiguous);
    at::Tensor view = out;
    for (int64_t d = 0; d < out.dim(); ++d)
      view = view.narrow(d, start[static_cast<size_t>(d)], update.shape()[static_cast<size_t>(d)]);
    view.copy_(aten(update, "ops::slice_update"));
    return wrap(out, x.dtype());
  });
}

Tensor TorchBackend::pad_impl(const Tensor& x, std::span<const std::pair<int64_t, int64_t>> pads,
                              PadMode mode, double constant_value) {
  return guarded("ops::pad", [&] {
    at::Tensor t = aten(x, "ops::pad");
    if (mode == PadMode::Constant) {
      std::vector<int64_t> p;  // ATen lists (before, after) from the last dim backwards
      for (size_t d = pads.size(); d-- > 0;) {
        p.push_back(pads[d].first);
        p.push_back(pads[d].second);
      }
      return wrap(at::constant_pad_nd(t, p, scalar_for(constant_value, x.dtype())), x.dtype());
    }
    for (int64_t d = 0; d < t.dim(); ++d) {
      const auto [before, after] = pads[static_cast<size_t>(d)];
      if (before == 0 && after == 0) continue;
      if (t.size(d) == 0)
        throw ValueError(std::string("torch backend: ops::pad: cannot ") +
                         (mode == PadMode::Reflect ? "reflect" : "symmetric") + "-pad axis " +
                         std::to_string(d) + " of size 0 (shape " + x.shape().to_string() + ")");
      t = t.index_select(d, pad_indices(t.size(d), before, after, mode));
    }
    return wrap(t, x.dtype());
  });
}

Tensor TorchBackend::concatenate_impl(std::span<const Tensor> xs, int axis) {
  return guarded("ops::concatenate", [&] {
    if (xs.empty()) throw ValueError("torch backend: ops::concatenate: needs at least one tensor");
    std::vector<at::Tensor> ts;
    ts.reserve(xs.size());
    for (const Tensor& x : xs) ts.push_back(aten(x, "ops::concatenate"));
    return wrap(at::cat(ts, axis), xs[0].dtype());
  });
}

// ---------------------------------------------------------------------------------------------
// gather / scatter

Tensor TorchBackend::take_impl(const Tensor& x, const Tensor& indices, int axis) {
  return guarded("ops::take", [&] {
    const at::Tensor& t = aten(x, "ops::take");
    at::Tensor idx = checked_indices(aten(indices, "ops::take"), t.size(axis), "take", axis);
    Shape out_shape(x.shape().begin(), x.shape().begin() + axis);
    out_shape.insert(out_shape.end(), indices.shape().begin(), indices.shape().end());
    out_shape.insert(out_shape.end(), x.shape().begin() + axis + 1, x.shape().end());
    return wrap(t.index_select(axis, idx.reshape(-1)).reshape(dims_of(out_shape)), x.dtype());
  });
}

Tensor TorchBackend::take_along_axis_impl(const Tensor& x, const Tensor& indices, int axis) {
  return guarded("ops::take_along_axis", [&] {
    const at::Tensor& t = aten(x, "ops::take_along_axis");
    at::Tensor idx = checked_indices(aten(indices, "ops::take_along_axis"), t.size(axis),
                                     "take_along_axis", axis);
    return wrap(at::gather(t, axis, idx), x.dtype());
  });
}

Tensor TorchBackend::index_add_impl(const Tensor& base, int axis, const Tensor& indices,
                                    const Tensor& src) {
  return guarded("ops::index_add", [&] {
    const DType dt = base.dtype();
    const at::Tensor& b = aten(base, "ops::index_add");
    at::Tensor idx =
        checked_indices(aten(indices, "ops::index_add"), b.size(axis), "index_add", axis);
    at::Tensor r = accumulate_type(b, dt).index_add(
        axis, idx.reshape(-1), accumulate_type(aten(src, "ops::index_add"), dt));
    return wrap(from_accumulate_type(r, dt), dt);
  });
}

Tensor TorchBackend::scatter_add_along_axis_impl(const Tensor& base, int axis,
                                                 const Tensor& indices, const Tensor& src) {
  return guarded("ops::scatter_add_along_axis", [&] {
    const DType dt = base.dtype();
    const at::Tensor& b = aten(base, "ops::scatter_add_along_axis");
    at::Tensor idx = checked_indices(aten(indices, "ops::scatter_add_along_axis"), b.size(axis),
                                     "scatter_add_along_axis", axis);
    at::Tensor r = accumulate_type(b, dt).scatter_add(
        axis, idx, accumulate_type(aten(src, "ops::scatter_add_along_axis"), dt));
    return wrap(from_accumulate_type(r, dt), dt);
  });
}

Tensor TorchBackend::scatter_nd_impl(const Tensor& base, const Tensor& indices,
                                     const Tensor& updates, ScatterReduction reduction) {
  return guarded("ops::scatter_nd", [&] {
    const DType dt = base.dtype();
    const at::Tensor& b = aten(base, "ops::scatter_nd");
    if (indices.ndim() != 2 || indices.shape()[1] > base.ndim())
      throw ValueError("torch backend: ops::scatter_nd: indices must have shape (N, k) with k <= " +
                       std::to_string(base.ndim()) + ", got " + indices.shape().to_string());
    const int64_t n = indices.shape()[0];
    const int64_t k = indices.shape()[1];
    // Row-major linear positions over base's first k dims, checked and wrapped on the host.
    int64_t rows = 1;
    for (int64_t j = 0; j < k; ++j) rows *= b.size(j);
    int64_t row_size = 1;
    for (int64_t j = k; j < b.dim(); ++j) row_size *= b.size(j);
    at::Tensor idx = aten(indices, "ops::scatter_nd").to(at::kLong).contiguous();
    const int64_t* p = idx.data_ptr<int64_t>();
    std::vector<int64_t> linear(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      int64_t lin = 0;
      for (int64_t j = 0; j < k; ++j) {
        const int64_t size = b.size(j);
        int64_t v = p[i * k + j];
        if (v < -size || v >= size)
          throw IndexError("torch backend: ops::scatter_nd: index " + std::to_string(v) +
                           " is out of bounds for axis " + std::to_string(j) + " with size " +
                           std::to_string(size) + " (indices row " + std::to_string(i) + ")");
        if (v < 0) v += size;
        lin = lin * size + v;
      }
      linear[static_cast<size_t>(i)] = lin;
    }
    const auto long_opts = at::TensorOptions().dtype(at::kLong);
    at::Tensor target = accumulate_type(b, dt).reshape({rows, row_size}).clone();
    at::Tensor upd = accumulate_type(aten(updates, "ops::scatter_nd"), dt).reshape({n, row_size});
    switch (reduction) {
      case ScatterReduction::Set: {
        // Deterministic "last update wins": keep only the last occurrence of each position.
        std::vector<int64_t> order(static_cast<size_t>(n));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) {
          return linear[static_cast<size_t>(x)] < linear[static_cast<size_t>(y)];
        });
        std::vector<int64_t> keep_pos;
        std::vector<int64_t> keep_lin;
        for (size_t i = 0; i < order.size(); ++i) {
          const int64_t l = linear[static_cast<size_t>(order[i])];
          if (i + 1 < order.size() && linear[static_cast<size_t>(order[i + 1])] == l) continue;
          keep_pos.push_back(order[i]);
          keep_lin.push_back(l);
        }
        target.index_copy_(0, at::tensor(keep_lin, long_opts),
                           upd.index_select(0, at::tensor(keep_pos, long_opts)));
        break;
      }
      case ScatterReduction::Add:
        target.index_add_(0, at::tensor(linear, long_opts), upd);
        break;
      case ScatterReduction::Max:
      case ScatterReduction::Min:
      case ScatterReduction::Multiply: {
        const char* how = reduction == ScatterReduction::Max   ? "amax"
                          : reduction == ScatterReduction::Min ? "amin"
                                                               : "prod";
        target = order_key(target, dt);
        target.index_reduce_(0, at::tensor(linear, long_opts), order_key(upd, dt), how, true);
        target = order_key(target, dt);
        break;
      }
    }
    return wrap(from_accumulate_type(target, dt).reshape(b.sizes()), dt);
  });
}

std::pair<Tensor, Tensor> TorchBackend::sort_impl(const Tensor& x, int axis, bool descending) {
  return guarded("ops::sort", [&] {
    const DType dt = x.dtype();
    at::Tensor k = order_key(accumulate_type(aten(x, "ops::sort"), dt), dt);
    // Stable; NaN sorts as the largest value (last ascending, first descending).
    auto [values, positions] = at::sort(k, /*stable=*/true, axis, descending);
    at::Tensor v = order_key(values, dt);
    v = dt == DType::Bool ? v.ne(0) : v.to(storage_type(dt));
    return std::make_pair(wrap(v, dt), wrap(positions.to(at::kInt), DType::Int32));
  });
}

// ---------------------------------------------------------------------------------------------
// linear algebra

Tensor TorchBackend::matmul_impl(const Tensor& a, const Tensor& b) {
  return guarded("ops::matmul", [&] {
    const DType dt = a.dtype();
    at::Tensor x = aten(a, "ops::matmul");
    at::Tensor y = aten(b, "ops::matmul");
    at::Tensor r;
    if (dt == DType::Bool) {  // sum of products != 0
      r = at::matmul(x.to(at::kInt), y.to(at::kInt)).ne(0);
    } else {
      // float16/bfloat16 in float32 (no CPU half GEMM in ATen 1.13); integers wrap modulo 2^n.
      r = wrap_unsigned(at::matmul(widen_half(x, dt), widen_half(y, dt)), dt).to(storage_type(dt));
    }
    return wrap(r, dt);
  });
}

}  // namespace keras::backend::torch_backend
