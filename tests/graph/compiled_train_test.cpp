// Compiled train and test steps (jit_compile, docs/compiled-steps.md): fit and evaluate give the
// eager numbers bit for bit, dropout included (its masks are drawn anew on every replay).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/temp_dir.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;
namespace L = keras::layers;

class CompiledTrainTest : public testing::BackendTest {};

struct Run {
  History history;
  Logs evaluation;
  std::vector<Tensor> weights;
};

// Builds the model from seed 7 and trains it with `jit_compile`; 80 samples in batches of 16
// (5 steps an epoch: the first ones run eagerly while the model and optimizer build, then the
// step is traced and replayed).
template <class MakeModel>
Run train(MakeModel make_model, const Shape& sample_shape, JitCompile jit_compile,
          const std::string& dump_dir = "") {
  clear_session();
  random::set_random_seed(7);
  Sequential model = make_model();
  model.compile({.optimizer = "adam",
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"},
                 .jit_compile = jit_compile});
  std::vector<int64_t> dims{80};
  for (int i = 0; i < sample_shape.rank(); ++i) dims.push_back(sample_shape[i]);
  Tensor x = random::normal(Shape(dims), {.seed = 1});
  Tensor y = random::randint({80}, 0, 3, {.seed = 2});
  if (!dump_dir.empty()) ::setenv("KERAS_DUMP_GRAPH", dump_dir.c_str(), 1);
  Run run;
  run.history = model.fit(x, y, {.batch_size = 16, .epochs = 3, .verbose = 0, .seed = 5});
  run.evaluation = model.evaluate(x, y, {.batch_size = 16, .verbose = 0});
  ::unsetenv("KERAS_DUMP_GRAPH");
  run.weights = model.get_weights();
  return run;
}

template <class MakeModel>
void check_same_as_eager(MakeModel make_model, const Shape& sample_shape) {
  Run eager = train(make_model, sample_shape, false);
  testing::TempDir dumps;
  Run compiled = train(make_model, sample_shape, "auto", dumps.path());
  EXPECT_EQ(compiled.history.history, eager.history.history);
  EXPECT_EQ(compiled.evaluation, eager.evaluation);
  ASSERT_EQ(compiled.weights.size(), eager.weights.size());
  for (size_t i = 0; i < eager.weights.size(); ++i)
    EXPECT_EQ(compiled.weights[i].to_vector<double>(), eager.weights[i].to_vector<double>())
        << "weight " << i;
  // The steps really were compiled.
  EXPECT_TRUE(std::filesystem::exists(dumps.file("train_step.txt")));
  EXPECT_TRUE(std::filesystem::exists(dumps.file("test_step.txt")));
}

TEST_P(CompiledTrainTest, MlpWithDropoutFitsAsEagerDoes) {
  check_same_as_eager(
      [] {
        return Sequential({Input({6}), L::Dense({.units = 16, .activation = "relu"}),
                           L::Dropout({.rate = 0.3}),
                           L::Dense({.units = 3, .activation = "softmax"})});
      },
      Shape{6});
}

TEST_P(CompiledTrainTest, ConvnetWithBatchNormFitsAsEagerDoes) {
  check_same_as_eager(
      [] {
        return Sequential({Input({6, 6, 1}), L::Conv2D({.filters = 4, .kernel_size = 3}),
                           L::BatchNormalization(), L::MaxPooling2D({.pool_size = 2}), L::Flatten(),
                           L::Dropout({.rate = 0.5}),
                           L::Dense({.units = 3, .activation = "softmax"})});
      },
      Shape{6, 6, 1});
}

TEST_P(CompiledTrainTest, LstmFitsAsEagerDoes) {
  check_same_as_eager(
      [] {
        return Sequential({Input({4, 3}), L::LSTM({.units = 5}),
                           L::Dense({.units = 3, .activation = "softmax"})});
      },
      Shape{4, 3});
}

TEST_P(CompiledTrainTest, LearningRateChangesReachTheCompiledStep) {
  auto run = [&](JitCompile mode) {
    clear_session();
    random::set_random_seed(7);
    Sequential model({Input({4}), L::Dense({.units = 3, .activation = "softmax"})});
    model.compile(
        {.optimizer = "sgd", .loss = "sparse_categorical_crossentropy", .jit_compile = mode});
    Tensor x = random::normal({64, 4}, {.seed = 1});
    Tensor y = random::randint({64}, 0, 3, {.seed = 2});
    model.fit(x, y, {.batch_size = 16, .epochs = 1, .verbose = 0, .shuffle = false});
    model->optimizer()->set_learning_rate(0.5);
    model.fit(x, y, {.batch_size = 16, .epochs = 1, .verbose = 0, .shuffle = false});
    return model.get_weights();
  };
  std::vector<Tensor> eager = run(false), compiled = run("auto");
  for (size_t i = 0; i < eager.size(); ++i)
    EXPECT_EQ(compiled[i].to_vector<double>(), eager[i].to_vector<double>());
}

TEST_P(CompiledTrainTest, FreezingALayerBetweenFitsIsSeen) {
  auto run = [&](JitCompile mode) {
    clear_session();
    random::set_random_seed(7);
    Sequential model(
        {Input({4}), L::Dense({.units = 3}), L::Dense({.units = 3, .activation = "softmax"})});
    model.compile(
        {.optimizer = "sgd", .loss = "sparse_categorical_crossentropy", .jit_compile = mode});
    Tensor x = random::normal({64, 4}, {.seed = 1});
    Tensor y = random::randint({64}, 0, 3, {.seed = 2});
    model.fit(x, y, {.batch_size = 16, .epochs = 2, .verbose = 0, .shuffle = false});
    // Freezing the last layer keeps the variables' order (trainable ones first) while changing
    // what the step updates.
    model.layers()[1]->set_trainable(false);
    model.fit(x, y, {.batch_size = 16, .epochs = 2, .verbose = 0, .shuffle = false});
    return model.get_weights();
  };
  std::vector<Tensor> eager = run(false), compiled = run("auto");
  for (size_t i = 0; i < eager.size(); ++i)
    EXPECT_EQ(compiled[i].to_vector<double>(), eager[i].to_vector<double>());
}

KERAS_INSTANTIATE_BACKEND_TEST(CompiledTrainTest);

}  // namespace
}  // namespace keras
