// The main job: Keras's "simple MNIST convnet" on Fashion-MNIST, line for line.
//
//   fashion_mnist_convnet [--epochs N] [--batch-size N] [--backend NAME] [--limit N] [--verbose N]
//                         [--save PATH.keras] [--load PATH.keras]
//
// Reads the IDX files of Debian's dataset-fashion-mnist package. --limit trains and tests on the
// first N samples only (a quick smoke run). --save writes the trained model as a Keras 3 `.keras`
// file (loadable by Python Keras too); --load evaluates a saved model instead of training one.
// The last line printed is "test accuracy: 0.xxxx".
#include <cstdlib>
#include <iostream>
#include <string>

#include "example_args.hpp"
#include "keras/keras.hpp"

namespace layers = keras::layers;
namespace ops = keras::ops;

int main(int argc, char** argv) {
  examples::ArgsSpec spec{.program = "fashion_mnist_convnet", .load = true};
  examples::Args args = examples::parse_args(argc, argv, spec);
  return examples::run_example(spec, args, [&] {
    keras::random::set_random_seed(42);

    auto [train, test] = keras::datasets::fashion_mnist::load_data();
    auto x_train =
        ops::expand_dims(examples::head(train.x, args.limit), -1) / 255.0f;  // (60000, 28, 28, 1)
    auto y_train = examples::head(train.y, args.limit);
    auto x_test = ops::expand_dims(examples::head(test.x, args.limit), -1) / 255.0f;
    auto y_test = examples::head(test.y, args.limit);
    std::cout << "backend: " << keras::config::backend() << ", x_train "
              << x_train.shape().to_string() << ", x_test " << x_test.shape().to_string() << "\n";

    keras::Model model = [&]() -> keras::Model {
      if (!args.load_path.empty()) return keras::saving::load_model(args.load_path);
      auto model = keras::Sequential({
          keras::Input({28, 28, 1}),
          layers::Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}),
          layers::MaxPooling2D({.pool_size = 2}),
          layers::Conv2D({.filters = 64, .kernel_size = 3, .activation = "relu"}),
          layers::MaxPooling2D({.pool_size = 2}),
          layers::Flatten(),
          layers::Dropout({.rate = 0.5}),
          layers::Dense({.units = 10, .activation = "softmax"}),
      });
      model.summary();
      model.compile({.optimizer = "adam",
                     .loss = "sparse_categorical_crossentropy",
                     .metrics = {"accuracy"}});
      examples::fit_example(model, x_train, y_train, args);
      return keras::Model(model.ptr());
    }();
    if (!args.save_path.empty()) {
      model.save(args.save_path);
      std::cout << "saved the model to " << args.save_path << "\n";
    }
    // A fingerprint of the test predictions, to compare a model with its saved copy.
    auto probs = model.predict(x_test, {.batch_size = args.batch_size});
    auto weights = ops::arange(1.0, 11.0);
    std::printf("test predictions checksum: %.9g\n",
                ops::sum(ops::multiply(ops::cast(probs, keras::float64),
                                       ops::cast(weights, keras::float64)))
                    .item<double>());
    return examples::print_test_scores(model, x_test, y_test);
  });
}
