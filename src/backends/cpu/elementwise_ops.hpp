#pragma once
// The per-element functions of the cpu backend's elementwise ops, in one place for the one-op
// kernels (elementwise_unary.cpp, elementwise_binary.cpp, memory.cpp's cast) and the fused kernel
// of compiled steps (fused_elementwise.cpp), so that a fused chain computes bit for bit what the
// same ops compute one by one.
//
// with_unary_op<T>(op, use) / with_binary_op<T>(op, use) call, for elements of type T:
//   use(Out<O>{}, cost, f)  the op's element function f (taking compute_t<T>) and its result type
//                           O (T, or bool for predicates); cost: relative work per element
//   use(Identity{})         the op returns its input unchanged for T (abs of an unsigned, ...)
//   use(Unsupported{})      T is not a dtype the op accepts
// and return what `use` returns.
#include <cmath>

#include "backends/cpu/cpu_common.hpp"
#include "backends/cpu/math_functions.hpp"

namespace keras::backend::cpu {

template <class O>
struct Out {};
struct Identity {};
struct Unsupported {};

// One visitor from several lambdas.
template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;  // clang < 17 has no deduction for aggregates

// Relative cost of transcendental functions versus a load/store, for the threading threshold.
inline constexpr int64_t kCheap = 1, kTranscendental = 16;

template <class T, class Use>
decltype(auto) with_unary_op(UnaryOp op, Use&& use) {
  using C = compute_t<T>;
  constexpr bool kFloat = is_float_v<T>;
  constexpr bool kInt = is_int_v<T>;
  constexpr bool kBool = std::is_same_v<T, bool>;

// A floating-only op: `v` is the element in the compute type C.
#define KERAS_FLOAT_OP(OP, COST, EXPR)                           \
  case UnaryOp::OP:                                              \
    if constexpr (kFloat)                                        \
      return use(Out<T>{}, COST, [](C v) -> C { return EXPR; }); \
    else                                                         \
      return use(Unsupported{});

  switch (op) {
    case UnaryOp::Negative:
      if constexpr (kBool)
        return use(Unsupported{});
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C v) { return wrap_sub<C>(C(0), v); });
      else
        return use(Out<T>{}, kCheap, [](C v) { return -v; });
    case UnaryOp::Abs:
      if constexpr (kBool || std::is_unsigned_v<T>)
        return use(Identity{});
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C v) { return v < 0 ? wrap_sub<C>(C(0), v) : v; });
      else
        return use(Out<T>{}, kCheap, [](C v) { return std::fabs(v); });
    case UnaryOp::Sign:
      if constexpr (kBool)
        return use(Identity{});
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C v) { return C((v > 0) - (v < 0)); });
      else
        return use(Out<T>{}, kCheap, [](C v) {
          return v > C(0) ? C(1) : (v < C(0) ? C(-1) : (v == C(0) ? C(0) : v));
        });
    case UnaryOp::Square:
      if constexpr (kBool)
        return use(Identity{});
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C v) { return wrap_mul(v, v); });
      else
        return use(Out<T>{}, kCheap, [](C v) { return v * v; });
    case UnaryOp::Reciprocal:
      if constexpr (kBool)
        return use(Unsupported{});
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C v) { return v == 0 ? C(0) : C(C(1) / v); });
      else
        return use(Out<T>{}, kCheap, [](C v) { return C(1) / v; });
    case UnaryOp::Floor:
      if constexpr (!kFloat)
        return use(Identity{});
      else
        return use(Out<T>{}, kCheap, [](C v) { return std::floor(v); });
    case UnaryOp::Ceil:
      if constexpr (!kFloat)
        return use(Identity{});
      else
        return use(Out<T>{}, kCheap, [](C v) { return std::ceil(v); });
    case UnaryOp::Round:  // half to even under the default rounding mode
      if constexpr (!kFloat)
        return use(Identity{});
      else
        return use(Out<T>{}, kCheap, [](C v) { return std::nearbyint(v); });
    case UnaryOp::Trunc:
      if constexpr (!kFloat)
        return use(Identity{});
      else
        return use(Out<T>{}, kCheap, [](C v) { return std::trunc(v); });
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
        return use(Identity{});
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C v) { return v > 0 ? v : C(0); });
      else
        return use(Out<T>{}, kCheap, [](C v) { return v != v ? v : (v > C(0) ? v : C(0)); });
    case UnaryOp::LogicalNot:
      return use(Out<bool>{}, kCheap, [](C v) { return !(v != C(0)); });
    case UnaryOp::IsNan:
      if constexpr (kFloat)
        return use(Out<bool>{}, kCheap, [](C v) { return v != v; });
      else
        return use(Out<bool>{}, kCheap, [](C) { return false; });
    case UnaryOp::IsInf:
      if constexpr (kFloat)
        return use(Out<bool>{}, kCheap, [](C v) { return std::isinf(v); });
      else
        return use(Out<bool>{}, kCheap, [](C) { return false; });
    case UnaryOp::IsFinite:
      if constexpr (kFloat)
        return use(Out<bool>{}, kCheap, [](C v) { return std::isfinite(v); });
      else
        return use(Out<bool>{}, kCheap, [](C) { return true; });
    case UnaryOp::BitwiseNot:
      if constexpr (kBool)
        return use(Out<T>{}, kCheap, [](C v) { return !v; });
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C v) { return C(~v); });
      else
        return use(Unsupported{});
  }
#undef KERAS_FLOAT_OP
  return use(Unsupported{});
}

template <class T, class Use>
decltype(auto) with_binary_op(BinaryOp op, Use&& use) {
  using C = compute_t<T>;
  constexpr bool kFloat = is_float_v<T>;
  constexpr bool kInt = is_int_v<T>;
  constexpr bool kBool = std::is_same_v<T, bool>;

  switch (op) {
    case BinaryOp::Add:
      if constexpr (kBool)
        return use(Out<T>{}, kCheap, [](C x, C y) { return x || y; });
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return wrap_add(x, y); });
      else
        return use(Out<T>{}, kCheap, [](C x, C y) { return x + y; });
    case BinaryOp::Subtract:
      if constexpr (kBool)
        return use(Unsupported{});
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return wrap_sub(x, y); });
      else
        return use(Out<T>{}, kCheap, [](C x, C y) { return x - y; });
    case BinaryOp::Multiply:
      if constexpr (kBool)
        return use(Out<T>{}, kCheap, [](C x, C y) { return x && y; });
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return wrap_mul(x, y); });
      else
        return use(Out<T>{}, kCheap, [](C x, C y) { return x * y; });
    case BinaryOp::Divide:
      if constexpr (kFloat)
        return use(Out<T>{}, kCheap, [](C x, C y) { return x / y; });
      else
        return use(Unsupported{});
    case BinaryOp::FloorDivide:
      if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return math::int_floor_divide(x, y); });
      else if constexpr (kFloat)
        return use(Out<T>{}, kTranscendental,
                   [](C x, C y) { return math::float_floor_divide(x, y); });
      else
        return use(Unsupported{});
    case BinaryOp::Mod:
      if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return math::int_mod(x, y); });
      else if constexpr (kFloat)
        return use(Out<T>{}, kTranscendental, [](C x, C y) { return math::float_mod(x, y); });
      else
        return use(Unsupported{});
    case BinaryOp::Fmod:
      if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return math::int_fmod(x, y); });
      else if constexpr (kFloat)
        return use(Out<T>{}, kTranscendental, [](C x, C y) { return std::fmod(x, y); });
      else
        return use(Unsupported{});
    case BinaryOp::Power:
      if constexpr (kBool)
        return use(Out<T>{}, kCheap, [](C x, C y) { return x || !y; });
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return math::int_power(x, y); });
      else
        return use(Out<T>{}, kTranscendental, [](C x, C y) { return std::pow(x, y); });
    case BinaryOp::Maximum:  // NaN propagates, as np.maximum
      if constexpr (kBool)
        return use(Out<T>{}, kCheap, [](C x, C y) { return x || y; });
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return x > y ? x : y; });
      else
        return use(Out<T>{}, kCheap,
                   [](C x, C y) { return x != x ? x : (y != y ? y : (x > y ? x : y)); });
    case BinaryOp::Minimum:
      if constexpr (kBool)
        return use(Out<T>{}, kCheap, [](C x, C y) { return x && y; });
      else if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return x < y ? x : y; });
      else
        return use(Out<T>{}, kCheap,
                   [](C x, C y) { return x != x ? x : (y != y ? y : (x < y ? x : y)); });
    case BinaryOp::Arctan2:
      if constexpr (kFloat)
        return use(Out<T>{}, kTranscendental, [](C x, C y) { return std::atan2(x, y); });
      else
        return use(Unsupported{});
    case BinaryOp::Equal:
      return use(Out<bool>{}, kCheap, [](C x, C y) { return x == y; });
    case BinaryOp::NotEqual:
      return use(Out<bool>{}, kCheap, [](C x, C y) { return x != y; });
    case BinaryOp::Less:
      return use(Out<bool>{}, kCheap, [](C x, C y) { return x < y; });
    case BinaryOp::LessEqual:
      return use(Out<bool>{}, kCheap, [](C x, C y) { return x <= y; });
    case BinaryOp::Greater:
      return use(Out<bool>{}, kCheap, [](C x, C y) { return x > y; });
    case BinaryOp::GreaterEqual:
      return use(Out<bool>{}, kCheap, [](C x, C y) { return x >= y; });
    case BinaryOp::LogicalAnd:
      return use(Out<bool>{}, kCheap, [](C x, C y) { return (x != C(0)) && (y != C(0)); });
    case BinaryOp::LogicalOr:
      return use(Out<bool>{}, kCheap, [](C x, C y) { return (x != C(0)) || (y != C(0)); });
    case BinaryOp::LogicalXor:
      return use(Out<bool>{}, kCheap, [](C x, C y) { return (x != C(0)) != (y != C(0)); });
    case BinaryOp::BitwiseAnd:
      if constexpr (kInt || kBool)
        return use(Out<T>{}, kCheap, [](C x, C y) { return C(x & y); });
      else
        return use(Unsupported{});
    case BinaryOp::BitwiseOr:
      if constexpr (kInt || kBool)
        return use(Out<T>{}, kCheap, [](C x, C y) { return C(x | y); });
      else
        return use(Unsupported{});
    case BinaryOp::BitwiseXor:
      if constexpr (kInt || kBool)
        return use(Out<T>{}, kCheap, [](C x, C y) { return C(x ^ y); });
      else
        return use(Unsupported{});
    case BinaryOp::LeftShift:
      if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return math::left_shift(x, y); });
      else
        return use(Unsupported{});
    case BinaryOp::RightShift:
      if constexpr (kInt)
        return use(Out<T>{}, kCheap, [](C x, C y) { return math::right_shift(x, y); });
      else
        return use(Unsupported{});
  }
  return use(Unsupported{});
}

// One element S -> D with C++ semantics, except that float -> int saturates (NaN -> 0) instead
// of being UB, and anything -> bool is (x != 0).
template <class D, class S>
inline D convert(S s) {
  if constexpr (std::is_same_v<D, S>) {
    return s;
  } else if constexpr (std::is_same_v<D, bool>) {
    if constexpr (is_half_v<S>)
      return static_cast<float>(s) != 0.0f;
    else
      return s != S(0);
  } else if constexpr (is_half_v<S>) {
    return convert<D>(static_cast<float>(s));
  } else if constexpr (is_half_v<D>) {
    return D(static_cast<float>(s));
  } else if constexpr (std::is_floating_point_v<S> && std::is_integral_v<D>) {
    if (s != s) return D(0);
    if (s >= static_cast<S>(std::numeric_limits<D>::max())) return std::numeric_limits<D>::max();
    if (s <= static_cast<S>(std::numeric_limits<D>::lowest()))
      return std::numeric_limits<D>::lowest();
    return static_cast<D>(s);
  } else {
    return static_cast<D>(s);
  }
}

// One row: o[i] = f(a[i * sa], b[i * sb]), with the stride patterns that vectorize split out.
template <class T, class O, class F>
inline void binary_row(const T* a, int64_t sa, const T* b, int64_t sb, O* o, int64_t n, F& f) {
  using C = compute_t<T>;
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(C(a[i]), C(b[i])));
  } else if (sa == 0 && sb == 1) {
    C av = C(a[0]);
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(av, C(b[i])));
  } else if (sa == 1 && sb == 0) {
    C bv = C(b[0]);
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(C(a[i]), bv));
  } else {
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(C(a[i * sa]), C(b[i * sb])));
  }
}

}  // namespace keras::backend::cpu
