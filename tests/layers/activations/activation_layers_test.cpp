// ReLU, LeakyReLU, PReLU, ELU, Softmax.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/layers/layers.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class ActivationLayersTest : public BackendTest {};

const std::vector<double> kX = {-3, -1, 0, 0.25, 1, 2.5, 7};

TEST_P(ActivationLayersTest, ReLU) {
  run_layer_test({.make = [] { return Layer(layers::ReLU({.max_value = 6.0})); },
                  .input_shape = {2, 3},
                  .expected_output_shape = {2, 3}});
  Tensor x = tensor_of(kX, {7});
  EXPECT_EQ(values_of(layers::ReLU()(x)), std::vector<double>({0, 0, 0, 0.25, 1, 2.5, 7}));
  expect_near_all(values_of(layers::ReLU({.max_value = 2.0, .negative_slope = 0.1})(x)),
                  {-0.3, -0.1, 0, 0.25, 1, 2, 2}, 1e-6);
  // threshold 0.5: below it, negative_slope * (x - threshold).
  expect_near_all(
      values_of(layers::ReLU({.max_value = 6.0, .negative_slope = 0.2, .threshold = 0.5})(x)),
      {-0.7, -0.3, -0.1, -0.05, 1, 2.5, 6}, 1e-6);
  layers::ReLU r({.max_value = 2.0, .negative_slope = 0.1});
  Config c = r->get_config();
  EXPECT_EQ(c["max_value"], 2.0);
  EXPECT_EQ(c["negative_slope"], 0.1);
  EXPECT_EQ(c["threshold"], 0.0);
  EXPECT_TRUE(layers::ReLU()->get_config()["max_value"].is_null());
  EXPECT_EQ(layers::deserialize(layers::serialize(*r))->get_config(), c);
  KERAS_EXPECT_THROW_WITH(layers::ReLU({.max_value = -1.0}), ValueError, "max_value");
  KERAS_EXPECT_THROW_WITH(layers::ReLU({.negative_slope = -1.0}), ValueError, "negative_slope");
  KERAS_EXPECT_THROW_WITH(layers::ReLU({.threshold = -1.0}), ValueError, "threshold");
}

TEST_P(ActivationLayersTest, LeakyReLUAndELU) {
  Tensor x = tensor_of(kX, {7});
  expect_near_all(values_of(layers::LeakyReLU()(x)), {-0.9, -0.3, 0, 0.25, 1, 2.5, 7}, 1e-6);
  expect_near_all(values_of(layers::LeakyReLU({.negative_slope = 0.2})(x)),
                  {-0.6, -0.2, 0, 0.25, 1, 2.5, 7}, 1e-6);
  EXPECT_EQ(layers::LeakyReLU()->get_config()["negative_slope"], 0.3);
  KERAS_EXPECT_THROW_WITH(layers::LeakyReLU({.negative_slope = -0.1}), ValueError,
                          "negative_slope");
  expect_near_all(values_of(layers::ELU({.alpha = 0.5})(x)),
                  {0.5 * std::expm1(-3.0), 0.5 * std::expm1(-1.0), 0, 0.25, 1, 2.5, 7}, 1e-6);
  layers::ELU e({.alpha = 0.5});
  Config c = e->get_config();
  std::vector<std::string> keys = config_keys(c);
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "alpha", "trainable", "dtype"}));
  EXPECT_EQ(layers::deserialize(layers::serialize(*e))->get_config(), c);
}

TEST_P(ActivationLayersTest, PReLU) {
  run_layer_test({.make = [] { return Layer(layers::PReLU()); },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 3, 4},
                  .expected_weights = {{"alpha", {3, 4}}}});
  run_layer_test(
      {.make = [] { return Layer(layers::PReLU({.shared_axes = std::vector<int64_t>{1}})); },
       .input_shape = {2, 3, 4},
       .expected_output_shape = {2, 3, 4},
       .expected_weights = {{"alpha", {1, 4}}}});
  layers::PReLU p;
  Tensor x = tensor_of({-2, 1, -4, 3}, {2, 2});
  EXPECT_EQ(values_of(p(x)), std::vector<double>({0, 1, 0, 3}));  // alpha starts at 0
  p->set_weights({tensor_of({0.5, 0.25}, {2})});
  EXPECT_EQ(values_of(p(x)), std::vector<double>({-1, 1, -2, 3}));
  Config c = p->get_config();
  EXPECT_EQ(c["alpha_initializer"]["class_name"], "Zeros");
  EXPECT_TRUE(c["shared_axes"].is_null());
  EXPECT_EQ(layers::deserialize(layers::serialize(*p))->get_config(), c);
  KERAS_EXPECT_THROW_WITH(p(ops::ones({2, 3})), ValueError, "PReLU");
}

TEST_P(ActivationLayersTest, Softmax) {
  Tensor x = tensor_of({1, 2, 3, 1, 1, 1}, {2, 3});
  std::vector<double> y = values_of(layers::Softmax()(x));
  double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  expect_near_all(
      y, {std::exp(1.0) / z, std::exp(2.0) / z, std::exp(3.0) / z, 1.0 / 3, 1.0 / 3, 1.0 / 3},
      1e-6);
  // axis 0 and several axes.
  expect_near_all(values_of(layers::Softmax({.axis = 0})(x)),
                  {0.5, 1 / (1 + std::exp(-1.0)), 1 / (1 + std::exp(-2.0)), 0.5,
                   1 / (1 + std::exp(1.0)), 1 / (1 + std::exp(2.0))},
                  1e-6);
  std::vector<double> all = values_of(layers::Softmax({.axis = {0, 1}})(x));
  double s = 0;
  for (double v : all) s += v;
  EXPECT_NEAR(s, 1.0, 1e-6);
  // Mask: masked positions get 0, the rest renormalize.
  Tensor mask =
      ops::convert_to_tensor(std::vector<bool>{true, true, false, true, false, true}, Shape{2, 3});
  std::vector<double> m = values_of(layers::Softmax()(x, {.mask = mask}));
  expect_near_all(m, {1 / (1 + std::exp(1.0)), 1 / (1 + std::exp(-1.0)), 0, 0.5, 0, 0.5}, 1e-6);
  EXPECT_EQ(layers::Softmax({.axis = 1})->get_config()["axis"], 1);
  KERAS_EXPECT_THROW_WITH(layers::Softmax()(x, {.mask = ops::ones({2, 2})}), ValueError,
                          "broadcastable");
}

KERAS_INSTANTIATE_BACKEND_TEST(ActivationLayersTest);

}  // namespace
}  // namespace keras::testing
