// Max and average pooling (forward and backward), channels_last. float32 runs oneDNN pooling
// primitives (cached by geometry); other dtypes run a direct loop over windows with the channel
// loop innermost. Average pooling divides by the number of non-padding elements in each window
// (TensorFlow "same" semantics, as Keras computes); max pooling ignores padding, and its
// gradient goes to the first maximum of each window.
#include <bit>

#include "backends/cpu/conv_geometry.hpp"
#include "backends/cpu/dnnl_context.hpp"
#include "backends/cpu/graph_compiler.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

WindowGeometry pool_geometry(const Shape& x, const PoolParams& p, const char* op) {
  WindowGeometry g;
  g.nsp = x.rank() - 2;
  if (g.nsp < 1 || static_cast<int>(p.pool_size.size()) != g.nsp ||
      static_cast<int>(p.strides.size()) != g.nsp || static_cast<int>(p.padding.size()) != g.nsp)
    throw ValueError(std::string("cpu backend: ops::") + op + ": input of shape " + x.to_string() +
                     " needs " + std::to_string(std::max(g.nsp, 1)) +
                     " pool sizes, strides and paddings (channels_last input)");
  g.batch = x[0];
  g.channels = x[x.rank() - 1];
  for (int d = 0; d < g.nsp; ++d) {
    g.in.push_back(x[d + 1]);
    g.window.push_back(p.pool_size[d]);
    g.pad_l.push_back(p.padding[d].first);
    g.pad_r.push_back(p.padding[d].second);
    g.dilation.push_back(1);
  }
  g.strides = p.strides;
  compute_output_dims(g, op);
  return g;
}

Shape pooled_shape(const WindowGeometry& g) {
  Shape s{g.batch};
  s.insert(s.end(), g.out.begin(), g.out.end());
  s.push_back(g.channels);
  return s;
}

// ---- oneDNN (float32) ----
using dnnl::memory;

memory::desc pool_md(const WindowGeometry& g, const std::vector<int64_t>& sp) {
  memory::dims dims{g.batch, g.channels};
  dims.insert(dims.end(), sp.begin(), sp.end());
  auto tag = g.nsp == 1   ? memory::format_tag::nwc
             : g.nsp == 2 ? memory::format_tag::nhwc
                          : memory::format_tag::ndhwc;
  return memory::desc(dims, memory::data_type::f32, tag);
}

struct PoolEntry {
  memory::desc src_md, dst_md, ws_md;
  dnnl::pooling_forward fwd;
  dnnl::pooling_backward bwd;
  bool has_bwd = false;
};

std::shared_ptr<PoolEntry> pool_entry(CpuBackend::Caches& c, const WindowGeometry& g, bool max,
                                      bool backward) {
  std::string key = max ? "maxpool" : "avgpool";
  key += backward ? "_bwd:" : ":";
  key_append_all(key, std::array<int64_t, 3>{g.batch, g.channels, static_cast<int64_t>(g.nsp)});
  key_append_all(key, g.in);
  key_append_all(key, g.window);
  key_append_all(key, g.strides);
  key_append_all(key, g.pad_l);
  key_append_all(key, g.pad_r);
  return c.get<PoolEntry>(key, [&] {
    return dnnl_call(max ? "max_pool" : "avg_pool", [&] {
      auto e = std::make_shared<PoolEntry>();
      e->src_md = pool_md(g, g.in);
      e->dst_md = pool_md(g, g.out);
      auto alg = max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
      // Max pooling's backward pass needs the forward's workspace (argmax positions).
      auto prop = backward ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
      dnnl::pooling_forward::desc fd(prop, alg, e->src_md, e->dst_md, g.strides, g.window, g.pad_l,
                                     g.pad_r);
      dnnl::pooling_forward::primitive_desc fpd(fd, c.engine);
      e->fwd = dnnl::pooling_forward(fpd);
      if (backward) {
        e->ws_md = fpd.workspace_desc();
        dnnl::pooling_backward::desc bd(alg, e->src_md, e->dst_md, g.strides, g.window, g.pad_l,
                                        g.pad_r);
        dnnl::pooling_backward::primitive_desc bpd(bd, c.engine, fpd);
        e->bwd = dnnl::pooling_backward(bpd);
        e->has_bwd = true;
      }
      return e;
    });
  });
}

// ---- direct loops ----
template <class T>
void max_pool_loop(const WindowGeometry& g, const T* x, T* y) {
  using C = compute_t<T>;
  int64_t isz = g.in_size(), osz = g.out_size(), ch = g.channels;
  parallel_for(g.batch * osz, g.window_size() * ch, [&](int64_t lo, int64_t hi) {
    std::vector<C> best(ch);
    for (int64_t t = lo; t < hi; ++t) {
      int64_t n = t / osz, os = t % osz;
      bool first = true;
      for_each_tap(g, os, [&](int64_t, int64_t is) {
        const T* xr = x + (n * isz + is) * ch;
        if (first) {
          for (int64_t c = 0; c < ch; ++c) best[c] = static_cast<C>(xr[c]);
          first = false;
        } else {
          for (int64_t c = 0; c < ch; ++c) {
            C v = static_cast<C>(xr[c]);
            best[c] = v > best[c] ? v : best[c];
          }
        }
      });
      T* yr = y + t * ch;
      for (int64_t c = 0; c < ch; ++c) yr[c] = static_cast<T>(best[c]);
    }
  });
}

template <class T>
void avg_pool_loop(const WindowGeometry& g, const T* x, T* y) {
  using C = compute_t<T>;
  int64_t isz = g.in_size(), osz = g.out_size(), ch = g.channels;
  parallel_for(g.batch * osz, g.window_size() * ch, [&](int64_t lo, int64_t hi) {
    std::vector<C> sum(ch);
    for (int64_t t = lo; t < hi; ++t) {
      int64_t n = t / osz, os = t % osz, count = 0;
      std::fill(sum.begin(), sum.end(), C(0));
      for_each_tap(g, os, [&](int64_t, int64_t is) {
        const T* xr = x + (n * isz + is) * ch;
        for (int64_t c = 0; c < ch; ++c) sum[c] += static_cast<C>(xr[c]);
        ++count;
      });
      T* yr = y + t * ch;
      for (int64_t c = 0; c < ch; ++c) yr[c] = static_cast<T>(sum[c] / static_cast<C>(count));
    }
  });
}

template <class T>
void max_pool_backward_loop(const WindowGeometry& g, const T* x, const T* dy, T* dx) {
  using C = compute_t<T>;
  int64_t isz = g.in_size(), osz = g.out_size(), ch = g.channels;
  std::fill(dx, dx + g.batch * isz * ch, T(0));
  // Windows of one image overlap, so parallelize over the batch only.
  parallel_for(g.batch, osz * g.window_size() * ch, [&](int64_t lo, int64_t hi) {
    std::vector<C> best(ch);
    std::vector<int64_t> arg(ch);
    for (int64_t n = lo; n < hi; ++n)
      for (int64_t os = 0; os < osz; ++os) {
        bool first = true;
        for_each_tap(g, os, [&](int64_t, int64_t is) {
          const T* xr = x + (n * isz + is) * ch;
          for (int64_t c = 0; c < ch; ++c) {
            C v = static_cast<C>(xr[c]);
            if (first || v > best[c]) {
              best[c] = v;
              arg[c] = is;
            }
          }
          first = false;
        });
        const T* dyr = dy + (n * osz + os) * ch;
        for (int64_t c = 0; c < ch; ++c) {
          T& d = dx[(n * isz + arg[c]) * ch + c];
          d = static_cast<T>(static_cast<C>(d) + static_cast<C>(dyr[c]));
        }
      }
  });
}

// Windows that tile the input without overlap or padding (strides equal to pool_size, the usual
// MaxPooling2D(2)): each input element is in at most one window, so the gradient is written in
// one pass over x, dy and dx (dy at each window's first maximum, zero at the other taps),
// in parallel over windows. oneDNN's backward must first rerun the forward pass to get its
// workspace of argmax positions: for the convnet's first pooling (128x26x26x32, one thread) its
// two primitives took 5.7 + 6.4 ms, this loop about 4 ms.
bool windows_tile(const WindowGeometry& g) {
  for (int d = 0; d < g.nsp; ++d)
    if (g.strides[d] != g.window[d] || g.pad_l[d] != 0 || g.pad_r[d] != 0) return false;
  return true;
}

// Relu: the gradient then goes back through a relu whose output x is (compiled steps'
// max_pool_backward_relu, graph_compiler.hpp): each dy is multiplied by (x > 0 ? 1 : 0) at its
// maximum, the value the one-op kernels compute.
template <class T, bool Relu = false>
void max_pool_backward_tiled(const WindowGeometry& g, const T* x, const T* dy, T* dx) {
  using C = compute_t<T>;
  int64_t isz = g.in_size(), osz = g.out_size(), ch = g.channels, ws = g.window_size();
  bool covered = true;  // false: trailing rows/columns no window reads; they get zeros
  for (int d = 0; d < g.nsp; ++d) covered = covered && g.out[d] * g.window[d] == g.in[d];
  if (!covered)
    parallel_for(g.batch * isz * ch, 1,
                 [&](int64_t lo, int64_t hi) { std::fill(dx + lo, dx + hi, T(0)); });
  constexpr int64_t kBlock = 64;  // channels per pass: local arrays the compiler can vectorize
  parallel_for(g.batch * osz, 3 * ws * ch, [&](int64_t lo, int64_t hi) {
    std::vector<int64_t> taps(static_cast<size_t>(ws));
    C best[kBlock];
    int32_t arg[kBlock];
    for (int64_t t = lo; t < hi; ++t) {
      int64_t n = t / osz, os = t % osz;
      int32_t nt = 0;
      for_each_tap(g, os, [&](int64_t, int64_t is) { taps[nt++] = (n * isz + is) * ch; });
      for (int64_t c0 = 0; c0 < ch; c0 += kBlock) {
        int64_t m = std::min(kBlock, ch - c0);
        const T* x0 = x + taps[0] + c0;
        for (int64_t c = 0; c < m; ++c) {
          best[c] = static_cast<C>(x0[c]);
          arg[c] = 0;
        }
        for (int32_t k = 1; k < nt; ++k) {
          const T* xk = x + taps[k] + c0;
          for (int64_t c = 0; c < m; ++c) {
            C v = static_cast<C>(xk[c]);
            // Branch-free (a mask, not a conditional) so the loop vectorizes.
            int32_t better = -static_cast<int32_t>(v > best[c]);
            best[c] = v > best[c] ? v : best[c];
            arg[c] = (arg[c] & ~better) | (k & better);
          }
        }
        const T* dyr = dy + t * ch + c0;
        T masked[kBlock];
        if constexpr (Relu) {
          for (int64_t c = 0; c < m; ++c) masked[c] = dyr[c] * (best[c] > C(0) ? T(1) : T(0));
          dyr = masked;
        }
        for (int32_t k = 0; k < nt; ++k) {
          T* d = dx + taps[k] + c0;
          if constexpr (std::is_same_v<T, float>) {
            for (int64_t c = 0; c < m; ++c) {
              uint32_t keep = -static_cast<uint32_t>(arg[c] == k);
              d[c] = std::bit_cast<float>(std::bit_cast<uint32_t>(dyr[c]) & keep);
            }
          } else {
            for (int64_t c = 0; c < m; ++c) d[c] = arg[c] == k ? dyr[c] : T(0);
          }
        }
      }
    }
  });
}

template <class T>
void avg_pool_backward_loop(const WindowGeometry& g, const T* dy, T* dx) {
  using C = compute_t<T>;
  int64_t isz = g.in_size(), osz = g.out_size(), ch = g.channels;
  std::fill(dx, dx + g.batch * isz * ch, T(0));
  parallel_for(g.batch, osz * g.window_size() * ch, [&](int64_t lo, int64_t hi) {
    std::vector<int64_t> taps;
    for (int64_t n = lo; n < hi; ++n)
      for (int64_t os = 0; os < osz; ++os) {
        taps.clear();
        for_each_tap(g, os, [&](int64_t, int64_t is) { taps.push_back(is); });
        const T* dyr = dy + (n * osz + os) * ch;
        C inv = C(1) / static_cast<C>(taps.size());
        for (int64_t is : taps) {
          T* d = dx + (n * isz + is) * ch;
          for (int64_t c = 0; c < ch; ++c)
            d[c] = static_cast<T>(static_cast<C>(d[c]) + static_cast<C>(dyr[c]) * inv);
        }
      }
  });
}

bool use_dnnl(const WindowGeometry& g, DType dt, int64_t size) {
  return dt == DType::Float32 && g.nsp <= 3 && size > 0;
}

}  // namespace

Tensor CpuBackend::max_pool_impl(const Tensor& x, const PoolParams& p) {
  ProfileScope prof("max_pool");
  WindowGeometry g = pool_geometry(x.shape(), p, "max_pool");
  Tensor out = empty(pooled_shape(g), x.dtype());
  if (out.size() == 0) return out;
  if (use_dnnl(g, x.dtype(), x.size())) {
    auto e = pool_entry(*caches_, g, true, false);
    dnnl_call("max_pool", [&] {
      memory xm(e->src_md, caches_->engine, data<float>(x));
      memory ym(e->dst_md, caches_->engine, data<float>(out));
      e->fwd.execute(caches_->stream(), {{DNNL_ARG_SRC, xm}, {DNNL_ARG_DST, ym}});
      caches_->stream().wait();
    });
    return out;
  }
  visit_dtype(x.dtype(), [&]<class T>() {
    if constexpr (std::is_same_v<T, bool>)
      throw_dtype("max_pool", x.dtype());
    else
      max_pool_loop<T>(g, data<T>(x), data<T>(out));
  });
  return out;
}

Tensor CpuBackend::avg_pool_impl(const Tensor& x, const PoolParams& p) {
  ProfileScope prof("avg_pool");
  WindowGeometry g = pool_geometry(x.shape(), p, "avg_pool");
  if (!is_floating(x.dtype())) throw_dtype("avg_pool", x.dtype());
  Tensor out = empty(pooled_shape(g), x.dtype());
  if (out.size() == 0) return out;
  if (use_dnnl(g, x.dtype(), x.size())) {
    auto e = pool_entry(*caches_, g, false, false);
    dnnl_call("avg_pool", [&] {
      memory xm(e->src_md, caches_->engine, data<float>(x));
      memory ym(e->dst_md, caches_->engine, data<float>(out));
      e->fwd.execute(caches_->stream(), {{DNNL_ARG_SRC, xm}, {DNNL_ARG_DST, ym}});
      caches_->stream().wait();
    });
    return out;
  }
  visit_dtype(x.dtype(), [&]<class T>() {
    if constexpr (is_float_v<T>) avg_pool_loop<T>(g, data<T>(x), data<T>(out));
  });
  return out;
}

Tensor CpuBackend::max_pool_backward_impl(const Tensor& x, const Tensor& grad,
                                          const PoolParams& p) {
  ProfileScope prof("max_pool_backward");
  const char* op = "max_pool_backward";
  WindowGeometry g = pool_geometry(x.shape(), p, op);
  if (grad.shape() != pooled_shape(g) || grad.dtype() != x.dtype())
    throw ValueError(std::string("cpu backend: ops::") + op + ": gradient of shape " +
                     grad.shape().to_string() + " (" + std::string(dtype_name(grad.dtype())) +
                     ") does not match the pooled shape " + pooled_shape(g).to_string());
  if (!is_floating(x.dtype())) throw_dtype(op, x.dtype());
  Tensor dx = empty(x.shape(), x.dtype());
  if (dx.size() == 0) return dx;
  if (windows_tile(g)) {
    visit_dtype(x.dtype(), [&]<class T>() {
      if constexpr (is_float_v<T>)
        max_pool_backward_tiled<T>(g, data<T>(x), data<T>(grad), data<T>(dx));
    });
    return dx;
  }
  if (use_dnnl(g, x.dtype(), grad.size())) {
    auto e = pool_entry(*caches_, g, true, true);
    dnnl_call(op, [&] {
      auto& eng = caches_->engine;
      memory xm(e->src_md, eng, data<float>(x));
      memory ym(e->dst_md, eng);  // forward output, recomputed for the workspace
      memory ws(e->ws_md, eng);
      e->fwd.execute(caches_->stream(),
                     {{DNNL_ARG_SRC, xm}, {DNNL_ARG_DST, ym}, {DNNL_ARG_WORKSPACE, ws}});
      memory dym(e->dst_md, eng, data<float>(grad));
      memory dxm(e->src_md, eng, data<float>(dx));
      e->bwd.execute(
          caches_->stream(),
          {{DNNL_ARG_DIFF_DST, dym}, {DNNL_ARG_WORKSPACE, ws}, {DNNL_ARG_DIFF_SRC, dxm}});
      caches_->stream().wait();
    });
    return dx;
  }
  visit_dtype(x.dtype(), [&]<class T>() {
    if constexpr (is_float_v<T>)
      max_pool_backward_loop<T>(g, data<T>(x), data<T>(grad), data<T>(dx));
  });
  return dx;
}

Tensor CpuBackend::avg_pool_backward_impl(const Tensor& grad, const Shape& x_shape,
                                          const PoolParams& p) {
  ProfileScope prof("avg_pool_backward");
  const char* op = "avg_pool_backward";
  WindowGeometry g = pool_geometry(x_shape, p, op);
  if (grad.shape() != pooled_shape(g))
    throw ValueError(std::string("cpu backend: ops::") + op + ": gradient of shape " +
                     grad.shape().to_string() + " does not match the pooled shape " +
                     pooled_shape(g).to_string());
  if (!is_floating(grad.dtype())) throw_dtype(op, grad.dtype());
  Tensor dx = empty(x_shape, grad.dtype());
  if (dx.size() == 0) return dx;
  if (use_dnnl(g, grad.dtype(), grad.size())) {
    auto e = pool_entry(*caches_, g, false, true);
    dnnl_call(op, [&] {
      auto& eng = caches_->engine;
      memory dym(e->dst_md, eng, data<float>(grad));
      memory dxm(e->src_md, eng, data<float>(dx));
      e->bwd.execute(caches_->stream(), {{DNNL_ARG_DIFF_DST, dym}, {DNNL_ARG_DIFF_SRC, dxm}});
      caches_->stream().wait();
    });
    return dx;
  }
  visit_dtype(grad.dtype(), [&]<class T>() {
    if constexpr (is_float_v<T>) avg_pool_backward_loop<T>(g, data<T>(grad), data<T>(dx));
  });
  return dx;
}

Tensor max_pool_backward_relu(CpuBackend& be, const Tensor& x, const Tensor& grad,
                              const PoolParams& p) {
  WindowGeometry g = pool_geometry(x.shape(), p, "max_pool_backward");
  if (x.dtype() != DType::Float32 || grad.dtype() != DType::Float32 || !windows_tile(g) ||
      grad.shape() != pooled_shape(g)) {  // as traced: the pooling gradient, then the relu mask
    Tensor mask = be.cast(be.binary(BinaryOp::Greater, x, be.full({}, x.dtype(), 0.0)), x.dtype());
    return be.binary(BinaryOp::Multiply, be.max_pool_backward(x, grad, p), mask);
  }
  ProfileScope prof("max_pool_backward", "relu");
  Tensor dx = be.empty(x.shape(), DType::Float32);
  if (dx.size() > 0)
    max_pool_backward_tiled<float, true>(g, data<float>(x), data<float>(grad), data<float>(dx));
  return dx;
}

}  // namespace keras::backend::cpu
