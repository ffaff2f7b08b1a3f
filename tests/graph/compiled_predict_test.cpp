// Compiled predict steps (jit_compile, docs/compiled-steps.md): the same numbers as eager
// predict, traced once per batch signature, eager where the step cannot be traced.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/fresh_session.hpp"
#include "testing/temp_dir.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;
namespace L = keras::layers;

// These tests compare compiled steps with eager ones: they need compiled steps available.
class CompiledPredictTest : public testing::FreshSessionTest<42> {
 protected:
  void SetUp() override {
    testing::FreshSessionTest<42>::SetUp();
    if (const char* v = std::getenv("KERAS_RUN_EAGERLY"); v && *v && std::string(v) != "0")
      GTEST_SKIP() << "KERAS_RUN_EAGERLY is set: every step runs eagerly";
  }
};

// KERAS_DUMP_GRAPH for the scope's lifetime: every traced graph lands in a fresh directory.
class DumpScope {
 public:
  DumpScope() { ::setenv("KERAS_DUMP_GRAPH", dir_.path().c_str(), 1); }
  ~DumpScope() { ::unsetenv("KERAS_DUMP_GRAPH"); }
  size_t count() const { return dir_.entries().size(); }
  bool has(const std::string& name) const { return std::filesystem::exists(dir_.file(name)); }

 private:
  testing::TempDir dir_;
};

// Three batches of 16 and a partial one of 6: the first batch runs eagerly, the second is
// traced, the third replays; the partial batch is a new signature (eager on first sight).
Tensor inputs_for(const Shape& sample_shape, uint64_t seed) {
  std::vector<int64_t> dims{54};
  for (int i = 0; i < sample_shape.rank(); ++i) dims.push_back(sample_shape[i]);
  return random::normal(Shape(dims), {.seed = seed});
}

Tensor first_rows(const Tensor& t, int64_t n) {
  std::vector<int64_t> start(t.ndim(), 0), size;
  for (int i = 0; i < t.ndim(); ++i) size.push_back(i == 0 ? n : t.shape()[i]);
  return ops::slice(t, start, Shape(size));
}

void expect_identical(const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.shape(), b.shape());
  EXPECT_EQ(a.to_vector<double>(), b.to_vector<double>());
}

// predict with jit_compile "auto" (traced) against false (eager) on the same model.
void check_model(Sequential model, const Shape& sample_shape) {
  Tensor x = inputs_for(sample_shape, 11);
  model.compile({.optimizer = "adam", .loss = "mse", .jit_compile = false});
  Tensor eager = model.predict(x, {.batch_size = 16});
  model.compile({.optimizer = "adam", .loss = "mse"});  // "auto"
  DumpScope dumps;
  Tensor compiled = model.predict(x, {.batch_size = 16});
  expect_identical(compiled, eager);
  EXPECT_EQ(dumps.count(), 1u) << "one trace: the full-batch signature";
  EXPECT_TRUE(dumps.has("predict_step.txt"));
  // A second predict replays the graph (and traces the partial batch, now seen once).
  expect_identical(model.predict(x, {.batch_size = 16}), eager);
  EXPECT_EQ(dumps.count(), 2u);
  expect_identical(model.predict_on_batch(first_rows(x, 16)), first_rows(eager, 16));
}

TEST_P(CompiledPredictTest, MlpMatchesEager) {
  check_model(Sequential({Input({8}), L::Dense({.units = 16, .activation = "relu"}),
                          L::Dense({.units = 4, .activation = "softmax"})}),
              Shape{8});
}

TEST_P(CompiledPredictTest, ConvnetMatchesEager) {
  check_model(Sequential({Input({8, 8, 1}),
                          L::Conv2D({.filters = 4, .kernel_size = 3, .activation = "relu"}),
                          L::MaxPooling2D({.pool_size = 2}), L::Flatten(),
                          L::Dropout({.rate = 0.5}), L::Dense({.units = 3})}),
              Shape{8, 8, 1});
}

TEST_P(CompiledPredictTest, LstmMatchesEager) {
  check_model(Sequential({Input({5, 3}), L::LSTM({.units = 6}), L::Dense({.units = 2})}),
              Shape{5, 3});
}

Sequential host_reading_model() {
  return Sequential({Input({3}),
                     L::Lambda({.function =
                                    [](const Tensor& x) {
                                      if (x.is_symbolic()) return x;  // building the model
                                      // A value read back to the host: not traceable.
                                      double m = ops::max(ops::abs(x)).item<double>();
                                      return ops::divide(x, m + 1.0);
                                    }}),
                     L::Dense({.units = 2})});
}

TEST_P(CompiledPredictTest, JitCompileTrueRaisesWhenTheStepCannotBeTraced) {
  Sequential model = host_reading_model();
  model.compile({.optimizer = "sgd", .loss = "mse", .jit_compile = true});
  Tensor x = inputs_for(Shape{3}, 3);
  try {
    model.predict(x, {.batch_size = 16});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("predict_step"), std::string::npos) << m;
    EXPECT_NE(m.find("cannot be compiled"), std::string::npos) << m;
    EXPECT_NE(m.find("to_host"), std::string::npos) << m;
  }
}

TEST_P(CompiledPredictTest, AutoRunsAnUntraceableStepEagerly) {
  Sequential model = host_reading_model();
  Tensor x = inputs_for(Shape{3}, 3);
  model.compile({.optimizer = "sgd", .loss = "mse", .jit_compile = false});
  Tensor eager = model.predict(x, {.batch_size = 16});
  model.compile({.optimizer = "sgd", .loss = "mse", .jit_compile = "auto"});
  DumpScope dumps;
  ::testing::internal::CaptureStderr();
  Tensor out = model.predict(x, {.batch_size = 16});
  Tensor again = model.predict(x, {.batch_size = 16});
  std::string err = ::testing::internal::GetCapturedStderr();
  expect_identical(out, eager);
  expect_identical(again, eager);
  EXPECT_EQ(dumps.count(), 0u);
  // One warning, naming the reason.
  EXPECT_NE(err.find("predict_step runs eagerly"), std::string::npos) << err;
  EXPECT_EQ(err.find("predict_step runs eagerly"), err.rfind("predict_step runs eagerly")) << err;
}

TEST_P(CompiledPredictTest, RunEagerlyWins) {
  Sequential model = host_reading_model();
  model.compile({.optimizer = "sgd", .loss = "mse", .run_eagerly = true, .jit_compile = true});
  EXPECT_NO_THROW(model.predict(inputs_for(Shape{3}, 3), {.batch_size = 16}));
}

TEST_P(CompiledPredictTest, TrainingBetweenPredictsIsSeen) {
  // The graph reads the weights as inputs: after fit, a replay uses the new ones.
  Sequential model({Input({4}), L::Dense({.units = 3})});
  model.compile({.optimizer = "sgd", .loss = "mse"});
  Tensor x = inputs_for(Shape{4}, 5);
  model.predict(x, {.batch_size = 16});
  model.predict(x, {.batch_size = 16});  // traced by now
  model.fit(x, ops::ones({54, 3}), {.batch_size = 16, .epochs = 1, .verbose = 0});
  Tensor compiled = model.predict(x, {.batch_size = 16});
  model.compile({.optimizer = "sgd", .loss = "mse", .jit_compile = false});
  expect_identical(compiled, model.predict(x, {.batch_size = 16}));
}

TEST_P(CompiledPredictTest, StatefulRnnRunsEagerlyAndKeepsItsStates) {
  auto make = [] {
    clear_session();
    random::set_random_seed(3);
    return Sequential({Input({4, 2}, {.batch_size = 6}),
                       L::SimpleRNN({.units = 3, .stateful = true}), L::Dense({.units = 1})});
  };
  Tensor x = random::normal({6, 4, 2}, {.seed = 8});
  Sequential eager_model = make();
  eager_model.compile({.optimizer = "sgd", .loss = "mse", .jit_compile = false});
  Sequential auto_model = make();
  auto_model.compile({.optimizer = "sgd", .loss = "mse"});
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 3; ++i)
    expect_identical(auto_model.predict(x, {.batch_size = 6}),
                     eager_model.predict(x, {.batch_size = 6}));
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("stateful"), std::string::npos) << err;
}

TEST_P(CompiledPredictTest, CompileConfigWritesJitCompileAsKerasDoes) {
  Sequential model({Input({2}), L::Dense({.units = 1})});
  model.compile({.optimizer = "sgd", .loss = "mse"});
  EXPECT_EQ(model->get_compile_config()["jit_compile"], Config("auto"));
  model.compile({.optimizer = "sgd", .loss = "mse", .jit_compile = false});
  EXPECT_EQ(model->get_compile_config()["jit_compile"], Config(false));
  EXPECT_THROW(JitCompile("always"), ValueError);
}

KERAS_INSTANTIATE_BACKEND_TEST(CompiledPredictTest);

}  // namespace
}  // namespace keras
