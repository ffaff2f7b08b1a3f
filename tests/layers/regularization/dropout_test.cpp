#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class DropoutTest : public BackendTest {};

TEST_P(DropoutTest, Harness) {
  run_layer_test({.make = [] { return Layer(layers::Dropout({.rate = 0.5, .seed = 1})); },
                  .input_shape = {4, 6},
                  .expected_output_shape = {4, 6}});
  run_layer_test({.make = [] { return Layer(layers::Dropout({.rate = 0.5, .seed = 1})); },
                  .input_shape = {4, 6},
                  .expected_output_shape = {4, 6},
                  .call_args = {.training = true},
                  .deterministic = false});
}

TEST_P(DropoutTest, IdentityAtInferenceAndDropsInTraining) {
  layers::Dropout d({.rate = 0.5, .seed = 42});
  Tensor x = ops::ones({100, 10});
  EXPECT_EQ(values_of(d(x)), values_of(x));
  std::vector<double> y = values_of(d(x, {.training = true}));
  int zeros = 0;
  for (double v : y) {
    EXPECT_TRUE(v == 0.0 || std::abs(v - 2.0) < 1e-6) << v;
    zeros += v == 0.0;
  }
  EXPECT_GT(zeros, 350);
  EXPECT_LT(zeros, 650);
  // The generator advances: two training calls differ.
  EXPECT_NE(values_of(d(x, {.training = true})), y);
}

TEST_P(DropoutTest, NoiseShape) {
  layers::Dropout d({.rate = 0.5, .noise_shape = Shape{Shape::kNone, 1}, .seed = 3});
  std::vector<double> y = values_of(d(ops::ones({50, 4}), {.training = true}));
  for (int r = 0; r < 50; ++r)
    for (int c = 1; c < 4; ++c) EXPECT_EQ(y[r * 4 + c], y[r * 4]);
}

TEST_P(DropoutTest, ConfigAndErrors) {
  layers::Dropout d({.rate = 0.25, .noise_shape = Shape{Shape::kNone, 1}, .seed = 7});
  Config c = d->get_config();
  EXPECT_EQ(c["rate"], 0.25);
  EXPECT_EQ(c["seed"], 7);
  EXPECT_TRUE(c["noise_shape"][0].is_null());
  KERAS_EXPECT_THROW_WITH(layers::Dropout({.rate = 1.5}), ValueError, "between 0 and 1");
  KERAS_EXPECT_THROW_WITH(layers::Dropout({.rate = 0.5, .noise_shape = Shape{0}}), ValueError,
                          "noise_shape");
}

KERAS_INSTANTIATE_BACKEND_TEST(DropoutTest);

}  // namespace
}  // namespace keras::testing
