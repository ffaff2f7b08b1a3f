// ops::dot_product_attention (keras/src/ops/nn.py; numerics of keras/src/backend/numpy/nn.py).
//
// Two paths with the same results:
//  - composite: logits, masking, softmax and the weighted sum written with ops, so autodiff needs
//    nothing special; used when flash_attention is false, for 16-bit dtypes (logits and softmax
//    in float32 as Keras does) and on backends without a native kernel;
//  - fused: the backend's dot_product_attention kernel (cpu: blockwise online softmax that never
//    holds the full (T, S) logits). Its gradient is the backend's backward kernel, except when
//    an outer tape records (higher-order gradients) or a bias needs its gradient: then the
//    gradient is written with ops (materializing the (B, N, T, S) probabilities), so it is itself
//    differentiable.
// Grouped-query attention is computed without repeating key/value heads: query heads
// n = kv * G + g are laid out as (B, K, G * T, H) against (B, K, H, S).
#include <cmath>

#include "keras/autodiff/record.hpp"
#include "ops/elementwise_util.hpp"
#include "ops/internal.hpp"

namespace keras::ops {

using namespace detail;

namespace {

constexpr const char* kOp = "dot_product_attention";

struct Dims {
  int64_t b, t, n, h, s, k, g, hv;  // hv: the value head size
};

std::string shapes_str(const Tensor& q, const Tensor& k, const Tensor& v) {
  return "query.shape=" + shape_str(q) + ", key.shape=" + shape_str(k) +
         ", value.shape=" + shape_str(v);
}

bool known(int64_t d) { return d != Shape::kNone; }

// Checks a bias/mask against (B, N, T, S) and returns it as rank 4 (size-1 dims prepended).
Tensor as_rank4(const Tensor& x, const char* arg, const Shape& logits) {
  if (!x.defined()) return x;
  const Shape& s = x.shape();
  if (s.rank() > 4)
    throw ValueError(op_name(kOp) + ": `" + arg + "` must be broadcastable to (B, N, T, S) = " +
                     logits.to_string() + ", got shape " + s.to_string());
  Shape r;
  for (int i = s.rank(); i < 4; ++i) r.push_back(1);
  for (int i = 0; i < s.rank(); ++i) r.push_back(s[i]);
  for (int i = 0; i < 4; ++i)
    if (known(r[i]) && known(logits[i]) && r[i] != 1 && r[i] != logits[i])
      throw ValueError(op_name(kOp) + ": `" + arg + "` must be broadcastable to (B, N, T, S) = " +
                       logits.to_string() + ", got shape " + s.to_string());
  return r == s ? x : reshape(x, r);
}

// The boolean mask combining `mask` with the causal lower triangle, broadcastable to
// (B, N, T, S); undefined when nothing is masked. Built with backend primitives: it is a
// constant.
Tensor combined_mask(const Tensor& mask, const Tensor& like, const Dims& d, bool is_causal) {
  if (!is_causal) return mask;
  backend::Backend& be = like.backend();
  Tensor rows = be.reshape(be.arange(0, 1, d.t, DType::Int64), Shape{d.t, 1});
  Tensor cols = be.reshape(be.arange(0, 1, d.s, DType::Int64), Shape{1, d.s});
  Tensor tri =
      be.reshape(be.binary(backend::BinaryOp::GreaterEqual, rows, cols), Shape{1, 1, d.t, d.s});
  return mask.defined() ? logical_and(mask, tri) : tri;
}

// scale * q.k + bias with masked entries replaced, (B, N, T, S), in q's dtype.
Tensor masked_logits(const Tensor& q, const Tensor& k, const Tensor& bias, const Tensor& cond,
                     const Dims& d, double scale) {
  Tensor qg = reshape(transpose(q, {0, 2, 1, 3}), Shape{d.b, d.k, d.g * d.t, d.h});
  Tensor logits = reshape(matmul(qg, transpose(k, {0, 2, 3, 1})), Shape{d.b, d.n, d.t, d.s});
  logits = logits * scale;
  if (bias.defined()) logits = logits + cast(bias, logits.dtype());
  if (cond.defined()) logits = where(cond, logits, backend::kAttentionMaskedLogit);
  return logits;
}

// probs (B, N, T, S) @ value -> (B, T, N, H).
Tensor weighted_values(const Tensor& probs, const Tensor& v, const Dims& d) {
  Tensor out = matmul(reshape(probs, Shape{d.b, d.k, d.g * d.t, d.s}), transpose(v, {0, 2, 1, 3}));
  return transpose(reshape(out, Shape{d.b, d.n, d.t, d.hv}), {0, 2, 1, 3});
}

Tensor composite_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& bias,
                           const Tensor& cond, const Dims& d, double scale) {
  DType dt = q.dtype();
  // Logits and softmax in at least float32 (Keras computes the softmax in float32).
  DType logits_dt = result_type(dt, DType::Float32);
  Tensor logits = masked_logits(cast(q, logits_dt), cast(k, logits_dt), bias, cond, d, scale);
  Tensor probs = cast(softmax(logits, -1), dt);
  return weighted_values(probs, v, d);
}

struct Grads {
  Tensor dq, dk, dv, dbias;
};

// The gradients written with ops (differentiable again); dbias has (B, N, T, S)'s shape.
Grads gradients_with_ops(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& bias,
                         const Tensor& cond, const Dims& d, double scale, const Tensor& g) {
  Tensor probs = softmax(masked_logits(q, k, bias, cond, d, scale), -1);
  Shape grouped{d.b, d.k, d.g * d.t, d.s};
  Tensor pk = reshape(probs, grouped);
  Tensor dout = reshape(transpose(g, {0, 2, 1, 3}), Shape{d.b, d.k, d.g * d.t, d.hv});
  Grads r;
  r.dv = transpose(matmul(swapaxes(pk, 2, 3), dout), {0, 2, 1, 3});
  Tensor dp = reshape(matmul(dout, transpose(v, {0, 2, 3, 1})), Shape{d.b, d.n, d.t, d.s});
  Tensor ds = probs * (dp - sum(dp * probs, {.axis = -1, .keepdims = true}));
  if (cond.defined()) ds = where(cond, ds, 0.0);
  r.dbias = ds;
  Tensor dsg = reshape(ds, grouped) * scale;
  Tensor qg = reshape(transpose(q, {0, 2, 1, 3}), Shape{d.b, d.k, d.g * d.t, d.h});
  r.dq = transpose(reshape(matmul(dsg, transpose(k, {0, 2, 1, 3})), Shape{d.b, d.n, d.t, d.h}),
                   {0, 2, 1, 3});
  r.dk = transpose(matmul(swapaxes(dsg, 2, 3), qg), {0, 2, 1, 3});
  return r;
}

Tensor as_dtype(const Tensor& g, DType dtype) { return g.dtype() == dtype ? g : cast(g, dtype); }

}  // namespace

Tensor dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                             const Tensor& bias, const Tensor& mask, std::optional<double> scale,
                             bool is_causal, std::optional<bool> flash_attention,
                             std::optional<double> attn_logits_soft_cap) {
  require_defined(kOp, query, "query");
  require_defined(kOp, key, "key");
  require_defined(kOp, value, "value");
  if (attn_logits_soft_cap)
    throw ValueError(op_name(kOp) +
                     ": attn_logits_soft_cap is only supported for JAX on TPU. Set "
                     "attn_logits_soft_cap=None when not using JAX on TPU.");
  if (query.ndim() != 4 || key.ndim() != 4 || value.ndim() != 4)
    throw ValueError(op_name(kOp) +
                     " only supports 4D inputs. Received: " + shapes_str(query, key, value));
  const Shape &qs = query.shape(), &ks = key.shape(), &vs = value.shape();
  for (int i = 0; i < 3; ++i)
    if (known(ks[i]) && known(vs[i]) && ks[i] != vs[i])
      throw ValueError(op_name(kOp) +
                       ": `key` (B, S, K, H) and `value` (B, S, K, Hv) must agree on B, S and K. "
                       "Received: " +
                       shapes_str(query, key, value));
  auto mismatch = [&](int qi, int ki) {
    return known(qs[qi]) && known(ks[ki]) && qs[qi] != ks[ki];
  };
  if (mismatch(0, 0))
    throw ValueError(op_name(kOp) +
                     ": `query` and `key` must have the same batch size. "
                     "Received: " +
                     shapes_str(query, key, value));
  if (mismatch(3, 3))
    throw ValueError(op_name(kOp) +
                     ": `query` and `key` must have the same head size H. "
                     "Received: " +
                     shapes_str(query, key, value));
  if (known(qs[2]) && known(ks[2]) && (ks[2] == 0 || qs[2] % ks[2] != 0))
    throw ValueError(op_name(kOp) +
                     ": the number of query heads N must be a multiple of the "
                     "number of key/value heads K. Received: " +
                     shapes_str(query, key, value));
  if (mask.defined() && mask.dtype() != DType::Bool)
    throw TypeError(op_name(kOp) + ": `mask` must be a boolean tensor (true = attend), got " +
                    dtype_str(mask) + "; pass an additive mask as `bias`");
  if (bias.defined() && !is_floating(bias.dtype()) && !bias.impl()->weak)
    throw TypeError(op_name(kOp) + ": `bias` must be floating, got " + dtype_str(bias));

  DType dt = float_result_type(promote({query, key, value}));
  Shape logits_shape{qs[0], qs[2], qs[1], ks[1]};
  Tensor bias4 = as_rank4(bias, "bias", logits_shape);
  Tensor mask4 = as_rank4(mask, "mask", logits_shape);
  Shape out_shape{qs[0], qs[1], qs[2], vs[3]};
  if (any_symbolic({&query, &key, &value, &bias, &mask})) return Tensor::symbolic(out_shape, dt);

  Dims d{qs[0], qs[1], qs[2], qs[3], ks[1], ks[2], qs[2] / ks[2], vs[3]};
  const double sc = scale.value_or(1.0 / std::sqrt(static_cast<double>(ks[3])));
  backend::Backend& be = pick_backend(kOp, {&query, &key, &value, &bias, &mask});
  Tensor q = prepare(query, be, dt), k = prepare(key, be, dt), v = prepare(value, be, dt);
  Tensor b4 = bias4.defined() ? prepare(bias4, be, dt) : Tensor();
  Tensor m4 = mask4.defined() ? prepare(mask4, be, DType::Bool) : Tensor();

  const bool native = be.has_native(backend::FusedKernel::DotProductAttention);
  if (flash_attention.value_or(false) && !native)
    throw ValueError(op_name(kOp) +
                     ": flash_attention=true needs a backend with a fused "
                     "attention kernel; backend '" +
                     std::string(be.name()) + "' has none (use flash_attention=nullopt)");
  // Unset flash_attention takes the fused kernel only when the full (B, N, T, S) logits would be
  // large (>= 2^24 elements, 64 MiB in float32): below that the composite path (oneDNN matmul +
  // softmax) is faster on the cpu backend today, whose fused loops are not vectorized beyond
  // the baseline ISA (measured 2-4x slower at T = 64..1024; docs/sequence_models.md).
  const bool large = d.b * d.n * d.t * d.s >= (int64_t{1} << 24);
  const bool fused =
      flash_attention.value_or(native && large) && (dt == DType::Float32 || dt == DType::Float64);
  Tensor cond = combined_mask(m4, q, d, is_causal);
  if (!fused) return composite_attention(q, k, v, b4, cond, d, sc);

  backend::AttentionParams p{sc, is_causal};
  auto [out, lse] = be.dot_product_attention(q, k, v, b4, m4, p);
  if (autodiff::is_recording()) {
    std::vector<Tensor> inputs{query, key, value};
    if (bias.defined()) inputs.push_back(bias);
    autodiff::record(
        kOp, inputs, {out}, [=, &be, out = out, lse = lse](const std::vector<Tensor>& gs) {
          Tensor g = as_dtype(gs[0], dt);
          std::vector<Tensor> r;
          if (autodiff::is_recording() || bias.defined()) {
            // Differentiable again: recompute from the original inputs with ops.
            Tensor b = bias.defined() ? cast(as_rank4(bias, "bias", logits_shape), dt) : Tensor();
            Grads gr = gradients_with_ops(as_dtype(query, dt), as_dtype(key, dt),
                                          as_dtype(value, dt), b, cond, d, sc, g);
            r = {gr.dq, gr.dk, gr.dv};
            if (bias.defined())
              r.push_back(reshape(unbroadcast(gr.dbias, b.shape(), dt), bias.shape()));
          } else {
            auto [dq, dk, dv] =
                be.dot_product_attention_backward(q, k, v, b4, m4, out, lse, prepare(g, be, dt), p);
            r = {dq, dk, dv};
          }
          const Tensor* ins[] = {&query, &key, &value, &bias};
          for (size_t i = 0; i < r.size(); ++i) r[i] = as_dtype(r[i], ins[i]->dtype());
          return r;
        });
  }
  return out;
}

}  // namespace keras::ops
