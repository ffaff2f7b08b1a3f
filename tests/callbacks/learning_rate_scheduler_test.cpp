// LearningRateScheduler: the schedule sets each epoch's learning rate; messages and errors; on
// every backend.
#include <cmath>

#include "callbacks/callback_testing.hpp"

namespace keras {
namespace {

using callbacks::LearningRateScheduler;

class LearningRateSchedulerTest : public testing::CallbackTest {};

TEST_P(LearningRateSchedulerTest, SetsTheLearningRateEachEpoch) {
  auto model = make_model(0.1);
  std::vector<std::pair<int, double>> calls;
  std::vector<double> used;
  auto scheduler = std::make_shared<LearningRateScheduler>([&](int epoch, double lr) {
    calls.emplace_back(epoch, lr);
    return lr * 0.5;
  });
  auto record = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
      .on_train_batch_begin = [&](int64_t, Logs&) { used.push_back(lr(model)); }});
  model.fit(xs(), ys(),
            {.batch_size = 8, .epochs = 3, .verbose = 0, .callbacks = {scheduler, record}});
  ASSERT_EQ(calls.size(), 3u);
  for (int e = 0; e < 3; ++e) {
    EXPECT_EQ(calls[e].first, e);
    EXPECT_NEAR(calls[e].second, 0.1 * std::pow(0.5, e), 1e-8);  // the rate is float32
    EXPECT_NEAR(used[e], 0.05 * std::pow(0.5, e), 1e-8);
  }
  EXPECT_NEAR(lr(model), 0.0125, 1e-8);
}

TEST_P(LearningRateSchedulerTest, InitialEpochIsPassedThrough) {
  auto model = make_model(0.1);
  std::vector<int> epochs;
  auto scheduler = std::make_shared<LearningRateScheduler>(
      callbacks::LearningRateSchedulerOptions{.schedule = [&](int epoch, double) {
        epochs.push_back(epoch);
        return 0.01 * (epoch + 1);
      }});
  model.fit(
      xs(), ys(),
      {.batch_size = 8, .epochs = 4, .verbose = 0, .callbacks = {scheduler}, .initial_epoch = 2});
  EXPECT_EQ(epochs, (std::vector<int>{2, 3}));
  EXPECT_NEAR(lr(model), 0.04, 1e-8);
}

TEST_P(LearningRateSchedulerTest, VerboseMessage) {
  auto model = make_model(0.1);
  auto scheduler = std::make_shared<LearningRateScheduler>(
      [](int epoch, double) { return epoch ? 1e-05 : 0.1; }, 1);
  ::testing::internal::CaptureStdout();
  model.fit(xs(), ys(), {.batch_size = 8, .epochs = 2, .verbose = 0, .callbacks = {scheduler}});
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(out,
            "\nEpoch 1: LearningRateScheduler setting learning rate to 0.1.\n"
            "\nEpoch 2: LearningRateScheduler setting learning rate to 1e-05.\n");
}

TEST_P(LearningRateSchedulerTest, Errors) {
  EXPECT_THROW_ALL(LearningRateScheduler s(callbacks::Schedule{}), ValueError,
                   "LearningRateScheduler: `schedule`");
  // An optimizer driven by a LearningRateSchedule has no settable rate.
  auto model = Sequential({Input({1}), layers::Dense({.units = 1})});
  model.compile({.optimizer = optimizers::SGD(
                     {.learning_rate = optimizers::schedules::ExponentialDecay(
                          {.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.9})}),
                 .loss = "mse"});
  auto scheduler = std::make_shared<LearningRateScheduler>([](int, double lr) { return lr; });
  EXPECT_THROW(model.fit(xs(), ys(), {.epochs = 1, .verbose = 0, .callbacks = {scheduler}}),
               TypeError);
}

KERAS_INSTANTIATE_BACKEND_TEST(LearningRateSchedulerTest);

}  // namespace
}  // namespace keras
