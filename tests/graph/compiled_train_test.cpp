// Compiled train and test steps (jit_compile, docs/compiled-steps.md): fit and evaluate give the
// eager numbers bit for bit, dropout included (its masks are drawn anew on every replay).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/run_mode.hpp"
#include "testing/temp_dir.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;
namespace L = keras::layers;

// These tests compare compiled steps with eager ones: they need compiled steps available.
class CompiledTrainTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    testing::BackendTest::SetUp();
    if (testing::steps_run_eagerly())
      GTEST_SKIP() << "KERAS_RUN_EAGERLY is set: every step runs eagerly";
  }
};

struct Run {
  History history;
  Logs evaluation;
  std::vector<Tensor> weights;
};

// A fresh session seeded with `seed`, the model from make_model() compiled with Adam, sparse
// categorical crossentropy and accuracy, and n random samples of sample_shape with labels below
// `classes`.
struct Setup {
  Model model;
  Tensor x, y;
};
Setup setup(const std::function<Model()>& make_model, int seed, JitCompile mode,
            const Shape& sample_shape, int64_t n, int64_t classes) {
  clear_session();
  random::set_random_seed(seed);
  Setup s{make_model(), {}, {}};
  s.model.compile({.optimizer = "adam",
                   .loss = "sparse_categorical_crossentropy",
                   .metrics = {"accuracy"},
                   .jit_compile = mode});
  std::vector<int64_t> dims{n};
  for (int i = 0; i < sample_shape.rank(); ++i) dims.push_back(sample_shape[i]);
  s.x = random::normal(Shape(dims), {.seed = 1});
  s.y = random::randint({n}, 0, classes, {.seed = 2});
  return s;
}

// Builds the model from seed 7 and trains it with `jit_compile`; 80 samples in batches of 16
// (5 steps an epoch: the first ones run eagerly while the model and optimizer build, then the
// step is traced and replayed).
Run train(const std::function<Model()>& make_model, const Shape& sample_shape,
          JitCompile jit_compile, const std::string& dump_dir = "") {
  auto [model, x, y] = setup(make_model, 7, jit_compile, sample_shape, 80, 3);
  if (!dump_dir.empty()) ::setenv("KERAS_DUMP_GRAPH", dump_dir.c_str(), 1);
  Run run;
  run.history = model.fit(x, y, {.batch_size = 16, .epochs = 3, .verbose = 0, .seed = 5});
  run.evaluation = model.evaluate(x, y, {.batch_size = 16, .verbose = 0});
  ::unsetenv("KERAS_DUMP_GRAPH");
  run.weights = model.get_weights();
  return run;
}

// `kernels`: kernel names the compiled train step must call.
void check_same_as_eager(const std::function<Model()>& make_model, const Shape& sample_shape,
                         const std::vector<std::string>& kernels = {}) {
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
  std::ifstream in(dumps.file("train_step.txt"));
  const std::string graph((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string& k : kernels)
    EXPECT_NE(graph.find("= " + k + "("), std::string::npos) << k;
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
      Shape{4, 3},
      // The sequence kernel where the backend has one (cpu), else the step loop's ops.
      backend::default_backend().has_native(backend::FusedKernel::Lstm)
          ? std::vector<std::string>{"lstm", "lstm_backward"}
          : std::vector<std::string>{"matmul"});
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

// A subclassed model with its own train_step (USER-CODE §5): the compiled optimizer trains the
// first Dense, an optimizer of its own the second, a Mean of its own tracks the loss, and a host
// counter counts the calls that ran this code. `logs` picks what the step returns.
enum class StepLogs { Metrics, HostRead, HostEdited };
class CustomStepImpl : public ModelImpl {
 public:
  explicit CustomStepImpl(StepLogs logs)
      : logs_(logs),
        first_(L::Dense({.units = 8, .activation = "relu"})),
        second_(L::Dense({.units = 3, .activation = "softmax"})) {
    track("first", first_);
    track("second", second_);
  }
  Tensor call(const Tensor& x, const CallContext&) override { return second_(first_(x)); }
  Logs train_step(const Batch& batch) override {
    ++calls;
    std::vector<Tensor> y_pred, grads;
    std::vector<Variable> a, b;
    Tensor loss;
    {
      GradientTape tape;
      y_pred = forward(batch.x, /*training=*/true);  // builds the layers on the first call
      a = first_->trainable_variables();
      b = second_->trainable_variables();
      std::vector<Variable> all = a;
      all.insert(all.end(), b.begin(), b.end());
      loss = compute_loss(batch, y_pred);
      grads = tape.gradient(loss, all);
    }
    tracker.update_state(loss);
    optimizer()->apply({grads[0], grads[1]}, a);
    own_optimizer.apply({grads[2], grads[3]}, b);
    if (logs_ == StepLogs::HostRead) return {{"loss", loss.item<double>()}};
    Logs logs = compute_metrics(batch, y_pred);
    if (logs_ == StepLogs::HostEdited) logs["twice_loss"] = 2 * logs["loss"];
    return logs;
  }
  int calls = 0;
  metrics::Mean tracker{{.name = "tracked_loss"}};
  optimizers::SGD own_optimizer{{.learning_rate = 0.05, .momentum = 0.5}};

 private:
  StepLogs logs_;
  L::Dense first_, second_;
};
KERAS_MODEL(CustomStep);

struct CustomRun {
  Run run;
  double tracked = 0;
  int calls = 0;
};

CustomRun train_custom(StepLogs logs, JitCompile mode, const std::string& dump_dir = "") {
  clear_session();
  random::set_random_seed(7);
  CustomStep model(logs);
  model.compile({.optimizer = "adam",
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"},
                 .jit_compile = mode});
  Tensor x = random::normal({80, 6}, {.seed = 1});
  Tensor y = random::randint({80}, 0, 3, {.seed = 2});
  if (!dump_dir.empty()) ::setenv("KERAS_DUMP_GRAPH", dump_dir.c_str(), 1);
  CustomRun r;
  r.run.history = model.fit(x, y, {.batch_size = 16, .epochs = 3, .verbose = 0, .seed = 5});
  r.run.evaluation = model.evaluate(x, y, {.batch_size = 16, .verbose = 0});
  ::unsetenv("KERAS_DUMP_GRAPH");
  r.run.weights = model.get_weights();
  r.tracked = model->tracker.result().item<double>();
  r.calls = model->calls;
  return r;
}

TEST_P(CompiledTrainTest, CustomTrainStepIsCompiledWithItsOwnStateAndFitsAsEagerDoes) {
  CustomRun eager = train_custom(StepLogs::Metrics, false);
  testing::TempDir dumps;
  CustomRun compiled = train_custom(StepLogs::Metrics, true, dumps.path());
  EXPECT_EQ(compiled.run.history.history, eager.run.history.history);
  EXPECT_EQ(compiled.run.evaluation, eager.run.evaluation);
  ASSERT_EQ(compiled.run.weights.size(), eager.run.weights.size());
  for (size_t i = 0; i < eager.run.weights.size(); ++i)
    EXPECT_EQ(compiled.run.weights[i].to_vector<double>(), eager.run.weights[i].to_vector<double>())
        << "weight " << i;
  // The step's own tracker and optimizer are state of the graph, updated by every replay.
  EXPECT_EQ(compiled.tracked, eager.tracked);
  EXPECT_TRUE(std::filesystem::exists(dumps.file("train_step.txt")));
  // The step's C++ ran for each of the 15 batches eagerly, compiled only on the calls that run
  // it eagerly or trace it (as Python code in a Keras jit-compiled step).
  EXPECT_EQ(eager.calls, 15);
  EXPECT_LT(compiled.calls, 5);
}

TEST_P(CompiledTrainTest, CustomTrainStepWithHostLogsRunsEagerly) {
  for (StepLogs logs : {StepLogs::HostRead, StepLogs::HostEdited}) {
    CustomRun eager = train_custom(logs, false);
    CustomRun automatic = train_custom(logs, "auto");  // one warning, then eager
    EXPECT_EQ(automatic.run.history.history, eager.run.history.history);
    EXPECT_EQ(automatic.calls, eager.calls + 1) << "each batch once, and the abandoned trace";
    EXPECT_EQ(automatic.tracked, eager.tracked);
    try {
      train_custom(logs, true);
      ADD_FAILURE() << "jit_compile=true compiled a step whose logs are made on the host";
    } catch (const ValueError& e) {
      EXPECT_NE(std::string(e.what()).find(logs == StepLogs::HostRead ? "host" : "returns logs"),
                std::string::npos)
          << e.what();
    }
  }
}

// The examples' models (examples/*.cpp) on synthetic data: 100 training steps compiled and 100
// eager from the same seed give the same loss at every step (within 1e-5 relative).
std::vector<double> step_losses(const std::function<Model()>& make_model, const Shape& sample_shape,
                                JitCompile mode) {
  auto [model, x, y] = setup(make_model, 42, mode, sample_shape, 800, 10);
  std::vector<double> losses;
  auto record = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
      .on_train_batch_end = [&](int64_t, Logs& logs) { losses.push_back(logs.at("loss")); }});
  model.fit(x, y,
            {.batch_size = 8, .epochs = 1, .verbose = 0, .callbacks = {record}, .shuffle = false});
  return losses;
}

void expect_same_losses(const std::function<Model()>& make_model, const Shape& sample_shape) {
  std::vector<double> eager = step_losses(make_model, sample_shape, false);
  testing::TempDir dumps;
  ::setenv("KERAS_DUMP_GRAPH", dumps.path().c_str(), 1);
  std::vector<double> compiled = step_losses(make_model, sample_shape, "auto");
  ::unsetenv("KERAS_DUMP_GRAPH");
  EXPECT_TRUE(std::filesystem::exists(dumps.file("train_step.txt"))) << "the step was compiled";
  ASSERT_EQ(eager.size(), 100u);
  ASSERT_EQ(compiled.size(), 100u);
  for (size_t i = 0; i < eager.size(); ++i)
    EXPECT_NEAR(compiled[i], eager[i], 1e-5 * std::abs(eager[i])) << "step " << i;
}

TEST_P(CompiledTrainTest, ExampleConvnetAgreesWithEagerOver100Steps) {
  expect_same_losses(
      [] {
        return Model(Sequential(
            {Input({28, 28, 1}), L::Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}),
             L::MaxPooling2D({.pool_size = 2}),
             L::Conv2D({.filters = 64, .kernel_size = 3, .activation = "relu"}),
             L::MaxPooling2D({.pool_size = 2}), L::Flatten(), L::Dropout({.rate = 0.5}),
             L::Dense({.units = 10, .activation = "softmax"})}));
      },
      Shape{28, 28, 1});
}

TEST_P(CompiledTrainTest, ExampleLstmAgreesWithEagerOver100Steps) {
  expect_same_losses(
      [] {
        return Model(Sequential({Input({28, 28}), L::LSTM({.units = 128}),
                                 L::Dense({.units = 10, .activation = "softmax"})}));
      },
      Shape{28, 28});
}

TEST_P(CompiledTrainTest, ExampleTransformerEncoderAgreesWithEagerOver100Steps) {
  expect_same_losses(
      [] {
        // examples/transformer_encoder.cpp's block (without its example-local position
        // embedding): attention and feed-forward with dropout and post-norm residuals.
        Tensor inputs = Input({28, 28});
        Tensor x = L::Dense({.units = 32})(inputs);
        auto mha = L::MultiHeadAttention({.num_heads = 4, .key_dim = 8});
        Tensor attention = L::Dropout({.rate = 0.1})(mha->attend(x, x)[0]);
        x = L::LayerNormalization({.epsilon = 1e-6})(L::Add()({x, attention}));
        Tensor ffn = L::Dense({.units = 64, .activation = "relu"})(x);
        ffn = L::Dropout({.rate = 0.1})(L::Dense({.units = 32})(ffn));
        x = L::LayerNormalization({.epsilon = 1e-6})(L::Add()({x, ffn}));
        x = L::GlobalAveragePooling1D()(x);
        return Model({inputs}, {L::Dense({.units = 10, .activation = "softmax"})(x)});
      },
      Shape{28, 28});
}

KERAS_INSTANTIATE_BACKEND_TEST(CompiledTrainTest);

}  // namespace
}  // namespace keras
