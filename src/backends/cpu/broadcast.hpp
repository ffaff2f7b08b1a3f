#pragma once
// NumPy broadcasting of up to three operands against an output shape, as a loop nest over
// "rows": the output's dimensions are collapsed (size-1 dims dropped, neighbours merged where
// every operand's strides allow), so the innermost loop is as long as possible and usually has
// operand strides 1 (same shape) or 0 (a broadcast operand), which the row kernels special-case.
#include <array>

#include "backends/cpu/cpu_common.hpp"

namespace keras::backend::cpu {

template <int N>
struct BroadcastPlan {
  std::vector<int64_t> dims;                    // collapsed output dims (at least one)
  std::vector<std::array<int64_t, N>> strides;  // element strides per dim and operand (0: bcast)
};

// Collapses a loop nest: drops size-1 dims and merges neighbours whose strides are contiguous
// for every operand (stride[d] == stride[d + 1] * dims[d + 1]).
template <int N>
BroadcastPlan<N> make_strided_plan(const std::vector<int64_t>& dims,
                                   const std::vector<std::array<int64_t, N>>& st) {
  BroadcastPlan<N> plan;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d] == 1) continue;
    if (!plan.dims.empty()) {
      auto& last = plan.strides.back();
      bool merge = true;
      for (int k = 0; k < N; ++k)
        if (last[k] != st[d][k] * dims[d]) merge = false;
      if (merge) {
        plan.dims.back() *= dims[d];
        last = st[d];
        continue;
      }
    }
    plan.dims.push_back(dims[d]);
    plan.strides.push_back(st[d]);
  }
  if (plan.dims.empty()) {
    plan.dims.push_back(1);
    plan.strides.push_back({});
  }
  return plan;
}

template <int N>
BroadcastPlan<N> make_broadcast_plan(const Shape& out, const std::array<const Shape*, N>& ins) {
  int r = out.rank();
  std::vector<std::array<int64_t, N>> st(r);
  for (int k = 0; k < N; ++k) {
    const Shape& s = *ins[k];
    int off = r - s.rank();
    int64_t acc = 1;
    for (int d = r - 1; d >= 0; --d) {
      int sd = d - off;
      if (sd < 0 || s[sd] == 1) {
        st[d][k] = 0;
      } else {
        st[d][k] = acc;
        acc *= s[sd];
      }
    }
  }
  return make_strided_plan<N>(std::vector<int64_t>(out.begin(), out.end()), st);
}

// Calls row(offsets, out_offset, n, inner_strides) for every innermost row of the plan, where
// offsets are element offsets into each operand; rows are split across threads when the total
// work (elements * cost) is large.
template <int N, class Row>
void for_each_row(const BroadcastPlan<N>& plan, int64_t cost, Row&& row) {
  int nd = static_cast<int>(plan.dims.size());
  int64_t inner = plan.dims.back();
  const auto& inner_st = plan.strides.back();
  int64_t rows = 1;
  for (int d = 0; d < nd - 1; ++d) rows *= plan.dims[d];
  parallel_for(rows, inner * cost, [&](int64_t rb, int64_t re) {
    // Multi-index of row rb over dims[0 .. nd-2].
    std::array<int64_t, 16> idx_small{};
    std::vector<int64_t> idx_big;
    int64_t* idx = idx_small.data();
    if (nd > 16) {
      idx_big.assign(nd, 0);
      idx = idx_big.data();
    }
    std::array<int64_t, N> off{};
    int64_t rem = rb;
    for (int d = nd - 2; d >= 0; --d) {
      idx[d] = rem % plan.dims[d];
      rem /= plan.dims[d];
      for (int k = 0; k < N; ++k) off[k] += idx[d] * plan.strides[d][k];
    }
    for (int64_t r = rb; r < re; ++r) {
      row(off, r * inner, inner, inner_st);
      for (int d = nd - 2; d >= 0; --d) {
        for (int k = 0; k < N; ++k) off[k] += plan.strides[d][k];
        if (++idx[d] < plan.dims[d]) break;
        for (int k = 0; k < N; ++k) off[k] -= idx[d] * plan.strides[d][k];
        idx[d] = 0;
      }
    }
  });
}

}  // namespace keras::backend::cpu
