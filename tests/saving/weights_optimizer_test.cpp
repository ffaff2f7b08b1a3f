// Optimizer state in weights files (`optimizer/vars/N`): Keras's layout and order, and resuming
// training from a saved file gives exactly the weights of the uninterrupted run.
#include <gtest/gtest.h>

#include "saving/weights_test_util.hpp"
#include "testing/backends.hpp"

namespace keras::testing::weights {
namespace {

Model mlp() {
  return Sequential(
      {Input({4}), L::Dense({.units = 3, .activation = "tanh"}), L::Dense({.units = 2})});
}

const saving::h5::TreeEntry* find(const std::vector<saving::h5::TreeEntry>& tree,
                                  const std::string& path) {
  for (const auto& e : tree)
    if (e.path == path) return &e;
  return nullptr;
}

class WeightsOptimizerTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    clear_session();
    x = random::normal({8, 4}, {.seed = 1});
    y = random::normal({8, 2}, {.seed = 2});
  }
  Tensor x, y;
};

TEST_P(WeightsOptimizerTest, AdamStateHasKerasLayout) {
  auto model = mlp();
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.train_on_batch(x, y);
  auto tree = tree_of_bytes(saving::weights_to_h5_bytes(*model, true));
  ASSERT_NE(find(tree, "/optimizer/vars"), nullptr) << tree_text(tree);
  EXPECT_EQ(find(tree, "/optimizer/vars")->attributes[0],
            (std::pair<std::string, std::string>{"name", model->optimizer()->name()}));
  // iteration (int32 on every backend but TensorFlow), learning_rate, then per trainable
  // variable (kernel, bias, kernel, bias): momentum, velocity.
  std::vector<std::pair<Shape, DType>> expected = {
      {{}, DType::Int32},       {{}, DType::Float32},     {{4, 3}, DType::Float32},
      {{4, 3}, DType::Float32}, {{3}, DType::Float32},    {{3}, DType::Float32},
      {{3, 2}, DType::Float32}, {{3, 2}, DType::Float32}, {{2}, DType::Float32},
      {{2}, DType::Float32}};
  for (size_t i = 0; i < expected.size(); ++i) {
    auto* e = find(tree, "/optimizer/vars/" + std::to_string(i));
    ASSERT_NE(e, nullptr) << i;
    EXPECT_EQ(e->shape, expected[i].first) << i;
    EXPECT_EQ(e->dtype, expected[i].second) << i;
  }
  EXPECT_EQ(find(tree, "/optimizer/vars/10"), nullptr);
  // Without the optimizer: no group.
  auto bare = tree_of_bytes(saving::weights_to_h5_bytes(*model, false));
  EXPECT_EQ(find(bare, "/optimizer"), nullptr);
}

TEST_P(WeightsOptimizerTest, ResumingFromTheFileMatchesTheUninterruptedRun) {
  for (const char* optimizer : {"adam", "rmsprop", "nadam", "adagrad"}) {
    SCOPED_TRACE(optimizer);
    auto a = mlp();
    a.compile({.optimizer = optimizer, .loss = "mse"});
    a.train_on_batch(x, y);
    a.train_on_batch(x, y);
    TempDir dir;
    std::string path = dir.file("a.weights.h5");
    a.save_weights(path);

    // A fresh compiled model whose optimizer has not built its slots yet.
    auto b = mlp();
    b.compile({.optimizer = optimizer, .loss = "mse"});
    ASSERT_FALSE(b->optimizer()->built());
    b.load_weights(path);
    EXPECT_TRUE(b->optimizer()->built());
    EXPECT_EQ(b->optimizer()->iterations().item<int64_t>(), 2);

    a.train_on_batch(x, y);
    b.train_on_batch(x, y);
    auto wa = a.get_weights(), wb = b.get_weights();
    ASSERT_EQ(wa.size(), wb.size());
    for (size_t i = 0; i < wa.size(); ++i)
      EXPECT_EQ(wa[i].to_vector<float>(), wb[i].to_vector<float>()) << "weight " << i;
    auto va = a->optimizer()->variables(), vb = b->optimizer()->variables();
    ASSERT_EQ(va.size(), vb.size());
    for (size_t i = 0; i < va.size(); ++i)
      EXPECT_EQ(va[i].value().to_vector<double>(), vb[i].value().to_vector<double>())
          << "optimizer variable " << i;
  }
}

TEST_P(WeightsOptimizerTest, OptimizerGroupIsIgnoredOrSkippedLikeKeras) {
  auto a = mlp();
  a.compile({.optimizer = "adam", .loss = "mse"});
  a.train_on_batch(x, y);
  TempDir dir;
  std::string path = dir.file("a.weights.h5");
  a.save_weights(path);

  // Not compiled: the optimizer state is ignored, the weights load.
  auto plain = mlp();
  plain.load_weights(path);
  EXPECT_EQ(plain.get_weights()[0].to_vector<float>(), a.get_weights()[0].to_vector<float>());

  // A different optimizer (SGD without momentum has 2 variables, the file 10): Keras warns and
  // skips the optimizer; the model weights still load.
  auto sgd = mlp();
  sgd.compile({.optimizer = "sgd", .loss = "mse"});
  sgd.train_on_batch(x, y);
  sgd.load_weights(path);
  EXPECT_EQ(sgd.get_weights()[0].to_vector<float>(), a.get_weights()[0].to_vector<float>());
  EXPECT_EQ(sgd->optimizer()->iterations().item<int64_t>(), 1);

  // Compiled but never trained: only iteration and learning_rate are written and loaded.
  auto fresh = mlp();
  fresh.compile({.optimizer = optimizers::Adam({.learning_rate = 0.25}), .loss = "mse"});
  auto tree = tree_of_bytes(saving::weights_to_h5_bytes(*fresh, true));
  EXPECT_NE(find(tree, "/optimizer/vars/1"), nullptr);
  EXPECT_EQ(find(tree, "/optimizer/vars/2"), nullptr);
  auto other = mlp();
  other.compile({.optimizer = "adam", .loss = "mse"});
  saving::load_weights_from_h5_bytes(*other, saving::weights_to_h5_bytes(*fresh, true), true);
  EXPECT_FLOAT_EQ(other->optimizer()->learning_rate().item<float>(), 0.25f);
}

KERAS_INSTANTIATE_BACKEND_TEST(WeightsOptimizerTest);

}  // namespace
}  // namespace keras::testing::weights
