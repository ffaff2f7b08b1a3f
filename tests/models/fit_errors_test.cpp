// Bad input to compile / fit / evaluate / predict: clear errors naming the argument (or layer)
// and the sizes involved, compared with Keras's messages where Keras has one; and TerminateOnNaN.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/fresh_session.hpp"
#include "testing/layer_harness.hpp"

namespace keras {
namespace {

namespace L = keras::layers;

class FitErrorsTest : public testing::FreshSessionTest<42> {
 protected:
  static Sequential compiled_model() {
    auto model = Sequential({Input({2}), L::Dense({.units = 1, .name = "out"})});
    model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.01}), .loss = "mse"});
    return model;
  }
};

TEST_P(FitErrorsTest, MismatchedSampleCounts) {
  // Keras: "Data cardinality is ambiguous. Make sure all arrays contain the same number of
  // samples. 'x' sizes: 4 'y' sizes: 3".
  auto model = compiled_model();
  EXPECT_THROW_ALL(model.fit(ops::ones({4, 2}), ops::ones({3, 1}), {.verbose = 0}), ValueError,
                   "same number of samples", "4", "3");
  EXPECT_THROW_ALL(model.evaluate(ops::ones({5, 2}), ops::ones({2, 1}), {.verbose = 0}), ValueError,
                   "same number of samples", "5", "2");
  EXPECT_THROW_ALL(model.fit(ops::ones({4, 2}), ops::ones({4, 1}),
                             {.verbose = 0, .sample_weight = ops::ones({3})}),
                   ValueError, "4", "3");
}

TEST_P(FitErrorsTest, WrongInputShapeNamesTheModelInput) {
  auto model = compiled_model();
  // Feature count 3 where the Input says 2.
  EXPECT_THROW_ALL(model.fit(ops::ones({4, 3}), ops::ones({4, 1}), {.verbose = 0}), ValueError,
                   "(None, 2)", "3");
  // Wrong rank.
  EXPECT_THROW_ALL(model.predict(ops::ones({4, 2, 1})), ValueError, "(None, 2)", "(4, 2, 1)");
}

TEST_P(FitErrorsTest, TargetShapeIncompatibleWithTheLoss) {
  // As in Keras, mse broadcasts y_true against y_pred; shapes that cannot broadcast are an error
  // naming both shapes.
  auto model = Sequential({Input({2}), L::Dense({.units = 2})});
  model.compile({.optimizer = "sgd", .loss = "mse"});
  EXPECT_THROW_ALL(model.fit(ops::ones({4, 2}), ops::ones({4, 3}), {.verbose = 0}), ValueError,
                   "(4, 3)", "(4, 2)");
}

TEST_P(FitErrorsTest, BadArguments) {
  auto model = compiled_model();
  EXPECT_THROW_ALL(model.fit(ops::ones({4, 2}), ops::ones({4, 1}), {.batch_size = 0, .verbose = 0}),
                   ValueError, "batch_size", "0");
  EXPECT_THROW_ALL(
      model.fit(ops::ones({4, 2}), ops::ones({4, 1}), {.verbose = 0, .validation_split = 1.5}),
      ValueError, "validation_split", "1.5");
  EXPECT_THROW_ALL(model.fit(ops::ones({4, 2}), ops::ones({4, 1}), {.epochs = -1, .verbose = 0}),
                   ValueError, "epochs");
  auto uncompiled = Sequential({Input({2}), L::Dense({.units = 1})});
  EXPECT_THROW_ALL(uncompiled.fit(ops::ones({4, 2}), ops::ones({4, 1}), {.verbose = 0}),
                   RuntimeError, "compile");
}

TEST_P(FitErrorsTest, UnknownStringIdentifiers) {
  // Keras: "Could not interpret optimizer identifier: adamm" (and loss / metric alike).
  auto model = Sequential({Input({2}), L::Dense({.units = 1})});
  EXPECT_THROW_ALL(model.compile({.optimizer = "adamm", .loss = "mse"}), ValueError, "adamm");
  EXPECT_THROW_ALL(model.compile({.optimizer = "adam", .loss = "msee"}), ValueError, "msee");
  EXPECT_THROW_ALL(model.compile({.optimizer = "adam", .loss = "mse", .metrics = {"accuracyy"}}),
                   ValueError, "accuracyy");
}

TEST_P(FitErrorsTest, TerminateOnNaN) {
  auto model = compiled_model();
  std::vector<float> xv(8, 1.0f);
  xv[5] = std::numeric_limits<float>::quiet_NaN();  // sample 2, batch 1 with batch_size 2
  Tensor x = ops::convert_to_tensor(xv, Shape{4, 2});
  Tensor y = ops::ones({4, 1});
  // raise_error: a RuntimeError naming the batch and the loss value.
  EXPECT_THROW_ALL(model.fit(x, y,
                             {.batch_size = 2,
                              .epochs = 3,
                              .verbose = 0,
                              .callbacks = {std::make_shared<callbacks::TerminateOnNaN>(
                                  callbacks::TerminateOnNaNOptions{.raise_error = true})},
                              .shuffle = false}),
                   RuntimeError, "NaN or Inf loss encountered at batch 1", "nan");
  // Default: training stops after the bad batch with Keras's message. (A fresh model: the
  // NaN batch above already made the first model's weights NaN.)
  auto fresh = compiled_model();
  ::testing::internal::CaptureStdout();
  History h = fresh.fit(x, y,
                        {.batch_size = 2,
                         .epochs = 3,
                         .verbose = 0,
                         .callbacks = {std::make_shared<callbacks::TerminateOnNaN>()},
                         .shuffle = false});
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("Batch 1: Invalid loss, terminating training"), std::string::npos) << out;
  EXPECT_EQ(h.history["loss"].size(), 1u);
}

KERAS_INSTANTIATE_BACKEND_TEST(FitErrorsTest);

}  // namespace
}  // namespace keras
