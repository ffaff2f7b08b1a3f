// Fashion-MNIST with an LSTM: each 28x28 image is read row by row as a sequence of 28 timesteps
// of 28 features, LSTM(128) -> Dense(10, softmax), Adam, batch 64 by default (as keras.io's RNN
// guide trains its MNIST LSTM; with batch 128 three epochs are too few steps to reach 85%).
//
//   fashion_mnist_lstm [--epochs N] [--batch-size N] [--backend NAME] [--limit N] [--verbose N]
//                      [--save PATH.keras]
//
// Reads the IDX files of Debian's dataset-fashion-mnist package. --limit trains and tests on the
// first N samples only (a quick smoke run). --save writes the trained model as a Keras 3
// `.keras` file. Prints the seconds per epoch; the last line printed is
// "test accuracy: 0.xxxx".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "example_args.hpp"
#include "keras/keras.hpp"

namespace layers = keras::layers;
namespace ops = keras::ops;

int main(int argc, char** argv) {
  examples::ArgsSpec spec{
      .program = "fashion_mnist_lstm", .default_epochs = 3, .default_batch_size = 64};
  examples::Args args = examples::parse_args(argc, argv, spec);
  return examples::run_example(spec, args, [&] {
    keras::random::set_random_seed(42);

    auto [train, test] = keras::datasets::fashion_mnist::load_data();
    auto x_train =
        examples::head(train.x, args.limit) / 255.0f;  // (60000, 28, 28): 28 steps of 28 rows
    auto y_train = examples::head(train.y, args.limit);
    auto x_test = examples::head(test.x, args.limit) / 255.0f;
    auto y_test = examples::head(test.y, args.limit);
    std::cout << "backend: " << keras::config::backend() << ", x_train "
              << x_train.shape().to_string() << ", x_test " << x_test.shape().to_string() << "\n";

    auto model = keras::Sequential({
        keras::Input({28, 28}),
        layers::LSTM({.units = 128}),
        layers::Dense({.units = 10, .activation = "softmax"}),
    });
    model.summary();
    model.compile(
        {.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    auto start = std::chrono::steady_clock::now();
    examples::fit_example(model, x_train, y_train, args);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("training: %.1f s, %.1f s per epoch\n", seconds,
                seconds / std::max(1, args.epochs));
    if (!args.save_path.empty()) {
      model->save(args.save_path);
      std::cout << "saved the model to " << args.save_path << "\n";
    }
    return examples::print_test_scores(model, x_test, y_test);
  });
}
