// A small transformer encoder on Fashion-MNIST: each image is a sequence of 28 tokens (its rows)
// of 28 features. Functional model: Dense projection + learned positional embedding, one encoder
// block (MultiHeadAttention + residual + LayerNormalization, Dense feed-forward + residual +
// LayerNormalization), average pooling over tokens, softmax classifier.
//
//   transformer_encoder [--epochs N] [--batch-size N] [--backend NAME] [--limit N] [--verbose N]
//                       [--heads N] [--dim N]
//
// Reads the IDX files of Debian's dataset-fashion-mnist package. The last line printed is
// "test accuracy: 0.xxxx".
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "keras/keras.hpp"

namespace layers = keras::layers;
namespace ops = keras::ops;

namespace {

// Adds a trainable (sequence_length, dim) position embedding to its (batch, sequence, dim) input:
// a custom layer, as in Keras's examples.
class PositionEmbeddingImpl : public keras::LayerImpl {
 public:
  struct Options {};
  explicit PositionEmbeddingImpl(Options = {}) {}
  std::string class_name() const override { return "PositionEmbedding"; }
  void build(const keras::Shape& input_shape) override {
    embedding_ = add_weight({.shape = {input_shape[1], input_shape[2]},
                             .initializer = "random_normal",
                             .name = "position_embedding"});
  }
  keras::Tensor call(const keras::Tensor& x, const keras::CallContext&) override {
    return x + embedding_.value();
  }

 private:
  keras::Variable embedding_;
};
KERAS_LAYER(PositionEmbedding);

struct Args {
  int epochs = 5;
  int64_t batch_size = 64;
  std::string backend;
  int64_t limit = 0;
  int verbose = 1;
  int64_t heads = 4;
  int64_t dim = 64;
};

[[noreturn]] void usage(const std::string& error) {
  std::cerr << "error: " << error << "\n"
            << "usage: transformer_encoder [--epochs N] [--batch-size N] [--backend NAME] "
               "[--limit N] [--verbose 0|1|2] [--heads N] [--dim N]\n";
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
    else if (flag == "--heads")
      a.heads = parse_int(flag, value);
    else if (flag == "--dim")
      a.dim = parse_int(flag, value);
    else
      usage("unknown flag " + flag);
  }
  if (a.batch_size == 0 || a.heads == 0 || a.dim == 0 || a.dim % a.heads != 0)
    usage("--batch-size, --heads and --dim must be positive, and --dim a multiple of --heads");
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
    auto x_train = head(train.x, args.limit) / 255.0f;  // (60000, 28, 28): 28 tokens of 28
    auto y_train = head(train.y, args.limit);
    auto x_test = head(test.x, args.limit) / 255.0f;
    auto y_test = head(test.y, args.limit);
    std::cout << "backend: " << keras::config::backend() << ", x_train "
              << x_train.shape().to_string() << ", x_test " << x_test.shape().to_string() << "\n";

    const int64_t dim = args.dim;
    keras::Tensor inputs = keras::Input({28, 28});
    keras::Tensor x = layers::Dense({.units = dim})(inputs);
    x = PositionEmbedding()(x);
    // Encoder block (post-norm, as in "Attention Is All You Need").
    auto mha = layers::MultiHeadAttention({.num_heads = args.heads, .key_dim = dim / args.heads});
    keras::Tensor attention = mha->attend(x, x)[0];
    attention = layers::Dropout({.rate = 0.1})(attention);
    x = layers::LayerNormalization({.epsilon = 1e-6})(layers::Add()({x, attention}));
    keras::Tensor ffn = layers::Dense({.units = 2 * dim, .activation = "relu"})(x);
    ffn = layers::Dense({.units = dim})(ffn);
    ffn = layers::Dropout({.rate = 0.1})(ffn);
    x = layers::LayerNormalization({.epsilon = 1e-6})(layers::Add()({x, ffn}));
    x = layers::GlobalAveragePooling1D()(x);
    keras::Tensor outputs = layers::Dense({.units = 10, .activation = "softmax"})(x);
    keras::Model model({inputs}, {outputs}, {.name = "transformer_encoder"});
    model.summary();
    model.compile({.optimizer = keras::optimizers::Adam({.learning_rate = 1e-3}),
                   .loss = "sparse_categorical_crossentropy",
                   .metrics = {"accuracy"}});
    model.fit(x_train, y_train,
              {.batch_size = args.batch_size,
               .epochs = args.epochs,
               .verbose = args.verbose,
               .validation_split = 0.1});
    auto scores = model.evaluate(x_test, y_test, {.verbose = 0});
    std::printf("test loss: %.4f\n", scores["loss"]);
    std::printf("test accuracy: %.4f\n", scores["accuracy"]);
  } catch (const keras::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
