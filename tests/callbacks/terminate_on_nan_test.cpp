// TerminateOnNaN: stops fit on a NaN or infinite loss (message, on_train_end still runs), or
// throws with raise_error; on every backend.
#include <cmath>
#include <limits>

#include "callbacks/callback_testing.hpp"

namespace keras {
namespace {

using callbacks::TerminateOnNaN;

class TerminateOnNaNTest : public testing::CallbackTest {
 protected:
  // xs() with a NaN in sample `row`.
  static Tensor xs_with_nan(int row) {
    std::vector<float> v{0, 1, 2, 3, 4, 5, 6, 7};
    v[row] = std::numeric_limits<float>::quiet_NaN();
    return ops::convert_to_tensor(v, Shape{8, 1});
  }
};

TEST_P(TerminateOnNaNTest, StopsOnNaNInputs) {
  auto model = make_model(0.01);
  int train_end = 0, batches = 0;
  auto count = std::make_shared<callbacks::LambdaCallback>(
      callbacks::LambdaCallbackOptions{.on_train_end = [&](Logs&) { ++train_end; },
                                       .on_train_batch_end = [&](int64_t, Logs&) { ++batches; }});
  ::testing::internal::CaptureStdout();
  // Batches of 2, unshuffled: the NaN is in batch 1 of epoch 0.
  History h = model.fit(xs_with_nan(3), ys(),
                        {.batch_size = 2,
                         .epochs = 5,
                         .verbose = 0,
                         .callbacks = {std::make_shared<TerminateOnNaN>(), count},
                         .shuffle = false});
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(out, "Batch 1: Invalid loss, terminating training\n");
  EXPECT_EQ(batches, 2);
  EXPECT_EQ(train_end, 1);
  ASSERT_EQ(h.history["loss"].size(), 1u);
  EXPECT_TRUE(std::isnan(h.history["loss"][0]));
}

TEST_P(TerminateOnNaNTest, StopsWhenAHugeLearningRateDiverges) {
  auto model = make_model(1e30);
  ::testing::internal::CaptureStdout();
  History h = model.fit(xs(), ys(),
                        {.batch_size = 2,
                         .epochs = 5,
                         .verbose = 0,
                         .callbacks = {std::make_shared<TerminateOnNaN>()},
                         .shuffle = false});
  std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_EQ(h.history["loss"].size(), 1u);
  EXPECT_FALSE(std::isfinite(h.history["loss"][0]));
  EXPECT_TRUE(contains(out, ": Invalid loss, terminating training\n")) << out;
}

TEST_P(TerminateOnNaNTest, FiniteLossRunsEveryEpoch) {
  auto model = make_model(0.01);
  History h = model.fit(xs(), ys(),
                        {.batch_size = 2,
                         .epochs = 3,
                         .verbose = 0,
                         .callbacks = {std::make_shared<TerminateOnNaN>()}});
  EXPECT_EQ(h.history["loss"].size(), 3u);
}

TEST_P(TerminateOnNaNTest, RaiseErrorThrowsWithoutTrainEnd) {
  auto model = make_model(0.01);
  int train_end = 0;
  auto count = std::make_shared<callbacks::LambdaCallback>(
      callbacks::LambdaCallbackOptions{.on_train_end = [&](Logs&) { ++train_end; }});
  EXPECT_THROW_ALL(
      model.fit(xs_with_nan(0), ys(),
                {.batch_size = 2,
                 .epochs = 5,
                 .verbose = 0,
                 .callbacks = {std::make_shared<TerminateOnNaN>(
                                   callbacks::TerminateOnNaNOptions{.raise_error = true}),
                               count},
                 .shuffle = false}),
      RuntimeError,
      "NaN or Inf loss encountered at batch 0. Loss value: nan. "
      "Terminating training immediately.");
  EXPECT_EQ(train_end, 0);
  // The callback alone, with an infinite loss.
  TerminateOnNaN t({.raise_error = true});
  EXPECT_THROW(t.on_train_batch_end(4, logs_ref({{"loss", HUGE_VAL}})), RuntimeError);
  EXPECT_NO_THROW(
      t.on_train_batch_end(4, logs_ref({{"accuracy", std::nan("")}})));  // only "loss" counts
}

KERAS_INSTANTIATE_BACKEND_TEST(TerminateOnNaNTest);

}  // namespace
}  // namespace keras
