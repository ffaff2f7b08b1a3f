#include "ops/elementwise_util.hpp"

namespace keras::ops::detail {

DType float_promote(const Tensor& a, const Tensor& b) { return float_result_type(promote(a, b)); }

DType float_or_f64(DType dtype) {
  if (is_floating(dtype)) return dtype;
  if (dtype == DType::Int64 || dtype == DType::UInt64) return DType::Float64;
  return config::floatx();
}

Tensor strong(const Tensor& x, const Tensor& like) {
  if (!x.impl()->weak || like.is_symbolic()) return x;
  return prepare(x, like.backend(), like.dtype());
}

Tensor constant_like(const Tensor& x, double value, DType dtype) {
  Backend& be = x.is_symbolic() ? backend::default_backend() : x.backend();
  return be.full({}, dtype, value);
}

Tensor composite(const char* op, const std::vector<Tensor>& xs, const CompositeForward& forward,
                 CompositeVjp vjp) {
  bool differentiable = false;
  for (const Tensor& x : xs) differentiable = differentiable || (x.defined() && needs_grad(x));
  if (!autodiff::is_recording() || !differentiable || any_symbolic(xs)) return forward(xs);
  std::vector<Tensor> detached;
  detached.reserve(xs.size());
  for (const Tensor& x : xs) detached.push_back(x.defined() ? stop_gradient(x) : x);
  Tensor y = forward(detached);
  if (!is_floating(y.dtype())) return y;
  autodiff::record(op, xs, {y}, [xs, y, vjp = std::move(vjp)](const std::vector<Tensor>& g) {
    std::vector<Tensor> grads = vjp(xs, y, g[0]);
    for (size_t i = 0; i < grads.size() && i < xs.size(); ++i)
      if (grads[i].defined() && xs[i].defined())
        grads[i] = unbroadcast(grads[i], xs[i].shape(), xs[i].dtype());
    return grads;
  });
  return y;
}

}  // namespace keras::ops::detail
