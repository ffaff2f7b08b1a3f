// Training and inference throughput of LSTM(128) + Dense(10, softmax) over 28 timesteps of 28
// features (Fashion-MNIST rows), batch 128, Adam, next to the same model in PyTorch
// (bench/lstm_vs_pytorch.py; bench/lstm_vs_pytorch.sh runs both side by side).
//
//   lstm_vs_pytorch [--backend NAME] [--steps N] [--warmup N] [--repeats N] [--batch-size N]
//
// Training: train_on_batch on consecutive batches of synthetic data (uniform [0, 1) images,
// random labels), the best of --repeats timings of --steps steps. Inference: predict_on_batch.
// Prints "RESULT model=lstm mode=train|predict backend=... samples_per_s=..." lines.
#include <algorithm>
#include <cstdio>

#include "bench_harness.hpp"
#include "keras/keras.hpp"

namespace layers = keras::layers;
namespace ops = keras::ops;

namespace {

using Args = keras::bench::CommonArgs;  // steps 20, warmup 3, repeats 3, batch 128
using keras::bench::best_of;

void report(const Args& a, const char* mode, double best) {
  std::printf(
      "RESULT model=lstm mode=%s backend=%s batch=%lld steps=%d ms_per_step=%.3f "
      "samples_per_s=%.1f\n",
      mode, a.backend.c_str(), static_cast<long long>(a.batch_size), a.steps, best * 1e3 / a.steps,
      a.steps * a.batch_size / best);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!keras::bench::parse_flags(argc, argv, a)) return 2;
  return keras::bench::run_benchmark(a, [&] {
    const int64_t n = a.batch_size * std::max(a.steps, a.warmup);
    keras::Tensor x = keras::random::uniform({n, 28, 28});
    keras::Tensor y = keras::random::randint({n}, 0, 10);
    auto model = keras::Sequential({keras::Input({28, 28}), layers::LSTM({.units = 128}),
                                    layers::Dense({.units = 10, .activation = "softmax"})});
    model.compile(
        {.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    auto batch = [&](const keras::Tensor& t, int step) {
      return keras::bench::batch_of(t, step, a.batch_size);
    };
    for (int s = 0; s < a.warmup; ++s) model.train_on_batch(batch(x, s), batch(y, s));
    report(a, "train", best_of(a.repeats, [&] {
             for (int s = 0; s < a.steps; ++s) model.train_on_batch(batch(x, s), batch(y, s));
           }));
    for (int s = 0; s < a.warmup; ++s) model.predict_on_batch(batch(x, s));
    report(a, "predict", best_of(a.repeats, [&] {
             for (int s = 0; s < a.steps; ++s)
               (void)model.predict_on_batch(batch(x, s)).to_vector<float>();
           }));
  });
}
