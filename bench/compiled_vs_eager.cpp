// Training and inference throughput of compiled steps (jit_compile="auto": traced once, replayed)
// next to eager ones (jit_compile=false), on the three models of docs/benchmarks.md, in one
// process:
//   mlp:     Input(784), Dense 512 relu, Dense 256 relu, Dense 10 softmax
//   convnet: the Fashion-MNIST convnet (Conv2D 32, MaxPooling2D, Conv2D 64, MaxPooling2D,
//            Flatten, Dropout 0.5, Dense 10 softmax)
//   lstm:    Input(28, 28), LSTM 128, Dense 10 softmax
//
//   compiled_vs_eager [--backend NAME] [--model mlp|convnet|lstm|all] [--steps N] [--warmup N]
//                     [--repeats N] [--batch-size N] [--only compiled|eager]
//
// Each measurement is one fit() epoch (Adam, sparse categorical crossentropy, accuracy, no
// shuffling) or one predict() over --steps batches of random inputs, best of --repeats after
// warm-up calls (which trace the compiled steps). Prints one RESULT line per model and mode with
// the ratio compiled / eager. --only runs one mode (e.g. under KERAS_CPU_PROFILE=1) and prints
// 0 for the other.
#include <cstdio>
#include <iostream>
#include <string>

#include "bench_harness.hpp"
#include "keras/keras.hpp"

namespace layers = keras::layers;

namespace {

keras::Sequential make_model(const std::string& name) {
  if (name == "mlp")
    return keras::Sequential({keras::Input({784}),
                              layers::Dense({.units = 512, .activation = "relu"}),
                              layers::Dense({.units = 256, .activation = "relu"}),
                              layers::Dense({.units = 10, .activation = "softmax"})});
  if (name == "lstm")
    return keras::Sequential({keras::Input({28, 28}), layers::LSTM({.units = 128}),
                              layers::Dense({.units = 10, .activation = "softmax"})});
  return keras::Sequential({keras::Input({28, 28, 1}),
                            layers::Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}),
                            layers::MaxPooling2D({.pool_size = 2}),
                            layers::Conv2D({.filters = 64, .kernel_size = 3, .activation = "relu"}),
                            layers::MaxPooling2D({.pool_size = 2}), layers::Flatten(),
                            layers::Dropout({.rate = 0.5}),
                            layers::Dense({.units = 10, .activation = "softmax"})});
}

keras::Shape sample_shape(const std::string& name) {
  if (name == "mlp") return keras::Shape{784};
  if (name == "lstm") return keras::Shape{28, 28};
  return keras::Shape{28, 28, 1};
}

// Samples per second of fit() (train) or predict() in `jit`.
double throughput(keras::Sequential& model, const keras::Tensor& x, const keras::Tensor& y,
                  const keras::bench::CommonArgs& args, bool train, keras::JitCompile jit) {
  model.compile({.optimizer = "adam",
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"},
                 .jit_compile = jit});
  auto run = [&] {
    if (train)
      model.fit(x, y, {.batch_size = args.batch_size, .epochs = 1, .verbose = 0, .shuffle = false});
    else
      model.predict(x, {.batch_size = args.batch_size});
  };
  for (int i = 0; i < std::max(args.warmup, 2); ++i) run();  // builds, then traces
  return static_cast<double>(x.shape()[0]) / keras::bench::best_of(args.repeats, run);
}

}  // namespace

int main(int argc, char** argv) {
  keras::bench::CommonArgs args;
  std::string which = "all", only;
  if (!keras::bench::parse_flags(argc, argv, args, {{"--model", &which}, {"--only", &only}}))
    return 2;
  return keras::bench::run_benchmark(args, [&] {
    for (std::string name : {"mlp", "convnet", "lstm"}) {
      if (which != "all" && which != name) continue;
      keras::clear_session();
      keras::Sequential model = make_model(name);
      std::vector<int64_t> dims{args.steps * args.batch_size};
      keras::Shape s = sample_shape(name);
      for (int i = 0; i < s.rank(); ++i) dims.push_back(s[i]);
      keras::Tensor x = keras::random::uniform(keras::Shape(dims), {.seed = 1});
      keras::Tensor y = keras::random::randint({dims[0]}, 0, 10, {.seed = 2});
      for (bool train : {true, false}) {
        double eager = only == "compiled" ? 0 : throughput(model, x, y, args, train, false);
        double compiled = only == "eager" ? 0 : throughput(model, x, y, args, train, "auto");
        std::printf(
            "RESULT model=%s mode=%s backend=%s batch=%lld eager_samples_per_s=%.0f "
            "compiled_samples_per_s=%.0f compiled/eager=%.2f\n",
            name.c_str(), train ? "train" : "predict", args.backend.c_str(),
            static_cast<long long>(args.batch_size), eager, compiled,
            eager > 0 ? compiled / eager : 0.0);
      }
    }
  });
}
