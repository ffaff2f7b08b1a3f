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
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "keras/keras.hpp"

namespace layers = keras::layers;
namespace ops = keras::ops;

namespace {

struct Args {
  std::string backend = "cpu";
  int steps = 20, warmup = 3, repeats = 3;
  int64_t batch_size = 128;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

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
    else {
      std::cerr << "unknown flag " << f << "\n";
      return 2;
    }
  }
  try {
    keras::config::set_backend(a.backend);
    keras::random::set_random_seed(42);
    const int64_t n = a.batch_size * std::max(a.steps, a.warmup);
    keras::Tensor x = keras::random::uniform({n, 28, 28});
    keras::Tensor y = keras::random::randint({n}, 0, 10);
    auto model = keras::Sequential({keras::Input({28, 28}), layers::LSTM({.units = 128}),
                                    layers::Dense({.units = 10, .activation = "softmax"})});
    model.compile(
        {.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    auto batch = [&](const keras::Tensor& t, int step) {
      std::vector<int64_t> start(t.ndim(), 0);
      start[0] = step * a.batch_size;
      keras::Shape shape = t.shape();
      shape[0] = a.batch_size;
      return ops::slice(t, start, shape);
    };
    for (int s = 0; s < a.warmup; ++s) model.train_on_batch(batch(x, s), batch(y, s));
    double best = 1e30;
    for (int r = 0; r < a.repeats; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      for (int s = 0; s < a.steps; ++s) model.train_on_batch(batch(x, s), batch(y, s));
      best = std::min(best, seconds_since(t0));
    }
    report(a, "train", best);
    for (int s = 0; s < a.warmup; ++s) model.predict_on_batch(batch(x, s));
    best = 1e30;
    for (int r = 0; r < a.repeats; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      for (int s = 0; s < a.steps; ++s)
        (void)model.predict_on_batch(batch(x, s)).to_vector<float>();
      best = std::min(best, seconds_since(t0));
    }
    report(a, "predict", best);
  } catch (const keras::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
