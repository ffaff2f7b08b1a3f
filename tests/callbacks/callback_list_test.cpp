// How fit drives its callbacks, as Keras's CallbackList: user callbacks run before History (so
// entries they add to the logs are recorded), validation fires the on_test_* hooks, and a run
// resumed at an epoch shuffles as the uninterrupted run did.
#include "callbacks/callback_testing.hpp"

namespace keras {
namespace {

using callbacks::LambdaCallback;
using callbacks::LambdaCallbackOptions;

class CallbackListTest : public testing::CallbackTest {};

TEST_P(CallbackListTest, HistoryRecordsWhatCallbacksAddToTheLogs) {
  auto model = make_model(0.01);
  auto plateau = std::make_shared<callbacks::ReduceLROnPlateau>(
      callbacks::ReduceLROnPlateauOptions{.monitor = "loss", .factor = 0.5, .patience = 0});
  LambdaCallbackOptions o;
  o.on_epoch_end = [](int epoch, Logs& logs) { logs["custom"] = 10.0 * epoch; };
  auto custom = std::make_shared<LambdaCallback>(o);
  History h = model.fit(
      xs(), ys(), {.batch_size = 8, .epochs = 3, .verbose = 0, .callbacks = {plateau, custom}});
  ASSERT_EQ(h.history.count("learning_rate"), 1u);
  ASSERT_EQ(h.history.count("custom"), 1u);
  EXPECT_EQ(h.history.at("custom"), (std::vector<double>{0.0, 10.0, 20.0}));
  // The learning rate logged at each epoch end is the optimizer's at that moment.
  ASSERT_EQ(h.history.at("learning_rate").size(), 3u);
  EXPECT_NEAR(h.history.at("learning_rate")[0], 0.01, 1e-9);
}

TEST_P(CallbackListTest, LearningRateSchedulerLogsTheLearningRate) {
  auto model = make_model(0.1);
  auto sched = std::make_shared<callbacks::LearningRateScheduler>(
      [](int epoch, double) { return 0.1 / (epoch + 1); });
  History h =
      model.fit(xs(), ys(), {.batch_size = 8, .epochs = 2, .verbose = 0, .callbacks = {sched}});
  ASSERT_EQ(h.history.count("learning_rate"), 1u);
  EXPECT_NEAR(h.history.at("learning_rate")[0], 0.1, 1e-7);
  EXPECT_NEAR(h.history.at("learning_rate")[1], 0.05, 1e-7);
}

TEST_P(CallbackListTest, ValidationFiresTestHooks) {
  std::map<std::string, int> n;
  LambdaCallbackOptions o;
  o.on_test_begin = [&](Logs&) { ++n["test_begin"]; };
  o.on_test_batch_end = [&](int64_t, Logs& l) {
    ++n["test_batch_end"];
    EXPECT_EQ(l.count("loss"), 1u);
  };
  o.on_test_end = [&](Logs&) { ++n["test_end"]; };
  auto cb = std::make_shared<LambdaCallback>(o);
  auto model = make_model(0.01);
  History h = model.fit(xs(), ys(),
                        {.batch_size = 2,
                         .epochs = 3,
                         .verbose = 0,
                         .callbacks = {cb},
                         .validation_split = 0.25,
                         .validation_freq = 2});
  // Validation after epoch 2 only (validation_freq = 2): 2 samples in batches of 2.
  EXPECT_EQ(n["test_begin"], 1);
  EXPECT_EQ(n["test_batch_end"], 1);
  EXPECT_EQ(n["test_end"], 1);
  EXPECT_EQ(h.history.at("val_loss").size(), 1u);
}

TEST_P(CallbackListTest, ResumingAtAnEpochShufflesAsTheUninterruptedRun) {
  auto train = [&](bool split) {
    random::set_random_seed(7);
    auto model = make_model(0.05);
    FitOptions o{.batch_size = 3, .epochs = 4, .verbose = 0, .seed = 99};
    if (!split) {
      model.fit(xs(), ys(), o);
    } else {
      o.epochs = 2;
      model.fit(xs(), ys(), o);
      o.epochs = 4;
      o.initial_epoch = 2;
      model.fit(xs(), ys(), o);
    }
    return model->get_weights();
  };
  std::vector<Tensor> once = train(false), twice = train(true);
  ASSERT_EQ(once.size(), twice.size());
  for (size_t i = 0; i < once.size(); ++i)
    EXPECT_EQ(once[i].to_vector<float>(), twice[i].to_vector<float>()) << "weight " << i;
}

KERAS_INSTANTIATE_BACKEND_TEST(CallbackListTest);

}  // namespace
}  // namespace keras
