// ops::dot_product_attention: the fused kernel (cpu) against the composite path
// (flash_attention = false) and a plain float64 reference written here, with masks, bias,
// causal masking, grouped-query heads and fully masked rows; gradients against finite
// differences (fused and composite, first and second order); the backends' composite default
// kernels against the native ones; argument errors.
#include <cmath>

#include "keras/backend/backend.hpp"
#include "ops/nn_testing.hpp"

namespace keras {
namespace {

using nn_testing::expect_error;
namespace ops = keras::ops;

class AttentionTest : public testing::BackendTest {
 protected:
  // flash_attention = true (the fused kernel) where the backend has one, else the default.
  std::optional<bool> native_or_default() {
    if (backend::get_backend(backend_name()).has_native(backend::FusedKernel::DotProductAttention))
      return true;
    return std::nullopt;
  }
};

constexpr double kMasked = -0.7 * 3.38953e38;

// Keras's numpy-backend formula in plain loops (float64): q (B,T,N,H), k/v (B,S,K,H), bias and
// mask given as full (B,N,T,S) vectors (empty = none).
std::vector<double> reference(const Tensor& q, const Tensor& k, const Tensor& v,
                              const std::vector<double>& bias, const std::vector<uint8_t>& mask,
                              double scale, bool causal) {
  const Shape &qs = q.shape(), &ks = k.shape();
  int64_t B = qs[0], T = qs[1], N = qs[2], H = qs[3], S = ks[1], K = ks[2], G = N / K;
  int64_t Hv = v.shape()[3];
  auto qv = q.to_vector<double>(), kv = k.to_vector<double>(), vv = v.to_vector<double>();
  std::vector<double> out(B * T * N * Hv, 0.0), logits(S);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t n = 0; n < N; ++n)
      for (int64_t t = 0; t < T; ++t) {
        int64_t kh = n / G;
        double mx = -INFINITY;
        for (int64_t s = 0; s < S; ++s) {
          double d = 0;
          for (int64_t h = 0; h < H; ++h)
            d += qv[((b * T + t) * N + n) * H + h] * kv[((b * S + s) * K + kh) * H + h];
          d *= scale;
          int64_t bi = ((b * N + n) * T + t) * S + s;
          if (!bias.empty()) d += bias[bi];
          bool keep = (mask.empty() || mask[bi]) && (!causal || s <= t);
          logits[s] = keep ? d : kMasked;
          mx = std::max(mx, logits[s]);
        }
        double sum = 0;
        for (int64_t s = 0; s < S; ++s) sum += (logits[s] = std::exp(logits[s] - mx));
        for (int64_t s = 0; s < S; ++s)
          for (int64_t h = 0; h < Hv; ++h)
            out[((b * T + t) * N + n) * Hv + h] +=
                logits[s] / sum * vv[((b * S + s) * K + kh) * Hv + h];
      }
  return out;
}

struct Case {
  std::string name;
  int64_t B, T, S, N, K, H;
  bool causal, use_mask, use_bias;
  int64_t Hv = 0;  // value head size; 0: H
};

std::vector<Case> cases() {
  return {
      {"mha", 2, 5, 7, 2, 2, 4, false, false, false},
      {"causal", 2, 6, 6, 2, 2, 3, true, false, false},
      {"causal T<S", 1, 4, 9, 1, 1, 5, true, false, false},
      {"mask", 2, 5, 6, 3, 3, 4, false, true, false},
      {"bias", 1, 4, 5, 2, 2, 3, false, false, true},
      {"gqa mask causal", 2, 5, 5, 4, 2, 3, true, true, false},
      {"mqa bias mask", 1, 3, 4, 3, 1, 2, false, true, true},
      {"value head size 5", 2, 4, 6, 4, 2, 3, true, true, false, 5},
      // several blocks of the cpu kernel (64 x 64), with a ragged last block
      {"blocks causal gqa", 1, 150, 140, 4, 2, 8, true, true, false},
  };
}

struct Inputs {
  Tensor q, k, v, bias, mask;
  std::vector<double> bias_v;
  std::vector<uint8_t> mask_v;
};

Inputs make_inputs(const Case& c, DType dt) {
  Inputs in;
  in.q = ops::cast(testing::test_values({c.B, c.T, c.N, c.H}, -1.5, 1.5, 1), dt);
  in.k = ops::cast(testing::test_values({c.B, c.S, c.K, c.H}, -1.5, 1.5, 2), dt);
  in.v = ops::cast(testing::test_values({c.B, c.S, c.K, c.Hv ? c.Hv : c.H}, -1, 1, 3), dt);
  int64_t full = c.B * c.N * c.T * c.S;
  if (c.use_bias) {
    in.bias = ops::cast(testing::test_values({c.B, c.N, c.T, c.S}, -1, 1, 4), dt);
    in.bias_v = in.bias.to_vector<double>();
  }
  if (c.use_mask) {
    // (B, 1, T, S) broadcast over heads; row 1 fully masked to check Keras's uniform rows.
    std::vector<double> r = testing::test_values({c.B, 1, c.T, c.S}, 0, 1, 5).to_vector<double>();
    std::vector<uint8_t> m(r.size());
    for (size_t i = 0; i < r.size(); ++i) m[i] = r[i] > 0.3;
    for (int64_t b = 0; b < c.B; ++b)
      for (int64_t s = 0; s < c.S && c.T > 1; ++s) m[(b * c.T + 1) * c.S + s] = 0;
    Tensor mask =
        ops::convert_to_tensor(std::vector<int32_t>(m.begin(), m.end()), Shape{c.B, 1, c.T, c.S});
    in.mask = ops::cast(mask, DType::Bool);
    in.mask_v.resize(full);
    for (int64_t b = 0; b < c.B; ++b)
      for (int64_t n = 0; n < c.N; ++n)
        for (int64_t i = 0; i < c.T * c.S; ++i)
          in.mask_v[(b * c.N + n) * c.T * c.S + i] = m[b * c.T * c.S + i];
  }
  return in;
}

TEST_P(AttentionTest, FusedAndCompositeMatchReference) {
  for (const Case& c : cases()) {
    for (DType dt : {DType::Float64, DType::Float32}) {
      double tol = dt == DType::Float64 ? 1e-10 : 2e-5;
      Inputs in = make_inputs(c, dt);
      double scale = 1.0 / std::sqrt(static_cast<double>(c.H));
      std::vector<double> ref = reference(in.q, in.k, in.v, in.bias_v, in.mask_v, scale, c.causal);
      for (std::optional<bool> flash : {native_or_default(), std::optional<bool>(false)}) {
        Tensor y = ops::dot_product_attention(in.q, in.k, in.v, in.bias, in.mask, std::nullopt,
                                              c.causal, flash);
        std::string what =
            c.name + (flash == false ? " composite " : " fused ") + std::string(dtype_name(dt));
        EXPECT_EQ(y.shape(), (Shape{c.B, c.T, c.N, c.Hv ? c.Hv : c.H})) << what;
        EXPECT_EQ(y.dtype(), dt) << what;
        nn_testing::expect_close(y, ref, tol, what);
      }
    }
  }
}

TEST_P(AttentionTest, ExplicitScaleAndBroadcastRank2Mask) {
  Tensor q = testing::test_values({1, 3, 2, 4}, -1, 1, 7);
  Tensor k = testing::test_values({1, 5, 2, 4}, -1, 1, 8);
  Tensor v = testing::test_values({1, 5, 2, 4}, -1, 1, 9);
  std::vector<int32_t> m2{1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1};
  Tensor mask = ops::cast(ops::convert_to_tensor(m2, Shape{3, 5}), DType::Bool);  // (T, S)
  std::vector<uint8_t> full;
  for (int n = 0; n < 2; ++n)
    for (int32_t x : m2) full.push_back(static_cast<uint8_t>(x));
  std::vector<double> ref = reference(q, k, v, {}, full, 0.3, false);
  nn_testing::expect_close(ops::dot_product_attention(q, k, v, Tensor(), mask, 0.3), ref, 1e-10);
  nn_testing::expect_close(ops::dot_product_attention(q, k, v, Tensor(), mask, 0.3, false, false),
                           ref, 1e-10);
}

TEST_P(AttentionTest, GradientsMatchFiniteDifferences) {
  for (const Case& c : cases()) {
    if (c.T > 10) continue;
    Inputs in = make_inputs(c, DType::Float64);
    for (std::optional<bool> flash : {native_or_default(), std::optional<bool>(false)}) {
      std::string what = c.name + (flash == false ? " composite" : " fused");
      std::vector<Tensor> xs{in.q, in.k, in.v};
      if (c.use_bias) xs.push_back(in.bias);
      Tensor mask = in.mask;
      bool causal = c.causal;
      testing::expect_gradients_match(
          [&](const std::vector<Tensor>& a) {
            return ops::dot_product_attention(a[0], a[1], a[2], a.size() > 3 ? a[3] : Tensor(),
                                              mask, std::nullopt, causal, flash);
          },
          xs, what);
    }
  }
}

TEST_P(AttentionTest, SecondOrderGradients) {
  Case c{"gqa causal", 1, 3, 4, 2, 1, 2, true, false, false};
  Inputs in = make_inputs(c, DType::Float64);
  testing::expect_second_gradients_match(
      [&](const std::vector<Tensor>& a) {
        return ops::dot_product_attention(a[0], a[1], a[2], Tensor(), Tensor(), std::nullopt, true,
                                          native_or_default());
      },
      {in.q, in.k, in.v}, "second order", {.eps = 1e-5, .atol = 1e-5, .rtol = 1e-4});
}

// The backend's composite default kernels (Backend::dot_product_attention) against its native
// ones, forward and backward, called directly.
TEST_P(AttentionTest, CompositeKernelsMatchNative) {
  backend::Backend& be = backend::get_backend(backend_name());
  for (const Case& c : cases()) {
    for (DType dt : {DType::Float64, DType::Float32}) {
      double tol = dt == DType::Float64 ? 1e-10 : 5e-5;
      Inputs in = make_inputs(c, dt);
      Tensor bias4 = in.bias, mask4 = in.mask;
      backend::AttentionParams p{0.4, c.causal};
      auto [out, lse] = be.dot_product_attention(in.q, in.k, in.v, bias4, mask4, p);
      auto [out_c, lse_c] = be.Backend::dot_product_attention(in.q, in.k, in.v, bias4, mask4, p);
      std::string what = c.name + " " + std::string(dtype_name(dt));
      nn_testing::expect_close(out, out_c.to_vector<double>(), tol, what + " out");
      nn_testing::expect_close(lse, lse_c.to_vector<double>(), tol, what + " lse");
      Tensor g = ops::cast(testing::test_values(out.shape(), -1, 1, 11), dt);
      auto native =
          be.dot_product_attention_backward(in.q, in.k, in.v, bias4, mask4, out, lse, g, p);
      auto composite = be.Backend::dot_product_attention_backward(in.q, in.k, in.v, bias4, mask4,
                                                                  out, lse, g, p);
      for (int i = 0; i < 3; ++i)
        nn_testing::expect_close(native[i], composite[i].to_vector<double>(), tol * 4,
                                 what + " grad " + std::to_string(i));
    }
  }
}

TEST_P(AttentionTest, SymbolicInputs) {
  Tensor q = Tensor::symbolic({Shape::kNone, 5, 4, 8}, DType::Float32);
  Tensor k = Tensor::symbolic({Shape::kNone, 7, 2, 8}, DType::Float32);
  Tensor y = ops::dot_product_attention(q, k, k);
  EXPECT_TRUE(y.is_symbolic());
  EXPECT_EQ(y.shape(), q.shape());
  EXPECT_EQ(y.dtype(), DType::Float32);
}

TEST_P(AttentionTest, Errors) {
  Tensor q = ops::ones({2, 3, 4, 8}), k = ops::ones({2, 5, 2, 8});
  expect_error<ValueError>(
      [&] {
        ops::dot_product_attention(ops::ones({3, 4, 8}), k, k);
      },
      {"ops::dot_product_attention", "4D inputs", "query.shape=(3, 4, 8)"});
  expect_error<ValueError>(
      [&] {
        ops::dot_product_attention(q, k, ops::ones({2, 6, 2, 8}));
      },
      {"must agree on B, S and K", "value.shape=(2, 6, 2, 8)"});
  expect_error<ValueError>(
      [&] {
        ops::dot_product_attention(q, ops::ones({2, 5, 3, 8}), ops::ones({2, 5, 3, 8}));
      },
      {"multiple of the number of key/value heads", "key.shape=(2, 5, 3, 8)"});
  expect_error<ValueError>(
      [&] {
        ops::dot_product_attention(q, ops::ones({2, 5, 2, 7}), ops::ones({2, 5, 2, 7}));
      },
      {"same head size"});
  expect_error<ValueError>(
      [&] {
        ops::dot_product_attention(q, ops::ones({1, 5, 2, 8}), ops::ones({1, 5, 2, 8}));
      },
      {"same batch size"});
  expect_error<ValueError>(
      [&] {
        ops::dot_product_attention(q, k, k, ops::ones({2, 4, 3, 4}));
      },
      {"`bias` must be broadcastable to (B, N, T, S) = (2, 4, 3, 5)", "(2, 4, 3, 4)"});
  expect_error<TypeError>(
      [&] {
        ops::dot_product_attention(q, k, k, Tensor(), ops::ones({3, 5}));
      },
      {"`mask` must be a boolean tensor"});
  expect_error<ValueError>(
      [&] {
        ops::dot_product_attention(q, k, k, Tensor(), Tensor(), std::nullopt, false, std::nullopt,
                                   30.0);
      },
      {"attn_logits_soft_cap is only supported for JAX on TPU"});
  if (!backend::get_backend(backend_name()).has_native(backend::FusedKernel::DotProductAttention))
    expect_error<ValueError>(
        [&] { ops::dot_product_attention(q, k, k, Tensor(), Tensor(), std::nullopt, false, true); },
        {"flash_attention=true"});
}

KERAS_INSTANTIATE_BACKEND_TEST(AttentionTest);

}  // namespace
}  // namespace keras
