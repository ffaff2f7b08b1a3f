// Elementwise unary kernels. Every dtype runs one contiguous loop the compiler can vectorize;
// float16/bfloat16 compute in float.
#include <cmath>

#include "backends/cpu/cpu_common.hpp"
#include "backends/cpu/eltwise_dnnl.hpp"
#include "backends/cpu/math_functions.hpp"
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

// Relative cost of transcendental functions versus a load/store, for the threading threshold.
constexpr int64_t kCheap = 1, kTranscendental = 16;

template <class T>
Tensor unary_typed(CpuBackend& be, UnaryOp op, const Tensor& x) {
  using C = compute_t<T>;
  auto same = [&](int64_t cost, auto f) {
    Tensor out = be.empty(x.shape(), x.dtype());
    map_unary<T, T>(x, out, cost, f);
    return out;
  };
  auto boolean = [&](auto f) {
    Tensor out = be.empty(x.shape(), DType::Bool);
    map_unary<T, bool>(x, out, kCheap, f);
    return out;
  };
  auto unsupported = [&]() -> Tensor { throw_dtype(unary_op_name(op), x.dtype()); };
  constexpr bool kFloat = is_float_v<T>;
  constexpr bool kInt = is_int_v<T>;
  constexpr bool kBool = std::is_same_v<T, bool>;

// A floating-only op: `v` is the element in the compute type C.
#define KERAS_FLOAT_OP(OP, COST, EXPR)                  \
  case UnaryOp::OP:                                     \
    if constexpr (kFloat)                               \
      return same(COST, [](C v) -> C { return EXPR; }); \
    else                                                \
      return unsupported();

  switch (op) {
    case UnaryOp::Negative:
      if constexpr (kBool)
        return unsupported();
      else if constexpr (kInt)
        return same(kCheap, [](C v) { return wrap_sub<C>(C(0), v); });
      else
        return same(kCheap, [](C v) { return -v; });
    case UnaryOp::Abs:
      if constexpr (kBool || std::is_unsigned_v<T>)
        return be.alias(x, x.shape());
      else if constexpr (kInt)
        return same(kCheap, [](C v) { return v < 0 ? wrap_sub<C>(C(0), v) : v; });
      else
        return same(kCheap, [](C v) { return std::fabs(v); });
    case UnaryOp::Sign:
      if constexpr (kBool)
        return be.alias(x, x.shape());
      else if constexpr (kInt)
        return same(kCheap, [](C v) { return C((v > 0) - (v < 0)); });
      else
        return same(kCheap, [](C v) {
          return v > C(0) ? C(1) : (v < C(0) ? C(-1) : (v == C(0) ? C(0) : v));
        });
    case UnaryOp::Square:
      if constexpr (kBool)
        return be.alias(x, x.shape());
      else if constexpr (kInt)
        return same(kCheap, [](C v) { return wrap_mul(v, v); });
      else
        return same(kCheap, [](C v) { return v * v; });
    case UnaryOp::Reciprocal:
      if constexpr (kBool)
        return unsupported();
      else if constexpr (kInt)
        return same(kCheap, [](C v) { return v == 0 ? C(0) : C(C(1) / v); });
      else
        return same(kCheap, [](C v) { return C(1) / v; });
    case UnaryOp::Floor:
      if constexpr (!kFloat)
        return be.alias(x, x.shape());
      else
        return same(kCheap, [](C v) { return std::floor(v); });
    case UnaryOp::Ceil:
      if constexpr (!kFloat)
        return be.alias(x, x.shape());
      else
        return same(kCheap, [](C v) { return std::ceil(v); });
    case UnaryOp::Round:  // half to even under the default rounding mode
      if constexpr (!kFloat)
        return be.alias(x, x.shape());
      else
        return same(kCheap, [](C v) { return std::nearbyint(v); });
    case UnaryOp::Trunc:
      if constexpr (!kFloat)
        return be.alias(x, x.shape());
      else
        return same(kCheap, [](C v) { return std::trunc(v); });
      KERAS_FLOAT_OP(Sqrt, kCheap, std::sqrt(v))
      KERAS_FLOAT_OP(Rsqrt, kCheap, C(1) / std::sqrt(v))
      KERAS_FLOAT_OP(Exp, kTranscendental, std::exp(v))
      KERAS_FLOAT_OP(Exp2, kTranscendental, std::exp2(v))
      KERAS_FLOAT_OP(Expm1, kTranscendental, std::expm1(v))
      KERAS_FLOAT_OP(Log, kTranscendental, std::log(v))
      KERAS_FLOAT_OP(Log1p, kTranscendental, std::log1p(v))
      KERAS_FLOAT_OP(Log2, kTranscendental, std::log2(v))
      KERAS_FLOAT_OP(Log10, kTranscendental, std::log10(v))
      KERAS_FLOAT_OP(Sin, kTranscendental, std::sin(v))
      KERAS_FLOAT_OP(Cos, kTranscendental, std::cos(v))
      KERAS_FLOAT_OP(Tan, kTranscendental, std::tan(v))
      KERAS_FLOAT_OP(Arcsin, kTranscendental, std::asin(v))
      KERAS_FLOAT_OP(Arccos, kTranscendental, std::acos(v))
      KERAS_FLOAT_OP(Arctan, kTranscendental, std::atan(v))
      KERAS_FLOAT_OP(Sinh, kTranscendental, std::sinh(v))
      KERAS_FLOAT_OP(Cosh, kTranscendental, std::cosh(v))
      KERAS_FLOAT_OP(Tanh, kTranscendental, std::tanh(v))
      KERAS_FLOAT_OP(Arcsinh, kTranscendental, std::asinh(v))
      KERAS_FLOAT_OP(Arccosh, kTranscendental, std::acosh(v))
      KERAS_FLOAT_OP(Arctanh, kTranscendental, std::atanh(v))
      KERAS_FLOAT_OP(Erf, kTranscendental, std::erf(v))
      KERAS_FLOAT_OP(Erfinv, 4 * kTranscendental, C(math::erfinv(static_cast<double>(v))))
      KERAS_FLOAT_OP(Sigmoid, kTranscendental, math::sigmoid(v))
      KERAS_FLOAT_OP(Softplus, 2 * kTranscendental, math::softplus(v))
      KERAS_FLOAT_OP(Silu, kTranscendental, v * math::sigmoid(v))
      KERAS_FLOAT_OP(GeluExact, kTranscendental, math::gelu_exact(v))
      KERAS_FLOAT_OP(GeluTanh, kTranscendental, math::gelu_tanh(v))
      KERAS_FLOAT_OP(LogSigmoid, 2 * kTranscendental, math::log_sigmoid(v))
    case UnaryOp::Relu:
      if constexpr (kBool || std::is_unsigned_v<T>)
        return be.alias(x, x.shape());
      else if constexpr (kInt)
        return same(kCheap, [](C v) { return v > 0 ? v : C(0); });
      else
        return same(kCheap, [](C v) { return v != v ? v : (v > C(0) ? v : C(0)); });
    case UnaryOp::LogicalNot:
      return boolean([](C v) { return !(v != C(0)); });
    case UnaryOp::IsNan:
      if constexpr (kFloat)
        return boolean([](C v) { return v != v; });
      else
        return boolean([](C) { return false; });
    case UnaryOp::IsInf:
      if constexpr (kFloat)
        return boolean([](C v) { return std::isinf(v); });
      else
        return boolean([](C) { return false; });
    case UnaryOp::IsFinite:
      if constexpr (kFloat)
        return boolean([](C v) { return std::isfinite(v); });
      else
        return boolean([](C) { return true; });
    case UnaryOp::BitwiseNot:
      if constexpr (kBool)
        return same(kCheap, [](C v) { return !v; });
      else if constexpr (kInt)
        return same(kCheap, [](C v) { return C(~v); });
      else
        return unsupported();
  }
#undef KERAS_FLOAT_OP
  return unsupported();
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
