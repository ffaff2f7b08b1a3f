#include <gtest/gtest.h>

#include <cmath>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/layers/layers.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class BatchNormalizationTest : public BackendTest {};

TEST_P(BatchNormalizationTest, Harness) {
  run_layer_test({.make = [] { return Layer(layers::BatchNormalization()); },
                  .input_shape = {4, 3},
                  .expected_output_shape = {4, 3},
                  .expected_weights = {{"gamma", {3}},
                                       {"beta", {3}},
                                       {"moving_mean", {3}},
                                       {"moving_variance", {3}}},
                  .expected_trainable_weights = 2,
                  .expected_non_trainable_weights = 2});
  run_layer_test(
      {.make = [] { return Layer(layers::BatchNormalization({.axis = 1, .center = false})); },
       .input_shape = {2, 3, 4, 2},
       .expected_output_shape = {2, 3, 4, 2},
       .expected_weights = {{"gamma", {3}}, {"moving_mean", {3}}, {"moving_variance", {3}}}});
  run_layer_test(
      {.make = [] { return Layer(layers::BatchNormalization({.center = false, .scale = false})); },
       .input_shape = {3, 5},
       .expected_output_shape = {3, 5},
       .expected_weights = {{"moving_mean", {5}}, {"moving_variance", {5}}}});
}

// x (4, 2): batch mean (4, 5.25), population variance (5, 6.6875).
const std::vector<double> kX = {1, 2, 3, 4, 5, 6, 7, 9};

TEST_P(BatchNormalizationTest, TrainingUsesBatchMomentsAndUpdatesMovingAverages) {
  layers::BatchNormalization bn;
  Tensor x = tensor_of(kX, {4, 2});
  std::vector<double> y = values_of(bn(x, {.training = true}));
  const double mean[2] = {4, 5.25}, var[2] = {5, 6.6875};
  std::vector<double> want;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 2; ++j)
      want.push_back((kX[i * 2 + j] - mean[j]) / std::sqrt(var[j] + 1e-3));
  expect_near_all(y, want, 1e-5);
  expect_near_all(values_of(bn->moving_mean()), {0.04, 0.0525}, 1e-6);
  expect_near_all(values_of(bn->moving_variance()), {0.99 + 0.05, 0.99 + 0.066875}, 1e-6);
  // A second step compounds: moving = moving * 0.99 + batch * 0.01.
  bn(x, {.training = true});
  expect_near_all(values_of(bn->moving_mean()), {0.04 * 0.99 + 0.04, 0.0525 * 0.99 + 0.0525}, 1e-6);
}

TEST_P(BatchNormalizationTest, InferenceUsesMovingStatistics) {
  layers::BatchNormalization bn({.momentum = 0.5, .epsilon = 0.01});
  Tensor x = tensor_of(kX, {4, 2});
  std::vector<double> y = values_of(bn(x));  // fresh: mean 0, variance 1
  std::vector<double> want;
  for (double v : kX) want.push_back(v / std::sqrt(1.01));
  expect_near_all(y, want, 1e-5);
  EXPECT_EQ(values_of(bn->moving_mean()), std::vector<double>({0, 0}));  // no update
  bn(x, {.training = true});
  expect_near_all(values_of(bn->moving_mean()), {2, 2.625}, 1e-6);
  expect_near_all(values_of(bn->moving_variance()), {3, 3.84375}, 1e-6);
  bn->set_weights({tensor_of({2, 3}, {2}), tensor_of({1, -1}, {2}), tensor_of({1, 2}, {2}),
                   tensor_of({4, 9}, {2})});
  y = values_of(bn(x));
  want.clear();
  const double g[2] = {2, 3}, b[2] = {1, -1}, m[2] = {1, 2}, v[2] = {4, 9};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 2; ++j)
      want.push_back((kX[i * 2 + j] - m[j]) / std::sqrt(v[j] + 0.01) * g[j] + b[j]);
  expect_near_all(y, want, 1e-5);
}

TEST_P(BatchNormalizationTest, FrozenLayerUsesMovingStatisticsInTraining) {
  layers::BatchNormalization bn({.trainable = false});
  Tensor x = tensor_of(kX, {4, 2});
  std::vector<double> y = values_of(bn(x, {.training = true}));
  for (size_t i = 0; i < kX.size(); ++i) EXPECT_NEAR(y[i], kX[i] / std::sqrt(1.001), 1e-5);
  EXPECT_EQ(values_of(bn->moving_mean()), std::vector<double>({0, 0}));
}

TEST_P(BatchNormalizationTest, GradientsUnderTapeIgnoreMovingUpdates) {
  layers::BatchNormalization bn;
  Tensor x = tensor_of(kX, {4, 2});
  bn(x);  // build
  GradientTape tape;
  Tensor loss = ops::sum(bn(x, {.training = true}));
  std::vector<Tensor> grads = tape.gradient(loss, bn->trainable_weights());
  ASSERT_EQ(grads.size(), 2u);
  // d sum(y) / d beta = batch size; d / d gamma = sum of the normalized values = 0.
  expect_near_all(values_of(grads[1]), {4, 4}, 1e-5);
  expect_near_all(values_of(grads[0]), {0, 0}, 1e-4);
  expect_near_all(values_of(bn->moving_mean()), {0.04, 0.0525}, 1e-6);
  EXPECT_EQ(bn->trainable_weights().size(), 2u);
  EXPECT_EQ(bn->non_trainable_weights().size(), 2u);
}

TEST_P(BatchNormalizationTest, SymbolicCallDoesNotUpdate) {
  layers::BatchNormalization bn;
  Tensor in = Input({5});
  Tensor out = bn(in, {.training = true});
  EXPECT_EQ(out.shape(), Shape({Shape::kNone, 5}));
  EXPECT_EQ(values_of(bn->moving_mean()), std::vector<double>(5, 0.0));
}

TEST_P(BatchNormalizationTest, MaskedMoments) {
  layers::BatchNormalization bn({.momentum = 0.0});
  // (1, 3, 1): the masked-out last step does not count.
  Tensor x = tensor_of({1, 3, 100}, {1, 3, 1});
  Tensor mask = ops::convert_to_tensor(std::vector<bool>{true, true, false}, Shape{1, 3});
  bn(x, {.training = true, .mask = mask});
  expect_near_all(values_of(bn->moving_mean()), {2}, 1e-4);
  expect_near_all(values_of(bn->moving_variance()), {1}, 1e-4);
}

TEST_P(BatchNormalizationTest, Renorm) {
  layers::BatchNormalization bn({.renorm = true, .renorm_clipping = {{{"rmax", 3.0}}}});
  Tensor x = tensor_of(kX, {4, 2});
  bn(x, {.training = true});
  ASSERT_EQ(bn->weights().size(), 7u);
  EXPECT_EQ(bn->weights()[4].name(), "moving_stddev");
  EXPECT_EQ(bn->weights()[5].name(), "renorm_mean");
  EXPECT_EQ(bn->weights()[6].name(), "renorm_stddev");
  expect_near_all(values_of(bn->moving_mean()), {0.04, 0.0525}, 1e-6);
  Config c = bn->get_config();
  EXPECT_EQ(c["renorm"], true);
  EXPECT_EQ(c["renorm_clipping"]["rmax"], 3.0);
}

TEST_P(BatchNormalizationTest, ConfigMatchesKeras) {
  layers::BatchNormalization bn({.epsilon = 0.01, .center = false, .name = "bn"});
  Config c = bn->get_config();
  std::vector<std::string> keys = config_keys(c);
  EXPECT_EQ(keys, (std::vector<std::string>{"name",
                                            "trainable",
                                            "dtype",
                                            "axis",
                                            "momentum",
                                            "epsilon",
                                            "center",
                                            "scale",
                                            "beta_initializer",
                                            "gamma_initializer",
                                            "moving_mean_initializer",
                                            "moving_variance_initializer",
                                            "beta_regularizer",
                                            "gamma_regularizer",
                                            "beta_constraint",
                                            "gamma_constraint",
                                            "synchronized",
                                            "renorm",
                                            "renorm_clipping",
                                            "renorm_momentum"}));
  EXPECT_EQ(c["epsilon"], 0.01);
  EXPECT_EQ(c["center"], false);
  EXPECT_EQ(c["gamma_initializer"]["class_name"], "Ones");
  EXPECT_EQ(c["moving_mean_initializer"]["class_name"], "Zeros");
  EXPECT_TRUE(c["beta_regularizer"].is_null());
  auto copy = layers::deserialize(layers::serialize(*bn));
  EXPECT_EQ(copy->get_config(), c);
}

TEST_P(BatchNormalizationTest, Errors) {
  layers::BatchNormalization bn({.axis = 3});
  KERAS_EXPECT_THROW_WITH(bn(ops::ones({2, 3})), ValueError, "axis 3 is out of bounds");
  layers::BatchNormalization bn2;
  bn2(ops::ones({2, 3}));
  KERAS_EXPECT_THROW_WITH(bn2(ops::ones({2, 4})), ValueError, "expected 3");
  KERAS_EXPECT_THROW_WITH(bn2(ops::ones({2, 2, 3})), ValueError, "input has 3 dimensions");
  KERAS_EXPECT_THROW_WITH(layers::BatchNormalization({.synchronized = true}), ValueError,
                          "synchronized");
  KERAS_EXPECT_THROW_WITH(
      layers::BatchNormalization({.renorm = true, .renorm_clipping = {{{"rmaxx", 1.0}}}}),
      ValueError, "rmaxx");
}

KERAS_INSTANTIATE_BACKEND_TEST(BatchNormalizationTest);

}  // namespace
}  // namespace keras::testing
