// Elementwise binary kernels and where, with NumPy broadcasting. Same-shape and scalar operands
// take flat loops; anything else goes through a collapsed broadcast plan (broadcast.hpp).
#include "backends/cpu/broadcast.hpp"
#include "backends/cpu/elementwise_ops.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

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

template <class T>
Tensor binary_typed(CpuBackend& be, BinaryOp op, const Tensor& a, const Tensor& b,
                    const Shape& shape) {
  return with_binary_op<T>(
      op, Overload{[&]<class O>(Out<O>, int64_t cost, auto f) {
                     Tensor out = be.empty(shape, std::is_same_v<O, T> ? a.dtype() : DType::Bool);
                     apply_binary<T, O>(a, b, out, cost, f);
                     return out;
                   },
                   [&](Unsupported) -> Tensor { throw_dtype(binary_op_name(op), a.dtype()); }});
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
