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
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>

#include "keras/keras.hpp"

namespace layers = keras::layers;
namespace ops = keras::ops;

namespace {

struct Args {
  std::string backend = "cpu";
  int steps = 10, warmup = 2, repeats = 3;
  int64_t batch_size = 32, seq = 64, dim = 128, heads = 4, ff = 256;
  int micro = 1;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double best_of(int repeats, const std::function<void()>& f) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, seconds_since(t0));
  }
  return best;
}

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
    std::vector<int64_t> start(t.ndim(), 0);
    start[0] = step * a.batch_size;
    keras::Shape shape = t.shape();
    shape[0] = a.batch_size;
    return ops::slice(t, start, shape);
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
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string f = argv[i], v = argv[i + 1];
    if (f == "--backend")
      a.backend = v;
    else if (f == "--steps")
      a.steps = std::stoi(v);
    else if (f == "--warmup")
      a.warmup = std::stoi(v);
    else if (f == "--repeats")
      a.repeats = std::stoi(v);
    else if (f == "--batch-size")
      a.batch_size = std::stoll(v);
    else if (f == "--seq")
      a.seq = std::stoll(v);
    else if (f == "--dim")
      a.dim = std::stoll(v);
    else if (f == "--heads")
      a.heads = std::stoll(v);
    else if (f == "--ff")
      a.ff = std::stoll(v);
    else if (f == "--micro")
      a.micro = std::stoi(v);
    else {
      std::cerr << "unknown flag " << f << "\n";
      return 2;
    }
  }
  try {
    keras::config::set_backend(a.backend);
    keras::random::set_random_seed(42);
    encoder_block(a);
    if (a.micro) micro(a);
  } catch (const keras::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
