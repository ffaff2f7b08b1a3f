// Data movement: reshape (zero copy), transpose, broadcast_to, slice, slice_update, pad and
// concatenate. These only move elements, so they dispatch on the element size, not the dtype.
#include "backends/cpu/broadcast.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

// dst[dst_off + i . dst_st] = src[src_off + i . src_st] for every index i in dims.
template <class U>
void strided_copy(U* dst, const U* src, const std::vector<int64_t>& dims,
                  const std::vector<int64_t>& dst_st, const std::vector<int64_t>& src_st) {
  std::vector<std::array<int64_t, 2>> st(dims.size());
  for (size_t d = 0; d < dims.size(); ++d) st[d] = {dst_st[d], src_st[d]};
  auto plan = make_strided_plan<2>(dims, st);
  for_each_row(
      plan, 1,
      [&](const std::array<int64_t, 2>& off, int64_t, int64_t n, const std::array<int64_t, 2>& s) {
        U* o = dst + off[0];
        const U* i = src + off[1];
        if (s[0] == 1 && s[1] == 1) {
          std::memcpy(o, i, static_cast<size_t>(n) * sizeof(U));
        } else if (s[1] == 0) {
          U v = i[0];
          for (int64_t k = 0; k < n; ++k) o[k * s[0]] = v;
        } else if (s[0] == 1) {
          for (int64_t k = 0; k < n; ++k) o[k] = i[k * s[1]];
        } else {
          for (int64_t k = 0; k < n; ++k) o[k * s[0]] = i[k * s[1]];
        }
      });
}

// Transpose of a collapsed (outer..., rows, ..., cols) nest where the source is contiguous along
// a dim other than the destination's innermost one: 2-D tiles keep both sides in cache.
template <class U>
bool tiled_transpose(U* dst, const U* src, const BroadcastPlan<2>& plan) {
  int nd = static_cast<int>(plan.dims.size());
  if (nd < 2 || plan.strides.back()[0] != 1 || plan.strides.back()[1] == 1) return false;
  int q = -1;
  for (int d = 0; d < nd - 1; ++d)
    if (plan.strides[d][1] == 1) q = d;
  if (q < 0 || plan.dims[q] < 8 || plan.dims.back() < 8) return false;
  constexpr int64_t kTile = 32;
  int64_t rows = plan.dims[q], cols = plan.dims.back();
  int64_t dst_row = plan.strides[q][0], src_col = plan.strides.back()[1];
  // The remaining dims, flattened.
  std::vector<int64_t> odims;
  std::vector<std::array<int64_t, 2>> ost;
  for (int d = 0; d < nd - 1; ++d)
    if (d != q) odims.push_back(plan.dims[d]), ost.push_back(plan.strides[d]);
  int64_t outer = 1;
  for (int64_t v : odims) outer *= v;
  int64_t row_tiles = (rows + kTile - 1) / kTile;
  parallel_for(outer * row_tiles, kTile * cols, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      int64_t o = t / row_tiles, rt = t % row_tiles;
      int64_t doff = 0, soff = 0, rem = o;
      for (int d = static_cast<int>(odims.size()) - 1; d >= 0; --d) {
        int64_t i = rem % odims[d];
        rem /= odims[d];
        doff += i * ost[d][0];
        soff += i * ost[d][1];
      }
      int64_t r0 = rt * kTile, r1 = std::min(rows, r0 + kTile);
      for (int64_t c0 = 0; c0 < cols; c0 += kTile) {
        int64_t c1 = std::min(cols, c0 + kTile);
        for (int64_t r = r0; r < r1; ++r) {
          U* o_ = dst + doff + r * dst_row;
          const U* s_ = src + soff + r;
          for (int64_t c = c0; c < c1; ++c) o_[c] = s_[c * src_col];
        }
      }
    }
  });
  return true;
}

}  // namespace

Tensor CpuBackend::reshape_impl(const Tensor& x, const Shape& shape) {
  ProfileScope prof("reshape");
  if (shape.num_elements() != x.size())
    throw ValueError("cpu backend: ops::reshape: cannot reshape a tensor of shape " +
                     x.shape().to_string() + " (" + std::to_string(x.size()) +
                     " elements) into shape " + shape.to_string());
  return alias(x, shape);  // row-major data is the same: share the buffer
}

Tensor CpuBackend::transpose_impl(const Tensor& x, std::span<const int> perm) {
  ProfileScope prof("transpose");
  const Shape& s = x.shape();
  int r = s.rank();
  if (static_cast<int>(perm.size()) != r)
    throw ValueError("cpu backend: ops::transpose: permutation of length " +
                     std::to_string(perm.size()) + " for a tensor of shape " + s.to_string());
  Shape out_shape;
  std::vector<int64_t> in_st = row_major_strides(s), src_st(r), dims(r);
  bool identity = true;
  for (int d = 0; d < r; ++d) {
    if (perm[d] < 0 || perm[d] >= r)
      throw ValueError("cpu backend: ops::transpose: invalid axis " + std::to_string(perm[d]) +
                       " in permutation for shape " + s.to_string());
    out_shape.push_back(s[perm[d]]);
    src_st[d] = in_st[perm[d]];
    dims[d] = s[perm[d]];
    if (perm[d] != d) identity = false;
  }
  if (identity) return alias(x, s);
  Tensor out = empty(out_shape, x.dtype());
  if (out.size() == 0) return out;
  std::vector<int64_t> dst_st = row_major_strides(out_shape);
  visit_size(x.dtype(), [&]<class U>() {
    std::vector<std::array<int64_t, 2>> st(r);
    for (int d = 0; d < r; ++d) st[d] = {dst_st[d], src_st[d]};
    auto plan = make_strided_plan<2>(dims, st);
    if (plan.dims.size() == 1 && plan.strides[0][0] == 1 && plan.strides[0][1] == 1) {
      std::memcpy(data<U>(out), data<U>(x), static_cast<size_t>(out.size()) * sizeof(U));
      return;
    }
    if (tiled_transpose(data<U>(out), data<U>(x), plan)) return;
    strided_copy(data<U>(out), data<U>(x), dims, dst_st, src_st);
  });
  return out;
}

Tensor CpuBackend::broadcast_to_impl(const Tensor& x, const Shape& shape) {
  ProfileScope prof("broadcast_to");
  Shape checked = broadcast_shapes(x.shape(), shape, "broadcast_to");
  if (checked != shape)
    throw ValueError("cpu backend: ops::broadcast_to: cannot broadcast shape " +
                     x.shape().to_string() + " to " + shape.to_string());
  if (x.shape() == shape) return alias(x, shape);
  Tensor out = empty(shape, x.dtype());
  if (out.size() == 0) return out;
  visit_size(x.dtype(), [&]<class U>() {
    const U* src = data<U>(x);
    U* dst = data<U>(out);
    auto plan = make_broadcast_plan<1>(shape, {&x.shape()});
    for_each_row(plan, 1,
                 [&](const std::array<int64_t, 1>& off, int64_t oo, int64_t n,
                     const std::array<int64_t, 1>& st) {
                   if (st[0] == 1) {
                     std::memcpy(dst + oo, src + off[0], static_cast<size_t>(n) * sizeof(U));
                   } else {
                     U v = src[off[0]];
                     for (int64_t k = 0; k < n; ++k) dst[oo + k] = v;
                   }
                 });
  });
  return out;
}

Tensor CpuBackend::slice_impl(const Tensor& x, std::span<const int64_t> start,
                              std::span<const int64_t> step, const Shape& out_shape) {
  ProfileScope prof("slice");
  const Shape& s = x.shape();
  int r = s.rank();
  if (static_cast<int>(start.size()) != r || static_cast<int>(step.size()) != r ||
      out_shape.rank() != r)
    throw ValueError("cpu backend: ops::slice: start/step/shape ranks do not match shape " +
                     s.to_string());
  for (int d = 0; d < r; ++d) {
    if (out_shape[d] == 0) continue;
    int64_t last = start[d] + (out_shape[d] - 1) * step[d];
    if (step[d] == 0 || start[d] < 0 || start[d] >= s[d] || last < 0 || last >= s[d])
      throw IndexError("cpu backend: ops::slice: slice out of range along axis " +
                       std::to_string(d) + " (start " + std::to_string(start[d]) + ", step " +
                       std::to_string(step[d]) + ", length " + std::to_string(out_shape[d]) +
                       ") for shape " + s.to_string());
  }
  Tensor out = empty(out_shape, x.dtype());
  if (out.size() == 0) return out;
  std::vector<int64_t> in_st = row_major_strides(s), src_st(r);
  int64_t off = 0;
  for (int d = 0; d < r; ++d) {
    off += start[d] * in_st[d];
    src_st[d] = step[d] * in_st[d];
  }
  visit_size(x.dtype(), [&]<class U>() {
    strided_copy(data<U>(out), data<U>(x) + off,
                 std::vector<int64_t>(out_shape.begin(), out_shape.end()),
                 row_major_strides(out_shape), src_st);
  });
  return out;
}

Tensor CpuBackend::slice_update_impl(const Tensor& x, std::span<const int64_t> start,
                                     const Tensor& update) {
  ProfileScope prof("slice_update");
  const Shape& s = x.shape();
  int r = s.rank();
  if (static_cast<int>(start.size()) != r || update.ndim() != r || update.dtype() != x.dtype())
    throw ValueError("cpu backend: ops::slice_update: update of shape " +
                     update.shape().to_string() + " does not match tensor of shape " +
                     s.to_string());
  for (int d = 0; d < r; ++d)
    if (start[d] < 0 || start[d] + update.shape()[d] > s[d])
      throw IndexError("cpu backend: ops::slice_update: update of shape " +
                       update.shape().to_string() + " at start index " + std::to_string(start[d]) +
                       " does not fit axis " + std::to_string(d) + " of shape " + s.to_string());
  Tensor out = empty(s, x.dtype());
  size_t bytes = static_cast<size_t>(x.size()) * dtype_size(x.dtype());
  if (bytes) std::memcpy(raw_data(out), raw_data(x), bytes);
  if (update.size() == 0) return out;
  std::vector<int64_t> st = row_major_strides(s);
  int64_t off = 0;
  for (int d = 0; d < r; ++d) off += start[d] * st[d];
  visit_size(x.dtype(), [&]<class U>() {
    const Shape& us = update.shape();
    strided_copy(data<U>(out) + off, data<U>(update), std::vector<int64_t>(us.begin(), us.end()),
                 st, row_major_strides(us));
  });
  return out;
}

Tensor CpuBackend::pad_impl(const Tensor& x, std::span<const std::pair<int64_t, int64_t>> pads,
                            PadMode mode, double constant_value) {
  ProfileScope prof("pad");
  const Shape& s = x.shape();
  int r = s.rank();
  if (static_cast<int>(pads.size()) != r)
    throw ValueError("cpu backend: ops::pad: " + std::to_string(pads.size()) +
                     " (before, after) pairs for a tensor of rank " + std::to_string(r));
  Shape out_shape;
  for (int d = 0; d < r; ++d) {
    if (pads[d].first < 0 || pads[d].second < 0)
      throw ValueError("cpu backend: ops::pad: negative padding along axis " + std::to_string(d));
    if (mode != PadMode::Constant && s[d] == 0 && pads[d].first + pads[d].second > 0)
      throw ValueError("cpu backend: ops::pad: cannot pad an empty axis " + std::to_string(d) +
                       " in reflect/symmetric mode");
    out_shape.push_back(s[d] + pads[d].first + pads[d].second);
  }
  if (mode == PadMode::Constant) {
    Tensor out = full(out_shape, x.dtype(), constant_value);
    if (x.size() == 0) return out;
    std::vector<int64_t> ost = row_major_strides(out_shape);
    int64_t off = 0;
    for (int d = 0; d < r; ++d) off += pads[d].first * ost[d];
    visit_size(x.dtype(), [&]<class U>() {
      strided_copy(data<U>(out) + off, data<U>(x), std::vector<int64_t>(s.begin(), s.end()), ost,
                   row_major_strides(s));
    });
    return out;
  }
  // Reflect (edge not repeated, period 2(n-1)) and symmetric (edge repeated, period 2n): each
  // output index along an axis maps to one source index, as np.pad does for any pad width.
  Tensor out = empty(out_shape, x.dtype());
  if (out.size() == 0) return out;
  std::vector<std::vector<int64_t>> maps(r);
  for (int d = 0; d < r; ++d) {
    int64_t n = s[d];
    maps[d].resize(out_shape[d]);
    for (int64_t i = 0; i < out_shape[d]; ++i) {
      int64_t j = i - pads[d].first;
      if (mode == PadMode::Reflect) {
        if (n == 1) {
          j = 0;
        } else {
          int64_t p = 2 * (n - 1);
          j = ((j % p) + p) % p;
          if (j >= n) j = p - j;
        }
      } else {
        int64_t p = 2 * n;
        j = ((j % p) + p) % p;
        if (j >= n) j = p - 1 - j;
      }
      maps[d][i] = j;
    }
  }
  std::vector<int64_t> ist = row_major_strides(s), ost = row_major_strides(out_shape);
  visit_size(x.dtype(), [&]<class U>() {
    const U* src = data<U>(x);
    U* dst = data<U>(out);
    // Rows along the last axis; the row index walks the other axes.
    int64_t cols = r ? out_shape[r - 1] : 1;
    int64_t rows = out.size() / cols;
    parallel_for(rows, cols, [&](int64_t b, int64_t e) {
      for (int64_t row = b; row < e; ++row) {
        int64_t soff = 0, rem = row;
        for (int d = r - 2; d >= 0; --d) {
          int64_t i = rem % out_shape[d];
          rem /= out_shape[d];
          soff += maps[d][i] * ist[d];
        }
        U* o = dst + row * cols;
        if (r == 0) {
          o[0] = src[0];
          continue;
        }
        const int64_t* m = maps[r - 1].data();
        for (int64_t c = 0; c < cols; ++c) o[c] = src[soff + m[c]];
      }
    });
  });
  return out;
}

Tensor CpuBackend::concatenate_impl(std::span<const Tensor> xs, int axis) {
  ProfileScope prof("concatenate");
  if (xs.empty()) throw ValueError("cpu backend: ops::concatenate: need at least one tensor");
  const Shape& s0 = xs[0].shape();
  int r = s0.rank();
  if (axis < 0 || axis >= r)
    throw ValueError("cpu backend: ops::concatenate: axis " + std::to_string(axis) +
                     " is out of bounds for tensors of rank " + std::to_string(r));
  Shape out_shape = s0;
  out_shape[axis] = 0;
  for (const Tensor& t : xs) {
    bool ok = t.ndim() == r && t.dtype() == xs[0].dtype();
    for (int d = 0; ok && d < r; ++d)
      if (d != axis && t.shape()[d] != s0[d]) ok = false;
    if (!ok)
      throw ValueError("cpu backend: ops::concatenate: shapes " + s0.to_string() + " and " +
                       t.shape().to_string() + " (dtypes " +
                       std::string(dtype_name(xs[0].dtype())) + ", " +
                       std::string(dtype_name(t.dtype())) + ") do not match except on axis " +
                       std::to_string(axis));
    out_shape[axis] += t.shape()[axis];
  }
  Tensor out = empty(out_shape, xs[0].dtype());
  if (out.size() == 0) return out;
  size_t es = dtype_size(xs[0].dtype());
  int64_t outer = prod(s0, 0, axis), inner = prod(s0, axis + 1, r);
  int64_t out_block = out_shape[axis] * inner;
  std::vector<int64_t> blocks, offsets;
  int64_t acc = 0;
  for (const Tensor& t : xs) {
    blocks.push_back(t.shape()[axis] * inner);
    offsets.push_back(acc);
    acc += blocks.back();
  }
  char* dst = static_cast<char*>(raw_data(out));
  parallel_for(outer, out_block, [&](int64_t b, int64_t e) {
    for (int64_t o = b; o < e; ++o)
      for (size_t k = 0; k < xs.size(); ++k)
        if (blocks[k])
          std::memcpy(dst + (o * out_block + offsets[k]) * es,
                      static_cast<const char*>(raw_data(xs[k])) + o * blocks[k] * es,
                      static_cast<size_t>(blocks[k]) * es);
  });
  return out;
}

}  // namespace keras::backend::cpu
