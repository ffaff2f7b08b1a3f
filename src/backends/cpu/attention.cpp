// Fused scaled dot-product attention for float32 and float64, flash-attention style: each task
// (batch, head, block of query rows) streams over blocks of keys with an online softmax (running
// row max and sum), so no more than a kBr x kBc block of logits exists at a time. Tasks run in
// parallel with OpenMP. The backward recomputes logit blocks from the saved log-sum-exp in two
// passes, one over query blocks (d query) and one over key blocks (d key, d value), so no two
// threads write the same rows. Other dtypes use the composite default.
//
// Masking follows Keras: a masked logit becomes kAttentionMaskedLogit (a large finite negative),
// so a row whose every key is masked attends uniformly to all keys. Blocks entirely above the
// causal diagonal are skipped; rows left fully masked are fixed up afterwards.
#include <cmath>
#include <limits>
#include <vector>

#include "backends/cpu/cpu_common.hpp"

namespace keras::backend::cpu {

namespace {

constexpr int64_t kBr = 64;  // query rows per block
constexpr int64_t kBc = 64;  // keys per block

// Element strides of a rank-4 bias/mask broadcast against (B, N, T, S) (0 on size-1 dims).
struct Broadcast4 {
  int64_t sb = 0, sn = 0, st = 0, ss = 0;
  explicit Broadcast4(const Tensor& x) {
    if (!x.defined()) return;
    const Shape& s = x.shape();
    int64_t stride = 1;
    int64_t* out[4] = {&sb, &sn, &st, &ss};
    for (int i = 3; i >= 0; --i) {
      *out[i] = s[i] == 1 ? 0 : stride;
      stride *= s[i];
    }
  }
};

struct Geometry {
  int64_t B, T, N, H, S, K, G, Hv;  // Hv: the value head size (may differ from H)
};

template <class T>
struct Inputs {
  const T* q;
  const T* k;
  const T* v;
  const T* bias;        // null when undefined
  const uint8_t* mask;  // null when undefined
  Broadcast4 bias_st, mask_st;
  Geometry g;
  T scale;
  bool causal;
};

// S (rows x cols, row stride kBc) = Qs (rows x H) @ Kt (H x cols, row stride kBc): the inner loop
// runs over keys so it vectorizes without reassociating sums.
template <class T>
void block_logits(const T* qs, const T* kt, T* s, int64_t rows, int64_t cols, int64_t H) {
  for (int64_t i = 0; i < rows; ++i) {
    T* srow = s + i * kBc;
    for (int64_t j = 0; j < cols; ++j) srow[j] = T(0);
    const T* qrow = qs + i * H;
    for (int64_t h = 0; h < H; ++h) {
      T a = qrow[h];
      const T* krow = kt + h * kBc;
      for (int64_t j = 0; j < cols; ++j) srow[j] += a * krow[j];
    }
  }
}

// Adds the bias to a block of logits and replaces masked entries with the masked logit.
template <class T>
void bias_and_mask(const Inputs<T>& in, T* s, int64_t b, int64_t n, int64_t t0, int64_t rows,
                   int64_t s0, int64_t cols) {
  const T masked = static_cast<T>(kAttentionMaskedLogit);
  for (int64_t i = 0; i < rows; ++i) {
    T* srow = s + i * kBc;
    int64_t t = t0 + i;
    if (in.bias) {
      const T* brow = in.bias + b * in.bias_st.sb + n * in.bias_st.sn + t * in.bias_st.st;
      for (int64_t j = 0; j < cols; ++j) srow[j] += brow[(s0 + j) * in.bias_st.ss];
    }
    if (in.mask) {
      const uint8_t* mrow = in.mask + b * in.mask_st.sb + n * in.mask_st.sn + t * in.mask_st.st;
      for (int64_t j = 0; j < cols; ++j)
        if (!mrow[(s0 + j) * in.mask_st.ss]) srow[j] = masked;
    }
    if (in.causal)
      for (int64_t j = std::max<int64_t>(0, t + 1 - s0); j < cols; ++j) srow[j] = masked;
  }
}

// Whether entry (t, s) is masked (for zeroing logit gradients).
template <class T>
bool is_masked(const Inputs<T>& in, int64_t b, int64_t n, int64_t t, int64_t s) {
  if (in.causal && s > t) return true;
  if (in.mask) {
    const Broadcast4& m = in.mask_st;
    return !in.mask[b * m.sb + n * m.sn + t * m.st + s * m.ss];
  }
  return false;
}

// Copies rows [r0, r0 + rows) of head `head` from x (B, L, heads, H) into dst (rows x H),
// times `mult`.
template <class T>
void gather_rows(const T* x, int64_t b, int64_t L, int64_t heads, int64_t head, int64_t H,
                 int64_t r0, int64_t rows, T mult, T* dst) {
  for (int64_t i = 0; i < rows; ++i) {
    const T* src = x + ((b * L + r0 + i) * heads + head) * H;
    for (int64_t h = 0; h < H; ++h) dst[i * H + h] = src[h] * mult;
  }
}

// The same rows transposed into dst (H x kBc).
template <class T>
void gather_rows_t(const T* x, int64_t b, int64_t L, int64_t heads, int64_t head, int64_t H,
                   int64_t r0, int64_t rows, T* dst) {
  for (int64_t i = 0; i < rows; ++i) {
    const T* src = x + ((b * L + r0 + i) * heads + head) * H;
    for (int64_t h = 0; h < H; ++h) dst[h * kBc + i] = src[h];
  }
}

int64_t blocks(int64_t n, int64_t size) { return (n + size - 1) / size; }

// Whether the block of keys starting at s0 lies entirely above the causal diagonal of the query
// rows [t0, t1).
bool above_diagonal(bool causal, int64_t s0, int64_t t1) { return causal && s0 > t1 - 1; }

template <class T>
void forward(const Inputs<T>& in, T* out, T* lse) {
  const Geometry g = in.g;
  const int64_t nq = blocks(g.T, kBr), tasks = g.B * g.N * nq;
  const T masked = static_cast<T>(kAttentionMaskedLogit);
#pragma omp parallel if (tasks > 1 && g.T * g.S * g.H * g.B * g.N > kGrain)
  {
    std::vector<T> qs(kBr * g.H), kt(g.H * kBc), vb(kBc * g.Hv), s(kBr * kBc), acc(kBr * g.Hv);
    std::vector<T> m(kBr), l(kBr);
#pragma omp for schedule(dynamic)
    for (int64_t task = 0; task < tasks; ++task) {
      const int64_t qb = task % nq, n = (task / nq) % g.N, b = task / (nq * g.N);
      const int64_t kv = n / g.G, t0 = qb * kBr, rows = std::min(kBr, g.T - t0);
      gather_rows(in.q, b, g.T, g.N, n, g.H, t0, rows, in.scale, qs.data());
      std::fill(acc.begin(), acc.end(), T(0));
      std::fill(m.begin(), m.end(), -std::numeric_limits<T>::infinity());
      std::fill(l.begin(), l.end(), T(0));
      for (int64_t s0 = 0; s0 < g.S; s0 += kBc) {
        if (above_diagonal(in.causal, s0, t0 + rows)) break;
        const int64_t cols = std::min(kBc, g.S - s0);
        gather_rows_t(in.k, b, g.S, g.K, kv, g.H, s0, cols, kt.data());
        gather_rows(in.v, b, g.S, g.K, kv, g.Hv, s0, cols, T(1), vb.data());
        block_logits(qs.data(), kt.data(), s.data(), rows, cols, g.H);
        bias_and_mask(in, s.data(), b, n, t0, rows, s0, cols);
        for (int64_t i = 0; i < rows; ++i) {
          T* srow = s.data() + i * kBc;
          T mx = srow[0];
          for (int64_t j = 1; j < cols; ++j) mx = std::max(mx, srow[j]);
          const T m_new = std::max(m[i], mx);
          const T corr = std::exp(m[i] - m_new);
          T sum = 0;
          for (int64_t j = 0; j < cols; ++j) {
            srow[j] = std::exp(srow[j] - m_new);
            sum += srow[j];
          }
          l[i] = l[i] * corr + sum;
          m[i] = m_new;
          T* arow = acc.data() + i * g.Hv;
          if (corr != T(1))
            for (int64_t h = 0; h < g.Hv; ++h) arow[h] *= corr;
          for (int64_t j = 0; j < cols; ++j) {
            const T p = srow[j];
            if (p == T(0)) continue;
            const T* vrow = vb.data() + j * g.Hv;
            for (int64_t h = 0; h < g.Hv; ++h) arow[h] += p * vrow[h];
          }
        }
      }
      for (int64_t i = 0; i < rows; ++i) {
        const int64_t t = t0 + i;
        T* orow = out + ((b * g.T + t) * g.N + n) * g.Hv;
        T* lrow = lse + (b * g.N + n) * g.T + t;
        if (m[i] == masked) {
          // Every key of this row is masked, including any skipped above the diagonal: the
          // softmax is uniform over all S keys.
          for (int64_t h = 0; h < g.Hv; ++h) orow[h] = T(0);
          for (int64_t j = 0; j < g.S; ++j) {
            const T* vrow = in.v + ((b * g.S + j) * g.K + kv) * g.Hv;
            for (int64_t h = 0; h < g.Hv; ++h) orow[h] += vrow[h];
          }
          for (int64_t h = 0; h < g.Hv; ++h) orow[h] /= static_cast<T>(g.S);
          *lrow = masked;  // log(S) would vanish next to it; the backward knows this case
          continue;
        }
        const T inv = T(1) / l[i];
        for (int64_t h = 0; h < g.Hv; ++h) orow[h] = acc[i * g.Hv + h] * inv;
        *lrow = m[i] + std::log(l[i]);
      }
    }
  }
}

// Scratch of one backward block: recomputed probabilities and the logit gradient.
template <class T>
struct BackwardBlock {
  std::vector<T> qs, dob, kt, vt, p, dp;
  std::vector<T> rowdot, lse;
  BackwardBlock(int64_t H, int64_t Hv)
      : qs(kBr * H),
        dob(kBr * Hv),
        kt(H * kBc),
        vt(Hv * kBc),
        p(kBr * kBc),
        dp(kBr * kBc),
        rowdot(kBr),
        lse(kBr) {}
};

// Loads the query-side rows of block (b, n, t0..t0+rows): scaled query, output gradient,
// rowdot = rowsum(dO * O) and lse. Returns whether some row is fully masked.
template <class T>
bool load_query_side(const Inputs<T>& in, const T* out, const T* lse, const T* grad, int64_t b,
                     int64_t n, int64_t t0, int64_t rows, BackwardBlock<T>& w) {
  const Geometry g = in.g;
  gather_rows(in.q, b, g.T, g.N, n, g.H, t0, rows, in.scale, w.qs.data());
  gather_rows(grad, b, g.T, g.N, n, g.Hv, t0, rows, T(1), w.dob.data());
  bool any_full = false;
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t off = ((b * g.T + t0 + i) * g.N + n) * g.Hv;
    T d = 0;
    for (int64_t h = 0; h < g.Hv; ++h) d += grad[off + h] * out[off + h];
    w.rowdot[i] = d;
    w.lse[i] = lse[(b * g.N + n) * g.T + t0 + i];
    any_full |= w.lse[i] < static_cast<T>(0.5 * kAttentionMaskedLogit);
  }
  return any_full;
}

// With the query side and kt/vt loaded: P = exp(S - lse) into w.p, and the logit gradient
// dS = P * (dP - rowdot) (zero where masked) into w.dp.
template <class T>
void backward_block(const Inputs<T>& in, int64_t b, int64_t n, int64_t t0, int64_t rows, int64_t s0,
                    int64_t cols, BackwardBlock<T>& w) {
  const int64_t H = in.g.H;
  block_logits(w.qs.data(), w.kt.data(), w.p.data(), rows, cols, H);
  bias_and_mask(in, w.p.data(), b, n, t0, rows, s0, cols);
  block_logits(w.dob.data(), w.vt.data(), w.dp.data(), rows, cols, in.g.Hv);
  const bool any_mask = in.mask || in.causal;
  for (int64_t i = 0; i < rows; ++i) {
    T* prow = w.p.data() + i * kBc;
    T* dprow = w.dp.data() + i * kBc;
    // A fully masked row's lse is the masked logit itself (log S vanishes next to it): its
    // probabilities are uniform.
    const bool uniform = w.lse[i] < static_cast<T>(0.5 * kAttentionMaskedLogit);
    const T inv_s = T(1) / static_cast<T>(in.g.S);
    for (int64_t j = 0; j < cols; ++j) {
      prow[j] = uniform ? inv_s : std::exp(prow[j] - w.lse[i]);
      dprow[j] = prow[j] * (dprow[j] - w.rowdot[i]);
    }
    if (any_mask)
      for (int64_t j = 0; j < cols; ++j)
        if (is_masked(in, b, n, t0 + i, s0 + j)) dprow[j] = T(0);
  }
}

template <class T>
void backward(const Inputs<T>& in, const T* out, const T* lse, const T* grad, T* dq, T* dk, T* dv) {
  const Geometry g = in.g;
  const int64_t nq = blocks(g.T, kBr), nk = blocks(g.S, kBc);
  const bool big = g.T * g.S * g.H * g.B * g.N > kGrain;
  // Pass 1: d query, one task per (b, n, query block).
  const int64_t tasks_q = g.B * g.N * nq;
#pragma omp parallel if (tasks_q > 1 && big)
  {
    BackwardBlock<T> w(g.H, g.Hv);
    std::vector<T> kb(kBc * g.H), acc(kBr * g.H);
#pragma omp for schedule(dynamic)
    for (int64_t task = 0; task < tasks_q; ++task) {
      const int64_t qb = task % nq, n = (task / nq) % g.N, b = task / (nq * g.N);
      const int64_t kv = n / g.G, t0 = qb * kBr, rows = std::min(kBr, g.T - t0);
      const bool any_full = load_query_side(in, out, lse, grad, b, n, t0, rows, w);
      std::fill(acc.begin(), acc.end(), T(0));
      for (int64_t s0 = 0; s0 < g.S; s0 += kBc) {
        if (above_diagonal(in.causal, s0, t0 + rows) && !any_full) break;
        const int64_t cols = std::min(kBc, g.S - s0);
        gather_rows_t(in.k, b, g.S, g.K, kv, g.H, s0, cols, w.kt.data());
        gather_rows_t(in.v, b, g.S, g.K, kv, g.Hv, s0, cols, w.vt.data());
        gather_rows(in.k, b, g.S, g.K, kv, g.H, s0, cols, T(1), kb.data());
        backward_block(in, b, n, t0, rows, s0, cols, w);
        for (int64_t i = 0; i < rows; ++i) {
          const T* dsrow = w.dp.data() + i * kBc;
          T* arow = acc.data() + i * g.H;
          for (int64_t j = 0; j < cols; ++j) {
            const T d = dsrow[j];
            if (d == T(0)) continue;
            const T* krow = kb.data() + j * g.H;
            for (int64_t h = 0; h < g.H; ++h) arow[h] += d * krow[h];
          }
        }
      }
      for (int64_t i = 0; i < rows; ++i) {
        T* drow = dq + ((b * g.T + t0 + i) * g.N + n) * g.H;
        for (int64_t h = 0; h < g.H; ++h) drow[h] = acc[i * g.H + h] * in.scale;
      }
    }
  }
  // Pass 2: d key and d value, one task per (b, key/value head, key block), summing over the
  // G query heads of the group.
  const int64_t tasks_k = g.B * g.K * nk;
#pragma omp parallel if (tasks_k > 1 && big)
  {
    BackwardBlock<T> w(g.H, g.Hv);
    std::vector<T> dkacc(kBc * g.H), dvacc(kBc * g.Hv);
#pragma omp for schedule(dynamic)
    for (int64_t task = 0; task < tasks_k; ++task) {
      const int64_t kb = task % nk, kv = (task / nk) % g.K, b = task / (nk * g.K);
      const int64_t s0 = kb * kBc, cols = std::min(kBc, g.S - s0);
      gather_rows_t(in.k, b, g.S, g.K, kv, g.H, s0, cols, w.kt.data());
      gather_rows_t(in.v, b, g.S, g.K, kv, g.Hv, s0, cols, w.vt.data());
      std::fill(dkacc.begin(), dkacc.end(), T(0));
      std::fill(dvacc.begin(), dvacc.end(), T(0));
      for (int64_t gi = 0; gi < g.G; ++gi) {
        const int64_t n = kv * g.G + gi;
        for (int64_t t0 = 0; t0 < g.T; t0 += kBr) {
          const int64_t rows = std::min(kBr, g.T - t0);
          const bool any_full = load_query_side(in, out, lse, grad, b, n, t0, rows, w);
          if (above_diagonal(in.causal, s0, t0 + rows) && !any_full) continue;
          backward_block(in, b, n, t0, rows, s0, cols, w);
          // dV[j] += P[i, j] dO[i];  dK[j] += dS[i, j] Qs[i] (Qs already carries the scale).
          for (int64_t i = 0; i < rows; ++i) {
            const T* prow = w.p.data() + i * kBc;
            const T* dsrow = w.dp.data() + i * kBc;
            const T* dorow = w.dob.data() + i * g.Hv;
            const T* qrow = w.qs.data() + i * g.H;
            for (int64_t j = 0; j < cols; ++j) {
              const T pv = prow[j], d = dsrow[j];
              T* dvrow = dvacc.data() + j * g.Hv;
              T* dkrow = dkacc.data() + j * g.H;
              if (pv != T(0))
                for (int64_t h = 0; h < g.Hv; ++h) dvrow[h] += pv * dorow[h];
              if (d != T(0))
                for (int64_t h = 0; h < g.H; ++h) dkrow[h] += d * qrow[h];
            }
          }
        }
      }
      for (int64_t j = 0; j < cols; ++j) {
        const int64_t off = ((b * g.S + s0 + j) * g.K + kv) * g.H;
        for (int64_t h = 0; h < g.H; ++h) dk[off + h] = dkacc[j * g.H + h];
        const int64_t voff = ((b * g.S + s0 + j) * g.K + kv) * g.Hv;
        for (int64_t h = 0; h < g.Hv; ++h) dv[voff + h] = dvacc[j * g.Hv + h];
      }
    }
  }
}

template <class T>
Inputs<T> inputs(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& bias,
                 const Tensor& mask, const AttentionParams& p) {
  Inputs<T> in{data<T>(q),
               data<T>(k),
               data<T>(v),
               bias.defined() ? data<T>(bias) : nullptr,
               mask.defined() ? data<uint8_t>(mask) : nullptr,
               Broadcast4(bias),
               Broadcast4(mask),
               {q.shape()[0], q.shape()[1], q.shape()[2], q.shape()[3], k.shape()[1], k.shape()[2],
                q.shape()[2] / k.shape()[2], v.shape()[3]},
               static_cast<T>(p.scale),
               p.is_causal};
  return in;
}

bool native_dtype(DType dt) { return dt == DType::Float32 || dt == DType::Float64; }

}  // namespace

std::pair<Tensor, Tensor> CpuBackend::dot_product_attention_impl(
    const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& bias,
    const Tensor& mask, const AttentionParams& p) {
  DType dt = query.dtype();
  if (!native_dtype(dt))
    return Backend::dot_product_attention_impl(query, key, value, bias, mask, p);
  const Shape& qs = query.shape();
  Tensor out = empty(Shape{qs[0], qs[1], qs[2], value.shape()[3]}, dt);
  Tensor lse = empty(Shape{qs[0], qs[2], qs[1]}, dt);
  if (key.shape()[1] == 0)
    return Backend::dot_product_attention_impl(query, key, value, bias, mask, p);
  if (query.size() == 0) return {out, lse};
  if (dt == DType::Float32)
    forward(inputs<float>(query, key, value, bias, mask, p), data<float>(out), data<float>(lse));
  else
    forward(inputs<double>(query, key, value, bias, mask, p), data<double>(out), data<double>(lse));
  return {out, lse};
}

std::array<Tensor, 3> CpuBackend::dot_product_attention_backward_impl(
    const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& bias,
    const Tensor& mask, const Tensor& output, const Tensor& lse, const Tensor& grad,
    const AttentionParams& p) {
  DType dt = query.dtype();
  if (!native_dtype(dt) || query.size() == 0 || key.size() == 0)
    return Backend::dot_product_attention_backward_impl(query, key, value, bias, mask, output, lse,
                                                        grad, p);
  Tensor dq = empty(query.shape(), dt), dk = empty(key.shape(), dt), dv = empty(value.shape(), dt);
  if (dt == DType::Float32)
    backward(inputs<float>(query, key, value, bias, mask, p), data<float>(output), data<float>(lse),
             data<float>(grad), data<float>(dq), data<float>(dk), data<float>(dv));
  else
    backward(inputs<double>(query, key, value, bias, mask, p), data<double>(output),
             data<double>(lse), data<double>(grad), data<double>(dq), data<double>(dk),
             data<double>(dv));
  return {dq, dk, dv};
}

}  // namespace keras::backend::cpu
