#pragma once
// Shapes of an N-d channels_last convolution or pooling, validated once for every kernel.
#include <string>
#include <vector>

#include "backends/cpu/cpu_common.hpp"

namespace keras::backend::cpu {

struct WindowGeometry {
  int nsp = 0;  // number of spatial dims
  int64_t batch = 0, channels = 0;
  std::vector<int64_t> in, window, out, strides, dilation, pad_l, pad_r;
  int64_t in_size() const { return prod(Shape(in), 0, nsp); }
  int64_t out_size() const { return prod(Shape(out), 0, nsp); }
  int64_t window_size() const { return prod(Shape(window), 0, nsp); }
};

// Fills out[] from in/window/strides/dilation/padding; throws ValueError naming op.
inline void compute_output_dims(WindowGeometry& g, const char* op) {
  g.out.resize(g.nsp);
  for (int d = 0; d < g.nsp; ++d) {
    if (g.strides[d] <= 0 || g.dilation[d] <= 0 || g.window[d] <= 0 || g.pad_l[d] < 0 ||
        g.pad_r[d] < 0)
      throw ValueError(std::string("cpu backend: ops::") + op +
                       ": strides, dilation and window sizes must be positive and padding "
                       "non-negative (spatial dim " +
                       std::to_string(d) + ")");
    int64_t span = g.dilation[d] * (g.window[d] - 1) + 1;
    int64_t padded = g.in[d] + g.pad_l[d] + g.pad_r[d];
    if (padded < span)
      throw ValueError(std::string("cpu backend: ops::") + op + ": window of size " +
                       std::to_string(span) + " does not fit the padded input of size " +
                       std::to_string(padded) + " along spatial dim " + std::to_string(d));
    g.out[d] = (padded - span) / g.strides[d] + 1;
  }
}

// Walks the window taps of output position `os` (flat spatial index) that fall inside the
// unpadded input, calling f(window_index, input_index) with flat spatial indices.
template <class F>
void for_each_tap(const WindowGeometry& g, int64_t os, F&& f) {
  int nsp = g.nsp;
  int64_t oidx[8], kidx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::vector<int64_t> big_o, big_k;
  int64_t* po = oidx;
  int64_t* pk = kidx;
  if (nsp > 8) {
    big_o.assign(nsp, 0);
    big_k.assign(nsp, 0);
    po = big_o.data();
    pk = big_k.data();
  }
  int64_t rem = os;
  for (int d = nsp - 1; d >= 0; --d) {
    po[d] = rem % g.out[d];
    rem /= g.out[d];
  }
  int64_t ksize = g.window_size();
  for (int64_t ks = 0; ks < ksize; ++ks) {
    int64_t is = 0;
    bool inside = true;
    for (int d = 0; d < nsp; ++d) {
      int64_t i = po[d] * g.strides[d] - g.pad_l[d] + pk[d] * g.dilation[d];
      if (i < 0 || i >= g.in[d]) inside = false;
      is = is * g.in[d] + i;
    }
    if (inside) f(ks, is);
    for (int d = nsp - 1; d >= 0; --d) {
      if (++pk[d] < g.window[d]) break;
      pk[d] = 0;
    }
  }
}

}  // namespace keras::backend::cpu
