// Elementwise unary kernels. Every dtype runs one contiguous loop the compiler can vectorize;
// float16/bfloat16 compute in float.
#include "backends/cpu/cpu_common.hpp"
#include "backends/cpu/elementwise_ops.hpp"
#include "backends/cpu/eltwise_dnnl.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

template <class T, class O, class F>
void map_unary(const Tensor& x, const Tensor& out, int64_t cost, F f) {
  using C = compute_t<T>;
  const T* s = data<T>(x);
  O* d = data<O>(out);
  parallel_for(x.size(), cost, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) d[i] = static_cast<O>(f(static_cast<C>(s[i])));
  });
}

template <class T>
Tensor unary_typed(CpuBackend& be, UnaryOp op, const Tensor& x) {
  return with_unary_op<T>(
      op, Overload{[&]<class O>(Out<O>, int64_t cost, auto f) {
                     Tensor out =
                         be.empty(x.shape(), std::is_same_v<O, T> ? x.dtype() : DType::Bool);
                     map_unary<T, O>(x, out, cost, f);
                     return out;
                   },
                   [&](Identity) { return be.alias(x, x.shape()); },
                   [&](Unsupported) -> Tensor { throw_dtype(unary_op_name(op), x.dtype()); }});
}

}  // namespace

Tensor CpuBackend::unary_impl(UnaryOp op, const Tensor& x) {
  ProfileScope prof("unary", unary_op_name(op));
  if (x.dtype() == DType::Float32 && x.size() >= kDnnlEltwiseMinElements &&
      dnnl_supports_unary(op)) {
    Tensor out = empty(x.shape(), x.dtype());
    dnnl_unary_f32(*caches_, op, data<float>(x), data<float>(out), x.size());
    return out;
  }
  return visit_dtype(x.dtype(), [&]<class T>() { return unary_typed<T>(*this, op, x); });
}

}  // namespace keras::backend::cpu
