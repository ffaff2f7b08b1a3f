// Training and inference throughput of two small Keras models, for the side-by-side comparison
// with PyTorch (bench/train_vs_pytorch.py does the same in PyTorch; bench/train_vs_pytorch.sh runs
// both and prints the table).
//
//   train_vs_pytorch [--backend NAME] [--model mlp|convnet|all] [--steps N] [--warmup N]
//                    [--repeats N] [--batch-size N] [--data fashion|synthetic]
//                    [--mode train|predict|both]
//   train_vs_pytorch --list-backends
//
// Models (as in the issue and examples/fashion_mnist_convnet.cpp):
//   mlp:     Input(784), Dense 512 relu, Dense 256 relu, Dense 10 softmax
//   convnet: Input(28, 28, 1), Conv2D 32 3x3 relu, MaxPooling2D 2, Conv2D 64 3x3 relu,
//            MaxPooling2D 2, Flatten, Dropout 0.5, Dense 10 softmax
// compiled with Adam, sparse_categorical_crossentropy and the accuracy metric.
//
// Training: one warm-up fit() of --warmup steps, then --repeats timed fit() calls of --steps steps
// each (shuffled batches gathered from the 60000 training samples, as fit does); the best
// (minimum) time is reported, because on a shared machine the other processes only ever add
// time. Inference: predict() over --steps batches, also min-of-repeats.
//
// One line per measurement on stdout:
//   RESULT model=convnet mode=train backend=cpu batch=128 steps=50 ms_per_step=...
//   samples_per_s=...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "bench_harness.hpp"
#include "keras/keras.hpp"

namespace layers = keras::layers;
namespace ops = keras::ops;

namespace {

struct Args {
  std::string backend = "cpu";
  std::string model = "all";
  int64_t steps = 50;
  int64_t warmup = 5;
  int repeats = 3;
  int64_t batch_size = 128;
  std::string data = "fashion";
  std::string mode = "both";  // train, predict or both
};

[[noreturn]] void usage(const std::string& error) {
  std::cerr << "error: " << error << "\n"
            << "usage: train_vs_pytorch [--backend NAME] [--model mlp|convnet|all] [--steps N] "
               "[--warmup N] [--repeats N] [--batch-size N] [--data fashion|synthetic] [--mode "
               "train|predict|both]\n";
  std::exit(2);
}

int64_t positive(const std::string& flag, const char* value) {
  try {
    size_t used = 0;
    long long v = std::stoll(value, &used);
    if (used != std::string(value).size() || v <= 0) throw std::invalid_argument(value);
    return v;
  } catch (const std::exception&) {
    usage(flag + " expects a positive integer, got '" + value + "'");
  }
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") usage("help requested");
    if (flag == "--list-backends") {
      for (const std::string& b : keras::backend::available_backends())
        std::printf("%s\n", b.c_str());
      std::exit(0);
    }
    if (i + 1 >= argc) usage(flag + " needs a value");
    const char* v = argv[++i];
    if (flag == "--backend")
      a.backend = v;
    else if (flag == "--model")
      a.model = v;
    else if (flag == "--steps")
      a.steps = positive(flag, v);
    else if (flag == "--warmup")
      a.warmup = positive(flag, v);
    else if (flag == "--repeats")
      a.repeats = static_cast<int>(positive(flag, v));
    else if (flag == "--batch-size")
      a.batch_size = positive(flag, v);
    else if (flag == "--data")
      a.data = v;
    else if (flag == "--mode")
      a.mode = v;
    else
      usage("unknown flag " + flag);
  }
  if (a.model != "mlp" && a.model != "convnet" && a.model != "all")
    usage("--model must be mlp, convnet or all, got '" + a.model + "'");
  if (a.mode != "train" && a.mode != "predict" && a.mode != "both")
    usage("--mode must be train, predict or both, got '" + a.mode + "'");
  if (a.data != "fashion" && a.data != "synthetic")
    usage("--data must be fashion or synthetic, got '" + a.data + "'");
  return a;
}

// (60000, 28, 28, 1) float32 in [0, 1] and (60000,) uint8 labels: Fashion-MNIST, or uniform
// noise with random labels (the same work per step; only the accuracy differs).
std::pair<keras::Tensor, keras::Tensor> training_data(const std::string& which) {
  if (which == "fashion") {
    auto [train, test] = keras::datasets::fashion_mnist::load_data();
    return {ops::expand_dims(train.x, -1) / 255.0f, train.y};
  }
  auto x = keras::random::uniform({60000, 28, 28, 1}, {.seed = 1});
  auto y = ops::cast(keras::random::randint({60000}, 0, 10, {.seed = 2}), keras::DType::UInt8);
  return {x, y};
}

// The models are built by their first call (in the warm-up fit), as a Sequential model without
// keras::Input is.
keras::Sequential make_model(const std::string& name) {
  if (name == "mlp")
    return keras::Sequential({
        layers::Dense({.units = 512, .activation = "relu"}),
        layers::Dense({.units = 256, .activation = "relu"}),
        layers::Dense({.units = 10, .activation = "softmax"}),
    });
  return keras::Sequential({
      layers::Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}),
      layers::MaxPooling2D({.pool_size = 2}),
      layers::Conv2D({.filters = 64, .kernel_size = 3, .activation = "relu"}),
      layers::MaxPooling2D({.pool_size = 2}),
      layers::Flatten(),
      layers::Dropout({.rate = 0.5}),
      layers::Dense({.units = 10, .activation = "softmax"}),
  });
}

using keras::bench::best_of;

void report(const Args& a, const std::string& model, const char* mode, double best_s,
            double extra) {
  double ms = best_s * 1e3 / static_cast<double>(a.steps);
  double sps = static_cast<double>(a.steps * a.batch_size) / best_s;
  std::printf(
      "RESULT model=%s mode=%s backend=%s batch=%lld steps=%lld ms_per_step=%.3f "
      "samples_per_s=%.1f check=%.4f\n",
      model.c_str(), mode, a.backend.c_str(), static_cast<long long>(a.batch_size),
      static_cast<long long>(a.steps), ms, sps, extra);
  std::fflush(stdout);
}

void run_model(const Args& a, const std::string& name, const keras::Tensor& x_images,
               const keras::Tensor& y) {
  keras::clear_session();
  keras::random::set_random_seed(42);
  keras::Tensor x = name == "mlp" ? ops::reshape(x_images, {x_images.shape()[0], 784}) : x_images;
  auto model = make_model(name);
  model.compile(
      {.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});

  keras::FitOptions warm{.batch_size = a.batch_size, .epochs = 1, .verbose = 0};
  warm.steps_per_epoch = a.warmup;
  model.fit(x, y, warm);

  if (a.mode != "predict") {
    keras::FitOptions fo{.batch_size = a.batch_size, .epochs = 1, .verbose = 0};
    fo.steps_per_epoch = a.steps;
    keras::History h;
    double best = best_of(a.repeats, [&] { h = model.fit(x, y, fo); });
    report(a, name, "train", best, h.history.at("accuracy").back());
  }
  if (a.mode == "train") return;

  // Inference on the first steps * batch samples (predict slices batches in order).
  std::vector<int64_t> start(x.ndim(), 0);
  keras::Shape shape = x.shape();
  shape[0] = std::min<int64_t>(shape[0], a.steps * a.batch_size);
  keras::Tensor xp = ops::slice(x, start, shape);
  model.predict(xp, {.batch_size = a.batch_size, .steps = std::min<int64_t>(a.warmup, a.steps)});
  keras::Tensor p;
  double best = best_of(a.repeats, [&] { p = model.predict(xp, {.batch_size = a.batch_size}); });
  double checksum = ops::mean(ops::max(p, {.axis = -1})).item<double>();
  report(a, name, "predict", best, checksum);
}

}  // namespace

int main(int argc, char** argv) {
  Args a = parse(argc, argv);
  try {
    keras::config::set_backend(a.backend);
    auto info = keras::backend::get_backend(a.backend).info();
    std::printf("# backend %s: %s; %s; %d threads\n", info.name.c_str(), info.device.c_str(),
                info.libraries.c_str(), info.num_threads);
    auto [x, y] = training_data(a.data);
    for (std::string m : {"mlp", "convnet"})
      if (a.model == "all" || a.model == m) run_model(a, m, x, y);
  } catch (const keras::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
