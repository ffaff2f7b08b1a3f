// Elementwise binary kernels and where, with NumPy broadcasting. Same-shape and scalar operands
// take flat loops; anything else goes through a collapsed broadcast plan (broadcast.hpp).
#include <cmath>

#include "backends/cpu/broadcast.hpp"
#include "backends/cpu/math_functions.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

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

template <class T, class O, class F>
void apply_binary(const Tensor& a, const Tensor& b, const Tensor& out, int64_t cost, F f) {
  const T* pa = data<T>(a);
  const T* pb = data<T>(b);
  O* po = data<O>(out);
  int64_t n = out.size();
  if (n == 0) return;
  const Shape& os = out.shape();
  int64_t sa = -1, sb = -1;
  if (a.shape() == os && b.shape() == os)
    sa = 1, sb = 1;
  else if (a.size() == 1 && b.shape() == os)
    sa = 0, sb = 1;
  else if (b.size() == 1 && a.shape() == os)
    sa = 1, sb = 0;
  if (sa >= 0) {
    parallel_for(n, cost, [&](int64_t s, int64_t e) {
      binary_row<T, O>(pa + s * sa, sa, pb + s * sb, sb, po + s, e - s, f);
    });
    return;
  }
  auto plan = make_broadcast_plan<2>(os, {&a.shape(), &b.shape()});
  for_each_row(plan, cost,
               [&](const std::array<int64_t, 2>& off, int64_t oo, int64_t len,
                   const std::array<int64_t, 2>& st) {
                 binary_row<T, O>(pa + off[0], st[0], pb + off[1], st[1], po + oo, len, f);
               });
}

constexpr int64_t kCheap = 1, kExpensive = 16;

template <class T>
Tensor binary_typed(CpuBackend& be, BinaryOp op, const Tensor& a, const Tensor& b,
                    const Shape& shape) {
  using C = compute_t<T>;
  auto same = [&](int64_t cost, auto f) {
    Tensor out = be.empty(shape, a.dtype());
    apply_binary<T, T>(a, b, out, cost, f);
    return out;
  };
  auto boolean = [&](auto f) {
    Tensor out = be.empty(shape, DType::Bool);
    apply_binary<T, bool>(a, b, out, kCheap, f);
    return out;
  };
  auto unsupported = [&]() -> Tensor { throw_dtype(binary_op_name(op), a.dtype()); };
  constexpr bool kFloat = is_float_v<T>;
  constexpr bool kInt = is_int_v<T>;
  constexpr bool kBool = std::is_same_v<T, bool>;

  switch (op) {
    case BinaryOp::Add:
      if constexpr (kBool)
        return same(kCheap, [](C x, C y) { return x || y; });
      else if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return wrap_add(x, y); });
      else
        return same(kCheap, [](C x, C y) { return x + y; });
    case BinaryOp::Subtract:
      if constexpr (kBool)
        return unsupported();
      else if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return wrap_sub(x, y); });
      else
        return same(kCheap, [](C x, C y) { return x - y; });
    case BinaryOp::Multiply:
      if constexpr (kBool)
        return same(kCheap, [](C x, C y) { return x && y; });
      else if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return wrap_mul(x, y); });
      else
        return same(kCheap, [](C x, C y) { return x * y; });
    case BinaryOp::Divide:
      if constexpr (kFloat)
        return same(kCheap, [](C x, C y) { return x / y; });
      else
        return unsupported();
    case BinaryOp::FloorDivide:
      if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return math::int_floor_divide(x, y); });
      else if constexpr (kFloat)
        return same(kExpensive, [](C x, C y) { return math::float_floor_divide(x, y); });
      else
        return unsupported();
    case BinaryOp::Mod:
      if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return math::int_mod(x, y); });
      else if constexpr (kFloat)
        return same(kExpensive, [](C x, C y) { return math::float_mod(x, y); });
      else
        return unsupported();
    case BinaryOp::Fmod:
      if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return math::int_fmod(x, y); });
      else if constexpr (kFloat)
        return same(kExpensive, [](C x, C y) { return std::fmod(x, y); });
      else
        return unsupported();
    case BinaryOp::Power:
      if constexpr (kBool)
        return same(kCheap, [](C x, C y) { return x || !y; });
      else if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return math::int_power(x, y); });
      else
        return same(kExpensive, [](C x, C y) { return std::pow(x, y); });
    case BinaryOp::Maximum:  // NaN propagates, as np.maximum
      if constexpr (kBool)
        return same(kCheap, [](C x, C y) { return x || y; });
      else if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return x > y ? x : y; });
      else
        return same(kCheap, [](C x, C y) { return x != x ? x : (y != y ? y : (x > y ? x : y)); });
    case BinaryOp::Minimum:
      if constexpr (kBool)
        return same(kCheap, [](C x, C y) { return x && y; });
      else if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return x < y ? x : y; });
      else
        return same(kCheap, [](C x, C y) { return x != x ? x : (y != y ? y : (x < y ? x : y)); });
    case BinaryOp::Arctan2:
      if constexpr (kFloat)
        return same(kExpensive, [](C x, C y) { return std::atan2(x, y); });
      else
        return unsupported();
    case BinaryOp::Equal:
      return boolean([](C x, C y) { return x == y; });
    case BinaryOp::NotEqual:
      return boolean([](C x, C y) { return x != y; });
    case BinaryOp::Less:
      return boolean([](C x, C y) { return x < y; });
    case BinaryOp::LessEqual:
      return boolean([](C x, C y) { return x <= y; });
    case BinaryOp::Greater:
      return boolean([](C x, C y) { return x > y; });
    case BinaryOp::GreaterEqual:
      return boolean([](C x, C y) { return x >= y; });
    case BinaryOp::LogicalAnd:
      return boolean([](C x, C y) { return (x != C(0)) && (y != C(0)); });
    case BinaryOp::LogicalOr:
      return boolean([](C x, C y) { return (x != C(0)) || (y != C(0)); });
    case BinaryOp::LogicalXor:
      return boolean([](C x, C y) { return (x != C(0)) != (y != C(0)); });
    case BinaryOp::BitwiseAnd:
      if constexpr (kInt || kBool)
        return same(kCheap, [](C x, C y) { return C(x & y); });
      else
        return unsupported();
    case BinaryOp::BitwiseOr:
      if constexpr (kInt || kBool)
        return same(kCheap, [](C x, C y) { return C(x | y); });
      else
        return unsupported();
    case BinaryOp::BitwiseXor:
      if constexpr (kInt || kBool)
        return same(kCheap, [](C x, C y) { return C(x ^ y); });
      else
        return unsupported();
    case BinaryOp::LeftShift:
      if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return math::left_shift(x, y); });
      else
        return unsupported();
    case BinaryOp::RightShift:
      if constexpr (kInt)
        return same(kCheap, [](C x, C y) { return math::right_shift(x, y); });
      else
        return unsupported();
  }
  return unsupported();
}

}  // namespace

Tensor CpuBackend::binary_impl(BinaryOp op, const Tensor& a, const Tensor& b) {
  ProfileScope prof("binary", binary_op_name(op));
  if (a.dtype() != b.dtype())
    throw TypeError("cpu backend: ops::" + std::string(binary_op_name(op)) +
                    ": operands must share a dtype, got " + std::string(dtype_name(a.dtype())) +
                    " and " + std::string(dtype_name(b.dtype())));
  Shape shape = a.shape() == b.shape() ? a.shape()
                                       : broadcast_shapes(a.shape(), b.shape(),
                                                          std::string(binary_op_name(op)).c_str());
  return visit_dtype(a.dtype(), [&]<class T>() { return binary_typed<T>(*this, op, a, b, shape); });
}

Tensor CpuBackend::where_impl(const Tensor& cond, const Tensor& a, const Tensor& b) {
  ProfileScope prof("where");
  if (cond.dtype() != DType::Bool)
    throw TypeError("cpu backend: ops::where: condition must be bool, got " +
                    std::string(dtype_name(cond.dtype())));
  if (a.dtype() != b.dtype())
    throw TypeError("cpu backend: ops::where: operands must share a dtype, got " +
                    std::string(dtype_name(a.dtype())) + " and " +
                    std::string(dtype_name(b.dtype())));
  Shape shape =
      broadcast_shapes(broadcast_shapes(cond.shape(), a.shape(), "where"), b.shape(), "where");
  Tensor out = empty(shape, a.dtype());
  if (out.size() == 0) return out;
  // where only moves elements: dispatch on the element size.
  visit_size(a.dtype(), [&]<class U>() {
    const uint8_t* pc = data<uint8_t>(cond);
    const U* pa = data<U>(a);
    const U* pb = data<U>(b);
    U* po = data<U>(out);
    auto plan = make_broadcast_plan<3>(shape, {&cond.shape(), &a.shape(), &b.shape()});
    for_each_row(plan, 1,
                 [&](const std::array<int64_t, 3>& off, int64_t oo, int64_t n,
                     const std::array<int64_t, 3>& st) {
                   const uint8_t* c = pc + off[0];
                   const U* x = pa + off[1];
                   const U* y = pb + off[2];
                   U* o = po + oo;
                   if (st[0] == 1 && st[1] == 1 && st[2] == 1) {
                     for (int64_t i = 0; i < n; ++i) o[i] = c[i] ? x[i] : y[i];
                   } else if (st[0] == 1 && st[1] == 0 && st[2] == 0) {
                     U xv = x[0], yv = y[0];
                     for (int64_t i = 0; i < n; ++i) o[i] = c[i] ? xv : yv;
                   } else {
                     for (int64_t i = 0; i < n; ++i)
                       o[i] = c[i * st[0]] ? x[i * st[1]] : y[i * st[2]];
                   }
                 });
  });
  return out;
}

}  // namespace keras::backend::cpu
