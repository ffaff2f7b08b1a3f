// EarlyStopping: patience, min_delta, baseline, start_from_epoch, modes, restoring the best
// weights, and bad options; on every backend.
#include <cmath>

#include "callbacks/callback_testing.hpp"

namespace keras {
namespace {

using callbacks::EarlyStopping;
using callbacks::EarlyStoppingOptions;

class EarlyStoppingTest : public testing::CallbackTest {
 protected:
  // Feeds `values` of `monitor` as epoch ends; returns the epoch at which the callback asked to
  // stop (-1: never), as fit would.
  static int run(EarlyStopping& es, Trainer* model, const std::vector<double>& values,
                 const std::string& monitor = "loss") {
    es.set_model(model);
    model->stop_training = false;
    es.on_train_begin(logs_ref({}));
    for (size_t e = 0; e < values.size(); ++e) {
      es.on_epoch_end(static_cast<int>(e), logs_ref({{monitor, values[e]}}));
      if (model->stop_training) return static_cast<int>(e);
    }
    return -1;
  }
};

TEST_P(EarlyStoppingTest, StopsAfterPatienceEpochsWithoutImprovement) {
  // learning_rate 0: the loss never changes, so nothing improves after epoch 0.
  auto model = make_model(0.0);
  auto es = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = "loss", .patience = 2});
  History h =
      model.fit(xs(), ys(),
                {.batch_size = 8, .epochs = 10, .verbose = 0, .callbacks = {es}, .shuffle = false});
  EXPECT_EQ(h.history["loss"].size(), 3u);
  EXPECT_EQ(es->stopped_epoch(), 2);
  EXPECT_EQ(es->best_epoch(), 0);
  ASSERT_TRUE(es->best());
  EXPECT_DOUBLE_EQ(*es->best(), h.history["loss"][0]);
}

TEST_P(EarlyStoppingTest, PatienceZeroStopsAtEpochOne) {
  auto model = make_model(0.0);
  auto es = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = "loss"});
  History h =
      model.fit(xs(), ys(),
                {.batch_size = 8, .epochs = 10, .verbose = 0, .callbacks = {es}, .shuffle = false});
  EXPECT_EQ(h.history["loss"].size(), 2u);
  EXPECT_EQ(es->stopped_epoch(), 1);
}

TEST_P(EarlyStoppingTest, ImprovingTrainingRunsAllEpochs) {
  auto model = make_model(0.01);
  auto es = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = "val_loss"});
  History h = model.fit(xs(), ys(),
                        {.batch_size = 8,
                         .epochs = 5,
                         .verbose = 0,
                         .callbacks = {es},
                         .validation_data = std::make_pair(std::vector{xs()}, std::vector{ys()}),
                         .shuffle = false});
  EXPECT_EQ(h.history["loss"].size(), 5u);
  EXPECT_EQ(es->stopped_epoch(), 0);
  EXPECT_EQ(es->best_epoch(), 4);
}

TEST_P(EarlyStoppingTest, RestoresTheBestEpochsWeights) {
  // Two epochs at a small learning rate, then one so large that the loss grows. An epoch's loss
  // is measured before its update, so the losses improve through epoch 2 and grow from epoch 3;
  // the weights at the end of epoch 2 come back.
  auto model = make_model(0.01);
  std::vector<std::vector<float>> kernel_at_epoch_end;
  auto record = std::make_shared<callbacks::LambdaCallback>(
      callbacks::LambdaCallbackOptions{.on_epoch_end = [&](int, Logs&) {
        kernel_at_epoch_end.push_back(model.get_weights()[0].to_vector<float>());
      }});
  auto schedule = std::make_shared<callbacks::LearningRateScheduler>(
      [](int epoch, double) { return epoch < 2 ? 0.01 : 1.0; });
  auto es = std::make_shared<EarlyStopping>(
      EarlyStoppingOptions{.monitor = "loss", .patience = 2, .restore_best_weights = true});
  History h = model.fit(xs(), ys(),
                        {.batch_size = 8,
                         .epochs = 20,
                         .verbose = 0,
                         .callbacks = {schedule, record, es},
                         .shuffle = false});
  ASSERT_EQ(h.history["loss"].size(), 5u);
  EXPECT_LT(h.history["loss"][2], h.history["loss"][1]);
  EXPECT_GT(h.history["loss"][3], h.history["loss"][2]);
  EXPECT_GT(h.history["loss"][4], h.history["loss"][2]);
  EXPECT_EQ(es->best_epoch(), 2);
  EXPECT_EQ(es->stopped_epoch(), 4);
  EXPECT_EQ(model.get_weights()[0].to_vector<float>(), kernel_at_epoch_end[2]);
  EXPECT_NE(kernel_at_epoch_end[4], kernel_at_epoch_end[2]);
}

TEST_P(EarlyStoppingTest, VerboseMessages) {
  auto model = make_model(0.0);
  auto es = std::make_shared<EarlyStopping>(EarlyStoppingOptions{
      .monitor = "loss", .patience = 1, .verbose = 1, .restore_best_weights = true});
  ::testing::internal::CaptureStdout();
  // No shuffling: with a zero learning rate every epoch then sees the same batches in the same
  // order, so the loss is bit-identical and never "improves" by a rounding difference.
  model.fit(xs(), ys(),
            {.batch_size = 8, .epochs = 10, .verbose = 0, .callbacks = {es}, .shuffle = false});
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(out,
            "Epoch 2: early stopping\n"
            "Restoring model weights from the end of the best epoch: 1.\n");
}

TEST_P(EarlyStoppingTest, MinDeltaBaselineAndStartFromEpoch) {
  auto model = make_model(0.1);
  Trainer* t = model.ptr().get();
  {  // Improvements smaller than min_delta do not count.
    EarlyStopping es({.monitor = "loss", .min_delta = 0.5, .patience = 1});
    EXPECT_EQ(run(es, t, {10, 9.8, 9.6, 9.4}), 1);
    EXPECT_DOUBLE_EQ(*es.best(), 10);
  }
  {  // A negative min_delta counts as its absolute value.
    EarlyStopping es({.monitor = "loss", .min_delta = -0.5, .patience = 1});
    EXPECT_EQ(run(es, t, {10, 9.8}), 1);
  }
  {  // The wait restarts only for values that also beat the baseline.
    EarlyStopping es({.monitor = "loss", .patience = 2, .baseline = 5.0});
    // Improvements above the baseline leave the wait counting; the first epoch that does not
    // improve then stops.
    EXPECT_EQ(run(es, t, {10, 9, 9}), 2);
    EarlyStopping no_baseline({.monitor = "loss", .patience = 2});
    EXPECT_EQ(run(no_baseline, t, {10, 9, 9}), -1);
  }
  {
    EarlyStopping es({.monitor = "loss", .patience = 2, .baseline = 5.0});
    EXPECT_EQ(run(es, t, {10, 4, 3, 3, 3, 3}), 4);
  }
  {  // Nothing is monitored during the warm-up epochs.
    EarlyStopping es({.monitor = "loss", .patience = 0, .start_from_epoch = 3});
    EXPECT_EQ(run(es, t, {1, 2, 3, 4, 5}), 4);
    EXPECT_DOUBLE_EQ(*es.best(), 4);
  }
  {  // mode "max".
    EarlyStopping es({.monitor = "acc", .patience = 1, .mode = "max"});
    EXPECT_EQ(run(es, t, {0.1, 0.2, 0.3, 0.25, 0.35, 0.3}, "acc"), 3);
    EXPECT_DOUBLE_EQ(*es.best(), 0.3);
  }
  {  // A missing monitor warns and changes nothing.
    EarlyStopping es({.monitor = "val_loss"});
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(run(es, t, {1, 2, 3}), -1);
    std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_TRUE(contains(err,
                         "Early stopping conditioned on metric `val_loss` which is not "
                         "available. Available metrics are: loss"))
        << err;
  }
}

TEST_P(EarlyStoppingTest, AutoModeFollowsTheMetricsDirection) {
  auto model = make_model(0.01, {"mae", "cosine_similarity"});
  auto mae = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = "mae"});
  auto cos =
      std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = "val_cosine_similarity"});
  model.fit(xs(), ys(),
            {.batch_size = 8,
             .epochs = 1,
             .verbose = 0,
             .callbacks = {mae, cos},
             .validation_split = 0.25});
  Trainer* t = model.ptr().get();
  EXPECT_EQ(run(*mae, t, {3, 2, 1}, "mae"), -1);                          // minimized
  EXPECT_EQ(run(*cos, t, {0.1, 0.2, 0.3}, "val_cosine_similarity"), -1);  // maximized
  EXPECT_EQ(run(*cos, t, {0.3, 0.2}, "val_cosine_similarity"), 1);

  auto unknown = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = "loss_ratio"});
  EXPECT_THROW_ALL(model.fit(xs(), ys(), {.epochs = 1, .verbose = 0, .callbacks = {unknown}}),
                   ValueError,
                   "EarlyStopping callback received monitor=loss_ratio, but Keras "
                   "isn't able to automatically determine");
}

TEST_P(EarlyStoppingTest, BadOptions) {
  auto expect_error = [](EarlyStoppingOptions o, const std::string& arg) {
    EXPECT_THROW_ALL(EarlyStopping es(o), ValueError, "EarlyStopping", arg);
  };
  expect_error({.mode = "maximum"}, "`mode`");
  expect_error({.monitor = ""}, "`monitor`");
  expect_error({.patience = -1}, "`patience`");
  expect_error({.start_from_epoch = -2}, "`start_from_epoch`");
}

KERAS_INSTANTIATE_BACKEND_TEST(EarlyStoppingTest);

}  // namespace
}  // namespace keras
