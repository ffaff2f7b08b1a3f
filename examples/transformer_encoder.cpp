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

#include "example_args.hpp"
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

}  // namespace

int main(int argc, char** argv) {
  examples::ArgsSpec spec{.program = "transformer_encoder",
                          .default_epochs = 5,
                          .default_batch_size = 64,
                          .save = false,
                          .extra = {{"--heads", 4}, {"--dim", 64}}};
  examples::Args args = examples::parse_args(argc, argv, spec);
  const int64_t heads = args.extra.at("--heads"), dim = args.extra.at("--dim");
  if (dim % heads != 0)
    examples::usage(spec, "--dim (" + std::to_string(dim) + ") must be a multiple of --heads (" +
                              std::to_string(heads) + ")");
  return examples::run_example(spec, args, [&] {
    keras::random::set_random_seed(42);

    auto [train, test] = keras::datasets::fashion_mnist::load_data();
    auto x_train =
        examples::head(train.x, args.limit) / 255.0f;  // (60000, 28, 28): 28 tokens of 28
    auto y_train = examples::head(train.y, args.limit);
    auto x_test = examples::head(test.x, args.limit) / 255.0f;
    auto y_test = examples::head(test.y, args.limit);
    std::cout << "backend: " << keras::config::backend() << ", x_train "
              << x_train.shape().to_string() << ", x_test " << x_test.shape().to_string() << "\n";

    keras::Tensor inputs = keras::Input({28, 28});
    keras::Tensor x = layers::Dense({.units = dim})(inputs);
    x = PositionEmbedding()(x);
    // Encoder block (post-norm, as in "Attention Is All You Need").
    auto mha = layers::MultiHeadAttention({.num_heads = heads, .key_dim = dim / heads});
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
    examples::fit_example(model, x_train, y_train, args);
    return examples::print_test_scores(model, x_test, y_test);
  });
}
