// softmax and log_softmax along one axis: oneDNN's softmax_v2 (JIT, vectorized exp) for float32,
// a max-subtracted loop in the compute type for the other floating dtypes.
#include <cmath>

#include "backends/cpu/dnnl_context.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

void softmax_f32_dnnl(CpuBackend::Caches& c, const float* x, float* y, AxisView v, bool log) {
  using dnnl::memory;
  std::string key = log ? "logsoftmax:" : "softmax:";
  key_append_all(key, std::array<int64_t, 3>{v.outer, v.n, v.inner});
  struct Entry {
    memory::desc md;
    dnnl::softmax_v2_forward prim;
  };
  auto e = c.get<Entry>(key, [&] {
    return dnnl_call("softmax", [&] {
      memory::desc md({v.outer, v.n, v.inner}, memory::data_type::f32, memory::format_tag::abc);
      dnnl::softmax_v2_forward::desc d(
          dnnl::prop_kind::forward_inference,
          log ? dnnl::algorithm::softmax_log : dnnl::algorithm::softmax_accurate, md, md, 1);
      dnnl::softmax_v2_forward::primitive_desc pd(d, c.engine);
      return std::make_shared<Entry>(Entry{md, dnnl::softmax_v2_forward(pd)});
    });
  });
  dnnl_call("softmax", [&] {
    memory xm(e->md, c.engine, const_cast<float*>(x));
    memory ym(e->md, c.engine, y);
    e->prim.execute(c.stream(), {{DNNL_ARG_SRC, xm}, {DNNL_ARG_DST, ym}});
    c.stream().wait();
  });
}

template <class T>
void softmax_loop(const T* x, T* y, AxisView v, bool log) {
  using C = compute_t<T>;
  parallel_for(v.outer * v.inner, v.n * 16, [&](int64_t b, int64_t e) {
    std::vector<C> buf(v.n);
    for (int64_t line = b; line < e; ++line) {
      int64_t o = line / v.inner, j = line % v.inner;
      const T* px = x + o * v.n * v.inner + j;
      T* py = y + o * v.n * v.inner + j;
      C mx = -std::numeric_limits<C>::infinity();
      for (int64_t r = 0; r < v.n; ++r) {
        buf[r] = static_cast<C>(px[r * v.inner]);
        mx = buf[r] > mx || buf[r] != buf[r] ? buf[r] : mx;
      }
      if (std::isinf(mx)) mx = mx > 0 ? mx : C(0);  // all -inf rows: avoid inf - inf here
      C sum = 0;
      for (int64_t r = 0; r < v.n; ++r) sum += std::exp(buf[r] - mx);
      if (log) {
        C lse = std::log(sum);
        for (int64_t r = 0; r < v.n; ++r) py[r * v.inner] = static_cast<T>(buf[r] - mx - lse);
      } else {
        C inv = C(1) / sum;
        for (int64_t r = 0; r < v.n; ++r)
          py[r * v.inner] = static_cast<T>(std::exp(buf[r] - mx) * inv);
      }
    }
  });
}

Tensor softmax_kernel(CpuBackend& be, CpuBackend::Caches& c, const Tensor& x, int axis, bool log) {
  const Shape& s = x.shape();
  const char* name = log ? "log_softmax" : "softmax";
  if (!is_floating(x.dtype())) throw_dtype(name, x.dtype());
  if (s.rank() == 0) return be.full(s, x.dtype(), log ? 0.0 : 1.0);
  if (axis < 0 || axis >= s.rank())
    throw ValueError(std::string("cpu backend: ops::") + name + ": axis " + std::to_string(axis) +
                     " is out of bounds for a tensor of shape " + s.to_string());
  Tensor out = be.empty(s, x.dtype());
  if (out.size() == 0) return out;
  AxisView v = axis_view(s, axis);
  visit_dtype(x.dtype(), [&]<class T>() {
    if constexpr (std::is_same_v<T, float>)
      softmax_f32_dnnl(c, data<float>(x), data<float>(out), v, log);
    else if constexpr (is_float_v<T>)
      softmax_loop<T>(data<T>(x), data<T>(out), v, log);
  });
  return out;
}

}  // namespace

Tensor CpuBackend::softmax_impl(const Tensor& x, int axis) {
  ProfileScope prof("softmax");
  return softmax_kernel(*this, *caches_, x, axis, false);
}

Tensor CpuBackend::log_softmax_impl(const Tensor& x, int axis) {
  ProfileScope prof("log_softmax");
  return softmax_kernel(*this, *caches_, x, axis, true);
}

}  // namespace keras::backend::cpu
