// Convolution forward, backprop-input and backprop-filter, channels_last with Keras's kernel
// layout (*kernel_spatial, in_channels / groups, out_channels). float32 (and the 16-bit floats,
// through float32) run oneDNN primitives, cached by geometry; the Keras weights are described
// to oneDNN with explicit strides and reordered into the layout the primitive prefers. float64
// (used by gradient checks) runs a direct loop.
#include "backends/cpu/conv_geometry.hpp"
#include "backends/cpu/dnnl_context.hpp"
#include "backends/cpu/graph_compiler.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

struct ConvGeometry : WindowGeometry {
  int64_t in_channels = 0, out_channels = 0, groups = 1;
};

ConvGeometry conv_geometry(const Shape& x, const Shape& k, const ConvParams& p, const char* op) {
  ConvGeometry g;
  g.nsp = x.rank() - 2;
  bool ok = g.nsp >= 1 && k.rank() == x.rank() && p.groups >= 1 &&
            static_cast<int>(p.strides.size()) == g.nsp &&
            static_cast<int>(p.dilation.size()) == g.nsp &&
            static_cast<int>(p.padding.size()) == g.nsp;
  if (ok) {
    g.batch = x[0];
    g.in_channels = x[x.rank() - 1];
    g.out_channels = k[k.rank() - 1];
    g.groups = p.groups;
    ok = g.in_channels % g.groups == 0 && g.out_channels % g.groups == 0 &&
         k[k.rank() - 2] * g.groups == g.in_channels;
  }
  if (!ok)
    throw ValueError(std::string("cpu backend: ops::") + op + ": input of shape " + x.to_string() +
                     " and kernel of shape " + k.to_string() + " with groups " +
                     std::to_string(p.groups) + " do not match (channels_last input, kernel " +
                     "(*kernel_size, in_channels / groups, out_channels))");
  for (int d = 0; d < g.nsp; ++d) {
    g.in.push_back(x[d + 1]);
    g.window.push_back(k[d]);
    g.pad_l.push_back(p.padding[d].first);
    g.pad_r.push_back(p.padding[d].second);
  }
  g.strides = p.strides;
  g.dilation = p.dilation;
  compute_output_dims(g, op);
  return g;
}

Shape out_shape_of(const ConvGeometry& g) {
  Shape s{g.batch};
  s.insert(s.end(), g.out.begin(), g.out.end());
  s.push_back(g.out_channels);
  return s;
}

// ---- oneDNN (float32) ----
using dnnl::memory;

memory::format_tag channels_last_tag(int nsp) {
  return nsp == 1   ? memory::format_tag::nwc
         : nsp == 2 ? memory::format_tag::nhwc
                    : memory::format_tag::ndhwc;
}

// The Keras kernel buffer as a oneDNN weights descriptor: (O, I, *K) or (G, O/G, I, *K).
memory::desc keras_weights_md(const ConvGeometry& g) {
  int64_t o = g.out_channels, og = o / g.groups, cg = g.in_channels / g.groups;
  memory::dims dims, strides;
  std::vector<int64_t> kst(g.nsp);
  int64_t acc = cg * o;
  for (int d = g.nsp - 1; d >= 0; --d) {
    kst[d] = acc;
    acc *= g.window[d];
  }
  if (g.groups > 1) {
    dims = {g.groups, og, cg};
    strides = {og, 1, o};
  } else {
    dims = {o, cg};
    strides = {1, o};
  }
  for (int d = 0; d < g.nsp; ++d) {
    dims.push_back(g.window[d]);
    strides.push_back(kst[d]);
  }
  return memory::desc(dims, memory::data_type::f32, strides);
}

memory::desc any_weights_md(const ConvGeometry& g) {
  memory::dims dims;
  if (g.groups > 1)
    dims = {g.groups, g.out_channels / g.groups, g.in_channels / g.groups};
  else
    dims = {g.out_channels, g.in_channels};
  for (int d = 0; d < g.nsp; ++d) dims.push_back(g.window[d]);
  return memory::desc(dims, memory::data_type::f32, memory::format_tag::any);
}

memory::desc act_md(const ConvGeometry& g, int64_t channels, const std::vector<int64_t>& sp) {
  memory::dims dims{g.batch, channels};
  dims.insert(dims.end(), sp.begin(), sp.end());
  return memory::desc(dims, memory::data_type::f32, channels_last_tag(g.nsp));
}

std::string geometry_key(const char* tag, const ConvGeometry& g) {
  std::string k = tag;
  k += ':';
  key_append_all(k, std::array<int64_t, 5>{g.batch, g.in_channels, g.out_channels, g.groups,
                                           static_cast<int64_t>(g.nsp)});
  key_append_all(k, g.in);
  key_append_all(k, g.window);
  key_append_all(k, g.strides);
  key_append_all(k, g.dilation);
  key_append_all(k, g.pad_l);
  key_append_all(k, g.pad_r);
  return k;
}

memory::dims dnnl_dilation(const ConvGeometry& g) {
  memory::dims d;
  for (int64_t v : g.dilation) d.push_back(v - 1);  // oneDNN counts the gaps
  return d;
}

// With `bias`, the primitive adds a bias over the output channels; with `relu`, a relu post-op
// follows (compiled steps' conv + bias + relu, graph_compiler.hpp).
dnnl::convolution_forward::primitive_desc forward_pd(const ConvGeometry& g, dnnl::engine& eng,
                                                     bool bias = false, bool relu = false) {
  auto prop = dnnl::prop_kind::forward_training;
  auto algo = dnnl::algorithm::convolution_direct;
  memory::desc src = act_md(g, g.in_channels, g.in), dst = act_md(g, g.out_channels, g.out);
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
    attr.set_post_ops(ops);
  }
  if (bias) {
    memory::desc bias_md({g.out_channels}, memory::data_type::f32, memory::format_tag::a);
    dnnl::convolution_forward::desc d(prop, algo, src, any_weights_md(g), bias_md, dst, g.strides,
                                      dnnl_dilation(g), g.pad_l, g.pad_r);
    return dnnl::convolution_forward::primitive_desc(d, attr, eng);
  }
  dnnl::convolution_forward::desc d(prop, algo, src, any_weights_md(g), dst, g.strides,
                                    dnnl_dilation(g), g.pad_l, g.pad_r);
  return dnnl::convolution_forward::primitive_desc(d, attr, eng);
}

enum class ConvMode { Forward, BackpropInput, BackpropFilter };

struct ConvEntry {
  memory::desc src_md, dst_md, user_w_md, prim_w_md;
  dnnl::primitive prim;
  dnnl::reorder
      w_reorder;  // user -> primitive (forward/backprop input), primitive -> user (filter)
  bool needs_reorder = false;
};

// a, b: the two tensors given; out: the result. Forward: (x, w) -> y, plus `bias` (per output
// channel) and then relu when given. BackpropInput: (dy, w) -> dx. BackpropFilter: (x, dy) -> dw.
void conv_f32(CpuBackend::Caches& c, ConvMode mode, const ConvGeometry& g, const float* a,
              const float* b, float* out, const float* bias = nullptr, bool relu = false) {
  const char* tag = mode == ConvMode::Forward
                        ? (bias ? (relu ? "conv_bias_relu" : "conv_bias") : "conv")
                    : mode == ConvMode::BackpropInput ? "conv_bwd_data"
                                                      : "conv_bwd_weights";
  auto e = c.get<ConvEntry>(geometry_key(tag, g), [&] {
    return dnnl_call(tag, [&] {
      auto en = std::make_shared<ConvEntry>();
      en->src_md = act_md(g, g.in_channels, g.in);
      en->dst_md = act_md(g, g.out_channels, g.out);
      en->user_w_md = keras_weights_md(g);
      auto fwd = forward_pd(g, c.engine);
      if (mode == ConvMode::Forward) {
        if (bias) fwd = forward_pd(g, c.engine, true, relu);
        en->prim_w_md = fwd.weights_desc();
        en->prim = dnnl::convolution_forward(fwd);
      } else if (mode == ConvMode::BackpropInput) {
        dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, en->src_md,
                                                any_weights_md(g), en->dst_md, g.strides,
                                                dnnl_dilation(g), g.pad_l, g.pad_r);
        dnnl::convolution_backward_data::primitive_desc pd(d, c.engine, fwd);
        en->prim_w_md = pd.weights_desc();
        en->prim = dnnl::convolution_backward_data(pd);
      } else {
        dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, en->src_md,
                                                   any_weights_md(g), en->dst_md, g.strides,
                                                   dnnl_dilation(g), g.pad_l, g.pad_r);
        dnnl::convolution_backward_weights::primitive_desc pd(d, c.engine, fwd);
        en->prim_w_md = pd.diff_weights_desc();
        en->prim = dnnl::convolution_backward_weights(pd);
      }
      en->needs_reorder = en->prim_w_md != en->user_w_md;
      if (en->needs_reorder) {
        if (mode == ConvMode::BackpropFilter)
          en->w_reorder = dnnl::reorder(
              dnnl::reorder::primitive_desc(c.engine, en->prim_w_md, c.engine, en->user_w_md));
        else
          en->w_reorder = dnnl::reorder(
              dnnl::reorder::primitive_desc(c.engine, en->user_w_md, c.engine, en->prim_w_md));
      }
      return en;
    });
  });
  dnnl_call(tag, [&] {
    auto& s = c.stream();
    if (mode == ConvMode::Forward || mode == ConvMode::BackpropInput) {
      memory user_w(e->user_w_md, c.engine, const_cast<float*>(b));
      memory w = user_w;
      if (e->needs_reorder) {
        w = memory(e->prim_w_md, c.engine);
        e->w_reorder.execute(s, user_w, w);
      }
      if (mode == ConvMode::Forward) {
        memory x(e->src_md, c.engine, const_cast<float*>(a));
        memory y(e->dst_md, c.engine, out);
        std::unordered_map<int, memory> args{
            {DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, y}};
        if (bias)
          args[DNNL_ARG_BIAS] =
              memory(memory::desc({g.out_channels}, memory::data_type::f32, memory::format_tag::a),
                     c.engine, const_cast<float*>(bias));
        e->prim.execute(s, args);
      } else {
        memory dy(e->dst_md, c.engine, const_cast<float*>(a));
        memory dx(e->src_md, c.engine, out);
        e->prim.execute(s,
                        {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_SRC, dx}});
      }
    } else {
      memory x(e->src_md, c.engine, const_cast<float*>(a));
      memory dy(e->dst_md, c.engine, const_cast<float*>(b));
      memory user_dw(e->user_w_md, c.engine, out);
      memory dw = e->needs_reorder ? memory(e->prim_w_md, c.engine) : user_dw;
      e->prim.execute(s, {{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_WEIGHTS, dw}});
      if (e->needs_reorder) e->w_reorder.execute(s, dw, user_dw);
    }
    s.wait();
  });
}

// ---- direct loop (float64) ----
template <class T>
void conv_direct(ConvMode mode, const ConvGeometry& g, const T* a, const T* b, T* out) {
  int64_t cin = g.in_channels, cout = g.out_channels, groups = g.groups;
  int64_t cg = cin / groups, og = cout / groups;
  int64_t isz = g.in_size(), osz = g.out_size();
  if (mode == ConvMode::Forward) {  // a = x, b = w, out = y
    std::fill(out, out + g.batch * osz * cout, T(0));
    parallel_for(g.batch * osz, g.window_size() * cin * og, [&](int64_t lo, int64_t hi) {
      for (int64_t t = lo; t < hi; ++t) {
        int64_t n = t / osz, os = t % osz;
        T* y = out + t * cout;
        for_each_tap(g, os, [&](int64_t ks, int64_t is) {
          const T* x = a + (n * isz + is) * cin;
          const T* w = b + ks * cg * cout;
          for (int64_t gi = 0; gi < groups; ++gi)
            for (int64_t ci = 0; ci < cg; ++ci) {
              T xv = x[gi * cg + ci];
              const T* wr = w + ci * cout + gi * og;
              T* yr = y + gi * og;
              for (int64_t co = 0; co < og; ++co) yr[co] += xv * wr[co];
            }
        });
      }
    });
  } else if (mode == ConvMode::BackpropInput) {  // a = dy, b = w, out = dx
    std::fill(out, out + g.batch * isz * cin, T(0));
    parallel_for(g.batch, osz * g.window_size() * cin * og, [&](int64_t lo, int64_t hi) {
      for (int64_t n = lo; n < hi; ++n)
        for (int64_t os = 0; os < osz; ++os) {
          const T* dy = a + (n * osz + os) * cout;
          for_each_tap(g, os, [&](int64_t ks, int64_t is) {
            T* dx = out + (n * isz + is) * cin;
            const T* w = b + ks * cg * cout;
            for (int64_t gi = 0; gi < groups; ++gi)
              for (int64_t ci = 0; ci < cg; ++ci) {
                const T* wr = w + ci * cout + gi * og;
                const T* dyr = dy + gi * og;
                T acc = 0;
                for (int64_t co = 0; co < og; ++co) acc += dyr[co] * wr[co];
                dx[gi * cg + ci] += acc;
              }
          });
        }
    });
  } else {  // a = x, b = dy, out = dw
    std::fill(out, out + g.window_size() * cg * cout, T(0));
    for (int64_t n = 0; n < g.batch; ++n)
      for (int64_t os = 0; os < osz; ++os) {
        const T* dy = b + (n * osz + os) * cout;
        for_each_tap(g, os, [&](int64_t ks, int64_t is) {
          const T* x = a + (n * isz + is) * cin;
          T* dw = out + ks * cg * cout;
          for (int64_t gi = 0; gi < groups; ++gi)
            for (int64_t ci = 0; ci < cg; ++ci) {
              T xv = x[gi * cg + ci];
              T* dwr = dw + ci * cout + gi * og;
              const T* dyr = dy + gi * og;
              for (int64_t co = 0; co < og; ++co) dwr[co] += xv * dyr[co];
            }
        });
      }
  }
}

// Dispatches one conv kernel on dtype; a/b/out as in conv_f32.
Tensor run_conv(CpuBackend& be, CpuBackend::Caches& c, ConvMode mode, const ConvGeometry& g,
                const Tensor& a, const Tensor& b, const Shape& out_shape, const char* op) {
  DType dt = a.dtype();
  if (b.dtype() != dt)
    throw TypeError(std::string("cpu backend: ops::") + op + ": operands must share a dtype, got " +
                    std::string(dtype_name(dt)) + " and " + std::string(dtype_name(b.dtype())));
  if (dt == DType::Float16 || dt == DType::BFloat16) {
    Tensor r = run_conv(be, c, mode, g, be.cast(a, DType::Float32), be.cast(b, DType::Float32),
                        out_shape, op);
    return be.cast(r, dt);
  }
  Tensor out = be.empty(out_shape, dt);
  if (out.size() == 0) return out;
  bool empty_input = a.size() == 0 || b.size() == 0;
  if (dt == DType::Float32 && g.nsp <= 3 && !empty_input) {
    conv_f32(c, mode, g, data<float>(a), data<float>(b), data<float>(out));
  } else if (dt == DType::Float32) {
    conv_direct<float>(mode, g, data<float>(a), data<float>(b), data<float>(out));
  } else if (dt == DType::Float64) {
    conv_direct<double>(mode, g, data<double>(a), data<double>(b), data<double>(out));
  } else {
    throw_dtype(op, dt);
  }
  return out;
}

}  // namespace

Tensor CpuBackend::conv_impl(const Tensor& x, const Tensor& kernel, const ConvParams& p) {
  ProfileScope prof("conv");
  ConvGeometry g = conv_geometry(x.shape(), kernel.shape(), p, "conv");
  return run_conv(*this, *caches_, ConvMode::Forward, g, x, kernel, out_shape_of(g), "conv");
}

Tensor CpuBackend::conv_backprop_input_impl(const Tensor& grad, const Tensor& kernel,
                                            const Shape& x_shape, const ConvParams& p) {
  ProfileScope prof("conv_backprop_input");
  const char* op = "conv_backprop_input";
  ConvGeometry g = conv_geometry(x_shape, kernel.shape(), p, op);
  if (grad.shape() != out_shape_of(g))
    throw ValueError(std::string("cpu backend: ops::") + op + ": gradient of shape " +
                     grad.shape().to_string() + " does not match the output shape " +
                     out_shape_of(g).to_string());
  return run_conv(*this, *caches_, ConvMode::BackpropInput, g, grad, kernel, x_shape, op);
}

Tensor CpuBackend::conv_backprop_filter_impl(const Tensor& x, const Tensor& grad,
                                             const Shape& kernel_shape, const ConvParams& p) {
  ProfileScope prof("conv_backprop_filter");
  const char* op = "conv_backprop_filter";
  ConvGeometry g = conv_geometry(x.shape(), kernel_shape, p, op);
  if (grad.shape() != out_shape_of(g))
    throw ValueError(std::string("cpu backend: ops::") + op + ": gradient of shape " +
                     grad.shape().to_string() + " does not match the output shape " +
                     out_shape_of(g).to_string());
  return run_conv(*this, *caches_, ConvMode::BackpropFilter, g, x, grad, kernel_shape, op);
}

Tensor conv_bias_activation(CpuBackend& be, const Tensor& x, const Tensor& kernel,
                            const Tensor& bias, const ConvParams& p, bool relu) {
  ConvGeometry g = conv_geometry(x.shape(), kernel.shape(), p, "conv");
  bool fused = x.dtype() == DType::Float32 && kernel.dtype() == DType::Float32 &&
               bias.dtype() == DType::Float32 && g.nsp <= 3 && x.size() > 0 && kernel.size() > 0 &&
               bias.shape() == Shape{g.out_channels};
  if (!fused) {  // as traced: conv, add, relu
    Tensor y = be.binary(BinaryOp::Add, be.conv(x, kernel, p), bias);
    return relu ? be.unary(UnaryOp::Relu, y) : y;
  }
  ProfileScope prof("conv", relu ? "bias+relu" : "bias");
  Tensor out = be.empty(out_shape_of(g), DType::Float32);
  if (out.size() == 0) return out;
  conv_f32(caches(be), ConvMode::Forward, g, data<float>(x), data<float>(kernel), data<float>(out),
           data<float>(bias), relu);
  return out;
}

}  // namespace keras::backend::cpu
