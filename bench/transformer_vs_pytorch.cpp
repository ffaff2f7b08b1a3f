// Training and inference throughput of one transformer encoder block (post-norm, as PyTorch's
// nn.TransformerEncoderLayer: MultiHeadAttention + residual + LayerNormalization, Dense(ff,
// relu) + Dense(d) + residual + LayerNormalization), then average pooling over tokens and
// Dense(10, softmax); Adam, sparse categorical cross-entropy, no dropout. PyTorch runs the same
// sizes (bench/transformer_vs_pytorch.py; bench/transformer_vs_pytorch.sh runs both).
// Also a micro-benchmark of ops::dot_product_attention, fused kernel vs composite ops
// (flash_attention = false), forward and forward + backward.
//
//   transformer_vs_pytorch [--backend NAME] [--steps N] [--warmup N] [--repeats N]
//                          [--batch-size N] [--seq N] [--dim N] [--heads N] [--ff N]
//                          [--micro 0|1]
//
// Prints "RESULT model=... mode=... backend=... tokens_per_s=..." lines.
#include <algorithm>
#include <cstdio>
#include <string>

#include "bench_harness.hpp"
#include "keras/keras.hpp"

namespace layers = keras::layers;
namespace ops = keras::ops;

namespace {

struct Args : keras::bench::CommonArgs {
  Args() {
    steps = 10;
    warmup = 2;
    batch_size = 32;
  }
  int64_t seq = 64, dim = 128, heads = 4, ff = 256;
  int micro = 1;
};

using keras::bench::best_of;

void report(const Args& a, const char* model, const char* mode, double seconds, int64_t tokens) {
  std::printf(
      "RESULT model=%s mode=%s backend=%s batch=%lld seq=%lld dim=%lld ms=%.3f "
      "tokens_per_s=%.1f\n",
      model, mode, a.backend.c_str(), static_cast<long long>(a.batch_size),
      static_cast<long long>(a.seq), static_cast<long long>(a.dim), seconds * 1e3,
      static_cast<double>(tokens) / seconds);
  std::fflush(stdout);
}

void encoder_block(const Args& a) {
  const int64_t n = a.batch_size * std::max(a.steps, a.warmup);
  keras::Tensor x = keras::random::normal({n, a.seq, a.dim});
  keras::Tensor y = keras::random::randint({n}, 0, 10);
  keras::Tensor in = keras::Input({a.seq, a.dim});
  auto mha = layers::MultiHeadAttention({.num_heads = a.heads, .key_dim = a.dim / a.heads});
  keras::Tensor h = mha->attend(in, in)[0];
  h = layers::LayerNormalization({.epsilon = 1e-5})(layers::Add()({in, h}));
  keras::Tensor f = layers::Dense({.units = a.ff, .activation = "relu"})(h);
  f = layers::Dense({.units = a.dim})(f);
  h = layers::LayerNormalization({.epsilon = 1e-5})(layers::Add()({h, f}));
  h = layers::GlobalAveragePooling1D()(h);
  keras::Tensor out = layers::Dense({.units = 10, .activation = "softmax"})(h);
  keras::Model model({in}, {out});
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy"});
  auto batch = [&](const keras::Tensor& t, int step) {
    return keras::bench::batch_of(t, step, a.batch_size);
  };
  const int64_t tokens = a.steps * a.batch_size * a.seq;
  for (int s = 0; s < a.warmup; ++s) model.train_on_batch(batch(x, s), batch(y, s));
  report(a, "encoder", "train",
         best_of(a.repeats,
                 [&] {
                   for (int s = 0; s < a.steps; ++s) model.train_on_batch(batch(x, s), batch(y, s));
                 }),
         tokens);
  for (int s = 0; s < a.warmup; ++s) model.predict_on_batch(batch(x, s));
  report(a, "encoder", "predict",
         best_of(a.repeats,
                 [&] {
                   for (int s = 0; s < a.steps; ++s)
                     (void)model.predict_on_batch(batch(x, s)).to_vector<float>();
                 }),
         tokens);
}

// ops::dot_product_attention on (B, T, N, H) = (batch, seq, heads, dim / heads), causal.
void micro(const Args& a) {
  const int64_t hd = a.dim / a.heads;
  keras::Tensor q = keras::random::normal({a.batch_size, a.seq, a.heads, hd});
  keras::Tensor k = keras::random::normal({a.batch_size, a.seq, a.heads, hd});
  keras::Tensor v = keras::random::normal({a.batch_size, a.seq, a.heads, hd});
  const int64_t tokens = a.steps * a.batch_size * a.seq;
  const bool has_fused = keras::backend::get_backend(keras::config::backend())
                             .has_native(keras::backend::FusedKernel::DotProductAttention);
  for (bool fused : {true, false}) {
    if (fused && !has_fused) continue;  // e.g. torch (ATen 1.13 has no fused attention)
    std::optional<bool> flash = fused;  // true: the fused kernel, false: composite ops
    auto forward = [&] {
      return ops::dot_product_attention(q, k, v, {}, {}, std::nullopt, true, flash);
    };
    (void)forward().to_vector<float>();
    report(a, fused ? "dpa_fused" : "dpa_composite", "forward",
           best_of(a.repeats,
                   [&] {
                     for (int s = 0; s < a.steps; ++s) (void)forward().to_vector<float>();
                   }),
           tokens);
    keras::Variable qv(q), kv(k), vv(v);
    auto step = [&] {
      keras::GradientTape tape;
      keras::Tensor loss = ops::sum(ops::dot_product_attention(qv.value(), kv.value(), vv.value(),
                                                               {}, {}, std::nullopt, true, flash));
      auto g = tape.gradient(loss, std::vector<keras::Variable>{qv, kv, vv});
      (void)g[0].to_vector<float>();
    };
    step();
    report(a, fused ? "dpa_fused" : "dpa_composite", "forward_backward",
           best_of(a.repeats,
                   [&] {
                     for (int s = 0; s < a.steps; ++s) step();
                   }),
           tokens);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!keras::bench::parse_flags(argc, argv, a,
                                 {{"--seq", &a.seq},
                                  {"--dim", &a.dim},
                                  {"--heads", &a.heads},
                                  {"--ff", &a.ff},
                                  {"--micro", &a.micro}}))
    return 2;
  return keras::bench::run_benchmark(a, [&] {
    encoder_block(a);
    if (a.micro) micro(a);
  });
}
