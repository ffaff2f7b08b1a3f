// GradientTape and value_and_grad semantics, on every backend.
#include <gtest/gtest.h>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;

class GradientTapeTest : public testing::BackendTest {};

Tensor vec(std::vector<double> v) { return ops::convert_to_tensor(v); }

TEST_P(GradientTapeTest, WatchedTensorGetsGradient) {
  Tensor x = vec({1.0, 2.0, 3.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::sum(x * x * x);
  auto g = tape.gradient(y, x).to_vector<double>();
  EXPECT_EQ(g, (std::vector<double>{3.0, 12.0, 27.0}));
}

TEST_P(GradientTapeTest, UnwatchedTensorGetsZeros) {
  Tensor x = vec({1.0, 2.0});
  Tensor z = vec({5.0, 6.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::sum(x * 2.0);
  auto grads = tape.gradient(y, std::vector<Tensor>{x, z});
  EXPECT_EQ(grads[0].to_vector<double>(), (std::vector<double>{2.0, 2.0}));
  EXPECT_EQ(grads[1].to_vector<double>(), (std::vector<double>{0.0, 0.0}));
}

TEST_P(GradientTapeTest, TrainableVariablesAreWatchedAutomatically) {
  Variable v(vec({1.0, -2.0}), {.name = "w"});
  Variable frozen(vec({3.0, 4.0}), {.trainable = false, .name = "frozen"});
  GradientTape tape;
  Tensor loss = ops::sum(ops::square(v) * frozen);
  auto grads = tape.gradient(loss, std::vector<Variable>{v, frozen});
  EXPECT_EQ(grads[0].to_vector<double>(), (std::vector<double>{6.0, -16.0}));
  EXPECT_EQ(grads[1].to_vector<double>(), (std::vector<double>{0.0, 0.0}));
}

TEST_P(GradientTapeTest, NoAutomaticWatchWhenDisabled) {
  Variable v(vec({1.0}));
  GradientTape tape({.watch_accessed_variables = false});
  Tensor loss = ops::sum(v * 3.0);
  EXPECT_EQ(tape.gradient(loss, std::vector<Variable>{v})[0].to_vector<double>(),
            (std::vector<double>{0.0}));
}

TEST_P(GradientTapeTest, NonPersistentTapeRefusesSecondCall) {
  Tensor x = vec({1.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::sum(x * x);
  tape.gradient(y, x);
  try {
    tape.gradient(y, x);
    FAIL() << "expected RuntimeError";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("persistent"), std::string::npos) << e.what();
  }
}

TEST_P(GradientTapeTest, PersistentTapeAllowsSeveralCalls) {
  Tensor x = vec({2.0});
  GradientTape tape({.persistent = true});
  tape.watch(x);
  Tensor y = x * x;
  Tensor z = y * x;
  EXPECT_DOUBLE_EQ(tape.gradient(ops::sum(y), x).item<double>(), 4.0);
  EXPECT_DOUBLE_EQ(tape.gradient(ops::sum(z), x).item<double>(), 12.0);
}

TEST_P(GradientTapeTest, NestedTapesGiveSecondDerivative) {
  Tensor x = vec({3.0});
  GradientTape outer;
  outer.watch(x);
  Tensor dy;
  {
    GradientTape inner;
    inner.watch(x);
    Tensor y = ops::sum(x * x * x);  // y = x^3
    dy = inner.gradient(y, x);       // 3x^2 = 27
  }
  EXPECT_DOUBLE_EQ(dy.item<double>(), 27.0);
  Tensor d2y = outer.gradient(ops::sum(dy), x);  // 6x = 18
  EXPECT_DOUBLE_EQ(d2y.item<double>(), 18.0);
}

TEST_P(GradientTapeTest, StopGradientBlocksFlow) {
  Tensor x = vec({2.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::sum(x * stop_gradient(x));
  EXPECT_DOUBLE_EQ(tape.gradient(y, x).item<double>(), 2.0);
}

TEST_P(GradientTapeTest, StopRecordingPausesTape) {
  Tensor x = vec({2.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = x * 3.0;
  Tensor z;
  {
    GradientTape::StopRecording pause(tape);
    z = y * x;  // not recorded
  }
  Tensor total = ops::sum(y + z);
  EXPECT_DOUBLE_EQ(tape.gradient(total, x).item<double>(), 3.0);
}

TEST_P(GradientTapeTest, OutputGradientWeightsTheTarget) {
  Tensor x = vec({1.0, 2.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = x * x;
  auto g = tape.gradient(y, x, vec({10.0, 100.0})).to_vector<double>();
  EXPECT_EQ(g, (std::vector<double>{20.0, 400.0}));
}

TEST_P(GradientTapeTest, OutputGradientShapeMismatchIsAnError) {
  Tensor x = vec({1.0, 2.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = x * x;
  EXPECT_THROW(tape.gradient(y, x, vec({1.0, 2.0, 3.0})), ValueError);
}

TEST_P(GradientTapeTest, GradientsFlowThroughBroadcasting) {
  Tensor x = ops::convert_to_tensor(std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = vec({1.0, 1.0, 1.0});
  GradientTape tape;
  tape.watch(std::vector<Tensor>{x, b});
  Tensor y = ops::sum(x * b);
  auto grads = tape.gradient(y, std::vector<Tensor>{x, b});
  EXPECT_EQ(grads[1].shape(), Shape({3}));
  EXPECT_EQ(grads[1].to_vector<double>(), (std::vector<double>{5.0, 7.0, 9.0}));
}

TEST_P(GradientTapeTest, IntegerSourcesGetNoGradient) {
  Tensor i = ops::convert_to_tensor(std::vector<int32_t>{1, 2});
  GradientTape tape;
  tape.watch(i);
  Tensor y = ops::sum(ops::cast(i, float64) * 2.0);
  EXPECT_FALSE(tape.gradient(y, i).defined());
}

TEST_P(GradientTapeTest, ValueAndGrad) {
  auto f = [](const std::vector<Tensor>& p) { return ops::sum(p[0] * p[0] + p[1]); };
  auto [value, grads] = value_and_grad(f)({vec({1.0, 2.0}), vec({3.0})});
  EXPECT_DOUBLE_EQ(value.item<double>(), 1.0 + 3.0 + 4.0 + 3.0);
  EXPECT_EQ(grads[0].to_vector<double>(), (std::vector<double>{2.0, 4.0}));
  EXPECT_EQ(grads[1].to_vector<double>(), (std::vector<double>{2.0}));
}

TEST_P(GradientTapeTest, ValueAndGradRejectsNonScalar) {
  auto f = [](const std::vector<Tensor>& p) { return p[0] * 2.0; };
  try {
    value_and_grad(f)({vec({1.0, 2.0})});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("scalar"), std::string::npos) << e.what();
  }
}

TEST_P(GradientTapeTest, FiniteDifferenceHarnessAgrees) {
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& p) { return ops::exp(p[0]) * p[1]; },
      {testing::test_values({2, 3}), testing::test_values({3}, -1, 1, 2)}, "exp(a)*b");
  testing::expect_second_gradients_match(
      [](const std::vector<Tensor>& p) { return ops::exp(p[0]) * p[0]; },
      {testing::test_values({4})}, "exp(a)*a");
}

KERAS_INSTANTIATE_BACKEND_TEST(GradientTapeTest);

}  // namespace
}  // namespace keras
