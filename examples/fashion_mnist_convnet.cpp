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

#include "keras/keras.hpp"

namespace layers = keras::layers;
namespace ops = keras::ops;

namespace {

struct Args {
  int epochs = 15;
  int64_t batch_size = 128;
  std::string backend;
  int64_t limit = 0;
  int verbose = 1;
  std::string save_path;
  std::string load_path;
};

[[noreturn]] void usage(const std::string& error) {
  std::cerr << "error: " << error << "\n"
            << "usage: fashion_mnist_convnet [--epochs N] [--batch-size N] [--backend NAME] "
               "[--limit N] [--verbose 0|1|2] [--save PATH.keras] [--load PATH.keras]\n";
  std::exit(2);
}

int64_t parse_int(const std::string& flag, const char* value) {
  try {
    size_t used = 0;
    long long v = std::stoll(value, &used);
    if (used != std::string(value).size() || v < 0) throw std::invalid_argument(value);
    return v;
  } catch (const std::exception&) {
    usage(flag + " expects a non-negative integer, got '" + value + "'");
  }
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") usage("help requested");
    if (i + 1 >= argc) usage(flag + " needs a value");
    const char* value = argv[++i];
    if (flag == "--epochs")
      a.epochs = static_cast<int>(parse_int(flag, value));
    else if (flag == "--batch-size")
      a.batch_size = parse_int(flag, value);
    else if (flag == "--backend")
      a.backend = value;
    else if (flag == "--limit")
      a.limit = parse_int(flag, value);
    else if (flag == "--verbose")
      a.verbose = static_cast<int>(parse_int(flag, value));
    else if (flag == "--save")
      a.save_path = value;
    else if (flag == "--load")
      a.load_path = value;
    else
      usage("unknown flag " + flag);
  }
  if (a.batch_size == 0) usage("--batch-size must be positive");
  return a;
}

keras::Tensor head(const keras::Tensor& x, int64_t n) {
  if (n <= 0 || n >= x.shape()[0]) return x;
  std::vector<int64_t> start(x.ndim(), 0);
  keras::Shape shape = x.shape();
  shape[0] = n;
  return ops::slice(x, start, shape);
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  try {
    if (!args.backend.empty()) keras::config::set_backend(args.backend);
    keras::random::set_random_seed(42);

    auto [train, test] = keras::datasets::fashion_mnist::load_data();
    auto x_train = ops::expand_dims(head(train.x, args.limit), -1) / 255.0f;  // (60000, 28, 28, 1)
    auto y_train = head(train.y, args.limit);
    auto x_test = ops::expand_dims(head(test.x, args.limit), -1) / 255.0f;
    auto y_test = head(test.y, args.limit);
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
      model.fit(x_train, y_train,
                {.batch_size = args.batch_size,
                 .epochs = args.epochs,
                 .verbose = args.verbose,
                 .validation_split = 0.1});
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
    auto scores = model.evaluate(x_test, y_test, {.verbose = 0});
    std::printf("test loss: %.4f\n", scores["loss"]);
    std::printf("test accuracy: %.4f\n", scores["accuracy"]);
  } catch (const keras::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
