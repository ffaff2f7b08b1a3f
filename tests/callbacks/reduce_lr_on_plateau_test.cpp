// ReduceLROnPlateau: lowering the learning rate after `patience` epochs, min_lr, cooldown,
// messages and bad options; on every backend.
#include "callbacks/callback_testing.hpp"

namespace keras {
namespace {

using callbacks::ReduceLROnPlateau;
using callbacks::ReduceLROnPlateauOptions;

class ReduceLROnPlateauTest : public testing::CallbackTest {};

// The learning rate each epoch starts with.
std::shared_ptr<callbacks::LambdaCallback> record_lr(const Sequential& model,
                                                     std::vector<double>* out) {
  return std::make_shared<callbacks::LambdaCallback>(
      callbacks::LambdaCallbackOptions{.on_epoch_begin = [model, out](int, Logs&) {
        out->push_back(model->optimizer()->learning_rate().item<double>());
      }});
}

TEST_P(ReduceLROnPlateauTest, LowersTheLearningRateDuringFit) {
  // min_delta 100: no epoch counts as an improvement after the first.
  auto model = make_model(0.5);
  std::vector<double> lrs;
  auto reduce = std::make_shared<ReduceLROnPlateau>(
      ReduceLROnPlateauOptions{.monitor = "loss", .factor = 0.5, .patience = 1, .min_delta = 100});
  model.fit(xs(), ys(),
            {.batch_size = 8,
             .epochs = 4,
             .verbose = 0,
             .callbacks = {record_lr(model, &lrs), reduce},
             .shuffle = false});
  ASSERT_EQ(lrs.size(), 4u);
  EXPECT_DOUBLE_EQ(lrs[0], 0.5);
  EXPECT_DOUBLE_EQ(lrs[1], 0.5);  // epoch 0 sets the best
  EXPECT_DOUBLE_EQ(lrs[2], 0.25);
  EXPECT_DOUBLE_EQ(lrs[3], 0.125);
  EXPECT_DOUBLE_EQ(lr(model), 0.0625);
}

TEST_P(ReduceLROnPlateauTest, PatienceMinLrAndCooldown) {
  auto model = make_model(1.0);
  Trainer* t = model.ptr().get();
  auto feed = [&](ReduceLROnPlateau& r, const std::vector<double>& losses) {
    r.set_model(t);
    r.on_train_begin(logs_ref({}));
    std::vector<double> out;
    for (size_t e = 0; e < losses.size(); ++e) {
      r.on_epoch_end(static_cast<int>(e), logs_ref({{"loss", losses[e]}}));
      out.push_back(lr(model));
    }
    return out;
  };
  {
    model->optimizer()->set_learning_rate(1.0);
    ReduceLROnPlateau r({.monitor = "loss", .factor = 0.5, .patience = 2});
    EXPECT_EQ(feed(r, {5, 4, 4, 4, 3, 3, 3}), (std::vector<double>{1, 1, 1, 0.5, 0.5, 0.5, 0.25}));
  }
  {  // Never below min_lr; at min_lr, no more reductions.
    model->optimizer()->set_learning_rate(1.0);
    ReduceLROnPlateau r({.monitor = "loss", .factor = 0.1, .patience = 1, .min_lr = 0.25});
    EXPECT_EQ(feed(r, {5, 5, 5, 5}), (std::vector<double>{1, 0.25, 0.25, 0.25}));
  }
  {  // After a reduction the wait stays at 0 while the cooldown counts down; as in Keras, the
     // epoch on which it reaches 0 already counts, so cooldown=2 skips one epoch.
    model->optimizer()->set_learning_rate(1.0);
    ReduceLROnPlateau r({.monitor = "loss", .factor = 0.5, .patience = 1, .cooldown = 2});
    EXPECT_EQ(feed(r, {5, 5, 5, 5, 5, 5}), (std::vector<double>{1, 0.5, 0.5, 0.25, 0.25, 0.125}));
    EXPECT_EQ(r.cooldown_counter(), 2);
    EXPECT_TRUE(r.in_cooldown());
  }
  {  // mode "max" and "learning_rate" is among the monitored values.
    model->optimizer()->set_learning_rate(1.0);
    ReduceLROnPlateau r({.monitor = "auc", .factor = 0.5, .patience = 1, .mode = "max"});
    r.set_model(t);
    r.on_train_begin(logs_ref({}));
    r.on_epoch_end(0, logs_ref({{"auc", 0.5}}));
    r.on_epoch_end(1, logs_ref({{"auc", 0.6}}));
    EXPECT_DOUBLE_EQ(lr(model), 1.0);
    r.on_epoch_end(2, logs_ref({{"auc", 0.55}}));
    EXPECT_DOUBLE_EQ(lr(model), 0.5);
    ::testing::internal::CaptureStderr();
    r.on_epoch_end(3, logs_ref({{"loss", 0.55}}));
    std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_TRUE(contains(err,
                         "Learning rate reduction is conditioned on metric `auc` which is "
                         "not available. Available metrics are: learning_rate,loss."))
        << err;
  }
}

TEST_P(ReduceLROnPlateauTest, VerboseMessage) {
  auto model = make_model(0.5);
  auto reduce = std::make_shared<ReduceLROnPlateau>(ReduceLROnPlateauOptions{
      .monitor = "loss", .factor = 0.5, .patience = 1, .verbose = 1, .min_delta = 100});
  ::testing::internal::CaptureStdout();
  model.fit(xs(), ys(), {.batch_size = 8, .epochs = 2, .verbose = 0, .callbacks = {reduce}});
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(out, "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.25.\n");
}

TEST_P(ReduceLROnPlateauTest, BadOptions) {
  EXPECT_THROW_ALL(ReduceLROnPlateau r({.factor = 1.0}), ValueError,
                   "ReduceLROnPlateau does not support a factor >= 1.0. "
                   "Received factor=1.0");
  auto expect_error = [](ReduceLROnPlateauOptions o, const std::string& arg) {
    EXPECT_THROW_ALL(ReduceLROnPlateau r(o), ValueError, "ReduceLROnPlateau", arg);
  };
  expect_error({.factor = -0.5}, "`factor`");
  expect_error({.patience = -1}, "`patience`");
  expect_error({.mode = "up"}, "`mode`");
  expect_error({.cooldown = -1}, "`cooldown`");
  expect_error({.min_lr = -1e-3}, "`min_lr`");
  // An uncompiled model has no optimizer.
  auto model = Sequential({Input({1}), layers::Dense({.units = 1})});
  ReduceLROnPlateau r({.monitor = "loss"});
  r.set_model(model.ptr().get());
  EXPECT_THROW(r.on_epoch_end(0, logs_ref({{"loss", 1.0}})), ValueError);
}

KERAS_INSTANTIATE_BACKEND_TEST(ReduceLROnPlateauTest);

}  // namespace
}  // namespace keras
