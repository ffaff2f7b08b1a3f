// Products: matmul (NumPy's 1-D promotion and batch broadcasting), dot, outer, inner, vdot,
// tensordot (keras/src/ops/numpy.py). int8 @ int8 gives int32 as in Keras; other dtypes follow
// result_type. dot/inner/vdot/outer/tensordot are compositions of reshape/transpose/matmul.
#include <algorithm>

#include "ops/numpy_shape_util.hpp"

namespace keras::ops {

using namespace detail;

namespace {
DType matmul_dtype(const Tensor& a, const Tensor& b) {
  if (a.dtype() == DType::Int8 && b.dtype() == DType::Int8) return DType::Int32;
  return promote(a, b);
}
}  // namespace

Tensor matmul(const Tensor& x1, const Tensor& x2) {
  require_defined("matmul", x1, "x1");
  require_defined("matmul", x2, "x2");
  if (x1.ndim() == 0 || x2.ndim() == 0)
    throw ValueError("ops::matmul: operands must have at least one dimension, got shapes " +
                     shape_str(x1) + " and " + shape_str(x2) + " (use ops::multiply for scalars)");
  DType dtype = matmul_dtype(x1, x2);
  // NumPy's promotion of 1-D operands: (K) @ ... is (1, K) @ ..., ... @ (K) is ... @ (K, 1).
  Shape a = x1.shape(), b = x2.shape();
  bool a_vec = a.rank() == 1, b_vec = b.rank() == 1;
  if (a_vec) a.insert(a.begin(), 1);
  if (b_vec) b.push_back(1);
  int64_t ka = a[a.rank() - 1], kb = b[b.rank() - 2];
  if (ka != kb && ka != Shape::kNone && kb != Shape::kNone)
    throw ValueError("ops::matmul: shapes " + shape_str(x1) + " and " + shape_str(x2) +
                     " cannot be multiplied (" + std::to_string(ka) + " != " + std::to_string(kb) +
                     ")");
  Shape batch_a(a.begin(), a.end() - 2), batch_b(b.begin(), b.end() - 2);
  Shape batch = broadcast_shapes(batch_a, batch_b, "ops::matmul");
  int64_t m = a[a.rank() - 2], n = b[b.rank() - 1];
  Shape full = batch;
  full.push_back(m);
  full.push_back(n);
  Shape out = batch;
  if (!a_vec) out.push_back(m);
  if (!b_vec) out.push_back(n);
  if (any_symbolic({&x1, &x2})) return Tensor::symbolic(out, dtype);

  Backend& be = pick_backend("matmul", {&x1, &x2});
  DType compute = dtype == DType::Bool ? DType::Int32 : dtype;  // bool: any(a & b) via counts
  Tensor pa = be.reshape(prepare(x1, be, compute), a);
  Tensor pb = be.reshape(prepare(x2, be, compute), b);
  Tensor y;
  if (b.rank() == 2 && a.rank() > 2) {
    // (..., M, K) @ (K, N): one (batch * M, K) @ (K, N) product, no broadcast copy of b.
    y = be.matmul(be.reshape(pa, Shape{dims_product(a, 0, a.rank() - 1), ka}), pb);
  } else {
    Shape fa = batch, fb = batch;
    fa.insert(fa.end(), a.end() - 2, a.end());
    fb.insert(fb.end(), b.end() - 2, b.end());
    if (pa.shape() != fa) pa = be.broadcast_to(pa, fa);
    if (pb.shape() != fb) pb = be.broadcast_to(pb, fb);
    y = be.matmul(pa, pb);
  }
  y = be.reshape(y, out);
  if (dtype == DType::Bool) y = be.cast(y, DType::Bool);
  if (autodiff::is_recording() && is_floating(dtype)) {
    autodiff::record("matmul", {x1, x2}, {y}, [x1, x2, a, b, full](const std::vector<Tensor>& g) {
      Tensor g2 = reshape_to("matmul", g[0], full);
      Tensor a2 = reshape_to("matmul", x1, a), b2 = reshape_to("matmul", x2, b);
      Tensor ga, gb;
      if (is_floating(x1.dtype()))
        ga = reshape_to("matmul", unbroadcast(matmul(g2, swapaxes(b2, -1, -2)), a, x1.dtype()),
                        x1.shape());
      if (is_floating(x2.dtype()))
        gb = reshape_to("matmul", unbroadcast(matmul(swapaxes(a2, -1, -2), g2), b, x2.dtype()),
                        x2.shape());
      return std::vector<Tensor>{ga, gb};
    });
  }
  return y;
}

Tensor dot(const Tensor& x1, const Tensor& x2) {
  require_defined("dot", x1, "x1");
  require_defined("dot", x2, "x2");
  if (x1.ndim() == 0 || x2.ndim() == 0) return multiply(x1, x2);
  if (x2.ndim() <= 2) {
    int64_t k1 = x1.shape().back(), k2 = x2.shape()[0];
    if (k1 != k2 && k1 != Shape::kNone && k2 != Shape::kNone)
      throw ValueError("ops::dot: shapes " + shape_str(x1) + " and " + shape_str(x2) +
                       " are not aligned (" + std::to_string(k1) + " != " + std::to_string(k2) +
                       ")");
    DType dtype = promote(x1, x2);
    return cast(matmul(x1, x2), dtype);
  }
  // N-D . M-D: sum over the last axis of x1 and the second-to-last of x2.
  return tensordot(x1, x2, std::pair{std::vector<int64_t>{-1}, std::vector<int64_t>{-2}});
}

Tensor outer(const Tensor& x1, const Tensor& x2) {
  require_defined("outer", x1, "x1");
  require_defined("outer", x2, "x2");
  Tensor a = ravel(x1), b = ravel(x2);
  return multiply(reshape_to("outer", a, Shape{a.shape()[0], 1}),
                  reshape_to("outer", b, Shape{1, b.shape()[0]}));
}

Tensor inner(const Tensor& x1, const Tensor& x2) {
  require_defined("inner", x1, "x1");
  require_defined("inner", x2, "x2");
  if (x1.ndim() == 0 || x2.ndim() == 0) return multiply(x1, x2);
  int64_t k1 = x1.shape().back(), k2 = x2.shape().back();
  if (k1 != k2 && k1 != Shape::kNone && k2 != Shape::kNone)
    throw ValueError("ops::inner: the last dimensions of x1 " + shape_str(x1) + " and x2 " +
                     shape_str(x2) + " must match (" + std::to_string(k1) +
                     " != " + std::to_string(k2) + ")");
  return tensordot(x1, x2, std::pair{std::vector<int64_t>{-1}, std::vector<int64_t>{-1}});
}

Tensor vdot(const Tensor& x1, const Tensor& x2) {
  require_defined("vdot", x1, "x1");
  require_defined("vdot", x2, "x2");
  Tensor a = ravel(x1), b = ravel(x2);
  int64_t n1 = a.shape()[0], n2 = b.shape()[0];
  if (n1 != n2 && n1 != Shape::kNone && n2 != Shape::kNone)
    throw ValueError("ops::vdot: x1 " + shape_str(x1) + " and x2 " + shape_str(x2) +
                     " must have the same number of elements (" + std::to_string(n1) +
                     " != " + std::to_string(n2) + ")");
  return cast(matmul(a, b), promote(x1, x2));
}

Tensor tensordot(const Tensor& x1, const Tensor& x2, TensordotAxes axes) {
  require_defined("tensordot", x1, "x1");
  require_defined("tensordot", x2, "x2");
  int r1 = x1.ndim(), r2 = x2.ndim();
  std::vector<int64_t> ax1, ax2;
  if (const int64_t* count = std::get_if<int64_t>(&axes)) {
    if (*count < 0 || *count > r1 || *count > r2)
      throw ValueError("ops::tensordot: axes=" + std::to_string(*count) +
                       " must be between 0 and the ranks of x1 " + shape_str(x1) + " and x2 " +
                       shape_str(x2));
    for (int64_t i = 0; i < *count; ++i) {
      ax1.push_back(r1 - *count + i);
      ax2.push_back(i);
    }
  } else {
    std::tie(ax1, ax2) = std::get<1>(axes);
    if (ax1.size() != ax2.size())
      throw ValueError("ops::tensordot: axes " + ints_str(ax1) + " and " + ints_str(ax2) +
                       " must have the same length");
  }
  std::vector<int> n1 = normalize_axes(Axis(ax1), r1, "tensordot", x1.shape());
  std::vector<int> n2 = normalize_axes(Axis(ax2), r2, "tensordot", x2.shape());
  (void)n1, (void)n2;  // range and repetition checks; the pairing order matters below
  std::vector<int64_t> c1, c2;
  for (size_t i = 0; i < ax1.size(); ++i) {
    c1.push_back(normalize_axis(ax1[i], r1, "ops::tensordot", x1.shape()));
    c2.push_back(normalize_axis(ax2[i], r2, "ops::tensordot", x2.shape()));
    int64_t d1 = x1.shape()[c1[i]], d2 = x2.shape()[c2[i]];
    if (d1 != d2 && d1 != Shape::kNone && d2 != Shape::kNone)
      throw ValueError("ops::tensordot: shape mismatch: axis " + std::to_string(c1[i]) + " of x1 " +
                       shape_str(x1) + " has size " + std::to_string(d1) + " but axis " +
                       std::to_string(c2[i]) + " of x2 " + shape_str(x2) + " has size " +
                       std::to_string(d2));
  }
  std::vector<int64_t> free1, free2;
  Shape out;
  for (int i = 0; i < r1; ++i)
    if (std::find(c1.begin(), c1.end(), i) == c1.end()) {
      free1.push_back(i);
      out.push_back(x1.shape()[i]);
    }
  for (int i = 0; i < r2; ++i)
    if (std::find(c2.begin(), c2.end(), i) == c2.end()) {
      free2.push_back(i);
      out.push_back(x2.shape()[i]);
    }
  DType dtype = promote(x1, x2);
  if (any_symbolic({&x1, &x2})) return Tensor::symbolic(out, dtype);
  std::vector<int64_t> p1 = free1, p2 = c2;
  p1.insert(p1.end(), c1.begin(), c1.end());
  p2.insert(p2.end(), free2.begin(), free2.end());
  int64_t f1 = 1, f2 = 1, k = 1;
  for (int64_t i : free1) f1 *= x1.shape()[i];
  for (int64_t i : free2) f2 *= x2.shape()[i];
  for (int64_t i : c1) k *= x1.shape()[i];
  Tensor a = reshape_to("tensordot", transpose(cast(x1, dtype), p1), Shape{f1, k});
  Tensor b = reshape_to("tensordot", transpose(cast(x2, dtype), p2), Shape{k, f2});
  return cast(reshape_to("tensordot", matmul(a, b), out), dtype);
}

}  // namespace keras::ops
