// LambdaCallback: every hook reaches its function with the right arguments during fit,
// evaluate and predict; on every backend.
#include "callbacks/callback_testing.hpp"

namespace keras {
namespace {

using callbacks::LambdaCallback;
using callbacks::LambdaCallbackOptions;

class LambdaCallbackTest : public testing::CallbackTest {};

TEST_P(LambdaCallbackTest, CountsEveryHook) {
  std::map<std::string, int> n;
  std::vector<int> epochs;
  std::vector<int64_t> batches;
  std::vector<double> epoch_losses;
  LambdaCallbackOptions o;
  o.on_epoch_begin = [&](int e, Logs&) {
    ++n["epoch_begin"];
    epochs.push_back(e);
  };
  o.on_epoch_end = [&](int, Logs& l) {
    ++n["epoch_end"];
    epoch_losses.push_back(l.at("loss"));
  };
  o.on_train_begin = [&](Logs&) { ++n["train_begin"]; };
  o.on_train_end = [&](Logs& l) {
    ++n["train_end"];
    EXPECT_EQ(l.count("loss"), 1u);
  };
  o.on_train_batch_begin = [&](int64_t b, Logs&) {
    ++n["train_batch_begin"];
    batches.push_back(b);
  };
  o.on_train_batch_end = [&](int64_t, Logs& l) {
    ++n["train_batch_end"];
    EXPECT_EQ(l.count("loss"), 1u);
  };
  o.on_test_begin = [&](Logs&) { ++n["test_begin"]; };
  o.on_test_end = [&](Logs&) { ++n["test_end"]; };
  o.on_test_batch_begin = [&](int64_t, Logs&) { ++n["test_batch_begin"]; };
  o.on_test_batch_end = [&](int64_t, Logs&) { ++n["test_batch_end"]; };
  o.on_predict_begin = [&](Logs&) { ++n["predict_begin"]; };
  o.on_predict_end = [&](Logs&) { ++n["predict_end"]; };
  o.on_predict_batch_begin = [&](int64_t, Logs&) { ++n["predict_batch_begin"]; };
  o.on_predict_batch_end = [&](int64_t, Logs&) { ++n["predict_batch_end"]; };
  auto cb = std::make_shared<LambdaCallback>(o);

  auto model = make_model(0.01);
  History h =
      model.fit(xs(), ys(), {.batch_size = 3, .epochs = 2, .verbose = 0, .callbacks = {cb}});
  EXPECT_EQ(n["train_begin"], 1);
  EXPECT_EQ(n["train_end"], 1);
  EXPECT_EQ(n["epoch_begin"], 2);
  EXPECT_EQ(n["epoch_end"], 2);
  EXPECT_EQ(n["train_batch_begin"], 6);  // ceil(8 / 3) per epoch
  EXPECT_EQ(n["train_batch_end"], 6);
  EXPECT_EQ(epochs, (std::vector<int>{0, 1}));
  EXPECT_EQ(batches, (std::vector<int64_t>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(epoch_losses, h.history["loss"]);

  model.evaluate(xs(), ys(), {.batch_size = 4, .verbose = 0, .callbacks = {cb}});
  EXPECT_EQ(n["test_begin"], 1);
  EXPECT_EQ(n["test_end"], 1);
  EXPECT_EQ(n["test_batch_begin"], 2);
  EXPECT_EQ(n["test_batch_end"], 2);

  model.predict(xs(), {.batch_size = 5, .callbacks = {cb}});
  EXPECT_EQ(n["predict_begin"], 1);
  EXPECT_EQ(n["predict_end"], 1);
  EXPECT_EQ(n["predict_batch_begin"], 2);
  EXPECT_EQ(n["predict_batch_end"], 2);
  EXPECT_EQ(n["train_begin"], 1);  // evaluate and predict call no training hooks
}

TEST_P(LambdaCallbackTest, EmptyHooksDoNothingAndCanStopTraining) {
  auto model = make_model(0.01);
  Trainer* t = model.ptr().get();
  auto stop =
      std::make_shared<LambdaCallback>(LambdaCallbackOptions{.on_epoch_end = [t](int epoch, Logs&) {
        if (epoch == 1) t->stop_training = true;
      }});
  History h = model.fit(
      xs(), ys(),
      {.epochs = 10, .verbose = 0, .callbacks = {std::make_shared<LambdaCallback>(), stop}});
  EXPECT_EQ(h.history["loss"].size(), 2u);
}

TEST_P(LambdaCallbackTest, StepsPerExecutionGroupsTheBatchHooksAsKerasDoes) {
  // Keras: the batch hooks fire once per group of steps_per_execution steps, begin with the
  // group's first step, end with first + steps_per_execution - 1 (not clipped for the last,
  // shorter group) and the logs of its last step; every batch still trains.
  std::vector<int64_t> begins, ends, test_ends, predict_begins;
  LambdaCallbackOptions o;
  o.on_train_batch_begin = [&](int64_t b, Logs&) { begins.push_back(b); };
  o.on_train_batch_end = [&](int64_t b, Logs& l) {
    ends.push_back(b);
    EXPECT_EQ(l.count("loss"), 1u);
  };
  o.on_test_batch_end = [&](int64_t b, Logs&) { test_ends.push_back(b); };
  o.on_predict_batch_begin = [&](int64_t b, Logs&) { predict_begins.push_back(b); };
  auto cb = std::make_shared<LambdaCallback>(o);

  auto grouped = Sequential({Input({1}), layers::Dense({.units = 1})});
  grouped.compile({.optimizer = optimizers::SGD({.learning_rate = 0.01}),
                   .loss = "mse",
                   .steps_per_execution = 3});
  auto plain = make_model(0.01);
  plain.set_weights(grouped.get_weights());
  History h = grouped.fit(
      xs(), ys(),
      {.batch_size = 1, .epochs = 1, .verbose = 0, .callbacks = {cb}, .shuffle = false});
  History want =
      plain.fit(xs(), ys(), {.batch_size = 1, .epochs = 1, .verbose = 0, .shuffle = false});
  EXPECT_EQ(begins, (std::vector<int64_t>{0, 3, 6}));  // 8 steps: groups of 3, 3 and 2
  EXPECT_EQ(ends, (std::vector<int64_t>{2, 5, 8}));
  EXPECT_EQ(grouped->optimizer()->iterations().item<int64_t>(), 8);
  EXPECT_EQ(h.history["loss"], want.history["loss"]);
  EXPECT_EQ(grouped.get_weights()[0].to_vector<double>(),
            plain.get_weights()[0].to_vector<double>());

  grouped.evaluate(xs(), ys(), {.batch_size = 2, .verbose = 0, .callbacks = {cb}});
  EXPECT_EQ(test_ends, (std::vector<int64_t>{2, 5}));  // 4 steps: groups of 3 and 1
  Tensor p = grouped.predict(xs(), {.batch_size = 4, .callbacks = {cb}});
  EXPECT_EQ(predict_begins, (std::vector<int64_t>{0}));  // 2 steps, one group
  EXPECT_EQ(p.shape(), (Shape{8, 1}));
}

KERAS_INSTANTIATE_BACKEND_TEST(LambdaCallbackTest);

}  // namespace
}  // namespace keras
