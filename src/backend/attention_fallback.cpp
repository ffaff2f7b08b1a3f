// Composite defaults of the fused attention kernels, written only with the Backend's primitives
// (transpose, reshape, matmul, binary, where, reduce, exp, log). They materialize the full
// (B, N, T, S) logits; backends with a native kernel (cpu) avoid that.
//
// Grouped-query attention without copying key/value heads: query heads n = kv * G + g are laid
// out as (B, K, G * T, H), so one batched matmul against (B, K, H, S) covers every group.
#include "keras/backend/backend.hpp"

namespace keras::backend {

namespace {

struct Dims {
  int64_t b, t, n, h, s, k, g, hv;  // hv: the value head size
};

Dims dims_of(const Tensor& q, const Tensor& k, const Tensor& v) {
  Dims d{q.shape()[0], q.shape()[1], q.shape()[2], q.shape()[3], k.shape()[1], k.shape()[2], 0};
  d.g = d.n / d.k;
  d.hv = v.shape()[3];
  return d;
}

Tensor scalar(Backend& be, DType dtype, double v) { return be.full(Shape{}, dtype, v); }

Tensor permute(Backend& be, const Tensor& x, std::initializer_list<int> perm) {
  std::vector<int> p(perm);
  return be.transpose(x, p);
}

// The query as (B, K, G * T, H), already multiplied by the scale (as the cpu kernel does).
Tensor grouped_query(Backend& be, const Tensor& q, const Dims& d, double scale) {
  Tensor qt = be.reshape(permute(be, q, {0, 2, 1, 3}), Shape{d.b, d.k, d.g * d.t, d.h});
  return be.binary(BinaryOp::Multiply, qt, scalar(be, q.dtype(), scale));
}

// The combined boolean mask broadcastable to (B, N, T, S), or undefined when nothing is masked.
Tensor combined_mask(Backend& be, const Tensor& mask, const Dims& d, bool is_causal) {
  Tensor cond = mask;
  if (is_causal) {
    Tensor rows = be.reshape(be.arange(0, 1, d.t, DType::Int64), Shape{d.t, 1});
    Tensor cols = be.reshape(be.arange(0, 1, d.s, DType::Int64), Shape{1, d.s});
    Tensor tri = be.reshape(be.binary(BinaryOp::GreaterEqual, rows, cols), Shape{1, 1, d.t, d.s});
    cond = cond.defined() ? be.binary(BinaryOp::LogicalAnd, cond, tri) : tri;
  }
  return cond;
}

// Masked logits (B, N, T, S) and the mask that produced them.
std::pair<Tensor, Tensor> masked_logits(Backend& be, const Tensor& q, const Tensor& k,
                                        const Tensor& bias, const Tensor& mask, const Dims& d,
                                        const AttentionParams& p) {
  Tensor qg = grouped_query(be, q, d, p.scale);
  Tensor kt = permute(be, k, {0, 2, 3, 1});  // (B, K, H, S)
  Tensor logits = be.reshape(be.matmul(qg, kt), Shape{d.b, d.n, d.t, d.s});
  if (bias.defined()) logits = be.binary(BinaryOp::Add, logits, bias);
  Tensor cond = combined_mask(be, mask, d, p.is_causal);
  if (cond.defined())
    logits = be.where(cond, logits, scalar(be, logits.dtype(), kAttentionMaskedLogit));
  return {logits, cond};
}

}  // namespace

std::pair<Tensor, Tensor> Backend::dot_product_attention_impl(
    const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& bias,
    const Tensor& mask, const AttentionParams& p) {
  Dims d = dims_of(query, key, value);
  auto [logits, cond] = masked_logits(*this, query, key, bias, mask, d, p);
  const int last[] = {3};
  Tensor m = reduce(ReduceOp::Max, logits, last, true);
  Tensor e = unary(UnaryOp::Exp, binary(BinaryOp::Subtract, logits, m));
  Tensor l = reduce(ReduceOp::Sum, e, last, true);
  Tensor probs = binary(BinaryOp::Divide, e, l);
  Tensor lse = reshape(binary(BinaryOp::Add, m, unary(UnaryOp::Log, l)), Shape{d.b, d.n, d.t});
  Tensor vt = permute(*this, value, {0, 2, 1, 3});  // (B, K, S, H)
  Tensor out = matmul(reshape(probs, Shape{d.b, d.k, d.g * d.t, d.s}), vt);
  out = permute(*this, reshape(out, Shape{d.b, d.n, d.t, d.hv}), {0, 2, 1, 3});
  return {out, lse};
}

std::array<Tensor, 3> Backend::dot_product_attention_backward_impl(
    const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& bias,
    const Tensor& mask, const Tensor& output, const Tensor& lse, const Tensor& grad,
    const AttentionParams& p) {
  Dims d = dims_of(query, key, value);
  DType dt = query.dtype();
  auto [logits, cond] = masked_logits(*this, query, key, bias, mask, d, p);
  Tensor lse4 = reshape(lse, Shape{d.b, d.n, d.t, 1});
  Tensor probs = unary(UnaryOp::Exp, binary(BinaryOp::Subtract, logits, lse4));
  // A fully masked row's lse is the masked logit itself (log S vanishes next to it): its
  // probabilities are uniform.
  Tensor uniform = binary(BinaryOp::Less, lse4, scalar(*this, dt, 0.5 * kAttentionMaskedLogit));
  probs = where(uniform, scalar(*this, dt, 1.0 / static_cast<double>(d.s)), probs);
  Shape grouped{d.b, d.k, d.g * d.t, d.s};
  Tensor pk = reshape(probs, grouped);
  Tensor dout = reshape(permute(*this, grad, {0, 2, 1, 3}), Shape{d.b, d.k, d.g * d.t, d.hv});
  Tensor dv = matmul(permute(*this, pk, {0, 1, 3, 2}), dout);  // (B, K, S, H)
  Tensor vt = permute(*this, value, {0, 2, 3, 1});             // (B, K, H, S)
  Tensor dp = reshape(matmul(dout, vt), Shape{d.b, d.n, d.t, d.s});
  // D = rowsum(dO * O) = rowsum(dP * P), as (B, N, T, 1).
  const int last[] = {3};
  Tensor rowdot = reduce(ReduceOp::Sum, binary(BinaryOp::Multiply, grad, output), last, false);
  rowdot = reshape(permute(*this, rowdot, {0, 2, 1}), Shape{d.b, d.n, d.t, 1});
  Tensor ds = binary(BinaryOp::Multiply, probs, binary(BinaryOp::Subtract, dp, rowdot));
  // Masked logits are constants: no gradient flows through them.
  if (cond.defined()) ds = where(cond, ds, scalar(*this, dt, 0.0));
  ds = binary(BinaryOp::Multiply, reshape(ds, grouped), scalar(*this, dt, p.scale));
  Tensor kg = permute(*this, key, {0, 2, 1, 3});  // (B, K, S, H)
  Tensor qg = reshape(permute(*this, query, {0, 2, 1, 3}), Shape{d.b, d.k, d.g * d.t, d.h});
  Tensor dq = reshape(matmul(ds, kg), Shape{d.b, d.n, d.t, d.h});
  Tensor dk = matmul(permute(*this, ds, {0, 1, 3, 2}), qg);  // (B, K, S, H)
  return {permute(*this, dq, {0, 2, 1, 3}), permute(*this, dk, {0, 2, 1, 3}),
          permute(*this, dv, {0, 2, 1, 3})};
}

}  // namespace keras::backend
