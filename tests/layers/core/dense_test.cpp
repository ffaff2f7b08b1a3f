#include "keras/layers/core/dense.hpp"

#include <gtest/gtest.h>

#include "keras/layers/core/input_layer.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class DenseTest : public BackendTest {};

TEST_P(DenseTest, Harness) {
  run_layer_test({.make = [] { return Layer(layers::Dense({.units = 3, .activation = "relu"})); },
                  .input_shape = {4, 5},
                  .expected_output_shape = {4, 3},
                  .expected_weights = {{"kernel", {5, 3}}, {"bias", {3}}},
                  .expected_trainable_weights = 2,
                  .expected_non_trainable_weights = 0});
}

TEST_P(DenseTest, HarnessRank3NoBias) {
  run_layer_test({.make = [] { return Layer(layers::Dense({.units = 2, .use_bias = false})); },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 3, 2},
                  .expected_weights = {{"kernel", {4, 2}}}});
}

TEST_P(DenseTest, MatchesHandMatmul) {
  layers::Dense d({.units = 2, .activation = "linear"});
  Tensor x = tensor_of({1, 2, 3, -1, 0, 4}, {2, 3});
  d->maybe_build({x.shape()});
  d->set_weights({tensor_of({1, 0, 0, 1, 2, -1}, {3, 2}), tensor_of({0.5, -0.5}, {2})});
  std::vector<double> y = values_of(d(x));
  // row0: [1*1+2*0+3*2, 1*0+2*1+3*-1] = [7, -1] + bias ; row1: [-1+0+8, 0+0-4] = [7, -4]
  std::vector<double> expected = {7.5, -1.5, 7.5, -4.5};
  ASSERT_EQ(y.size(), expected.size());
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], expected[i], 1e-6);
}

TEST_P(DenseTest, Activation) {
  layers::Dense d({.units = 1, .activation = "relu", .kernel_initializer = "ones"});
  std::vector<double> y = values_of(d(tensor_of({-1, -2, 1, 2}, {2, 2})));
  EXPECT_DOUBLE_EQ(y[0], 0.0);
  EXPECT_DOUBLE_EQ(y[1], 3.0);
}

TEST_P(DenseTest, ConfigMatchesKeras) {
  layers::Dense d({.units = 16, .activation = "relu", .name = "dense"});
  Config c = d->get_config();
  EXPECT_EQ(config_keys(c), joined({kBaseLayerKeys,
                                    {"units", "activation", "use_bias"},
                                    kernel_bias_keys(/*with_activity_regularizer=*/false),
                                    {"quantization_config"}}));
  EXPECT_EQ(c["activation"], "relu");
  EXPECT_EQ(c["kernel_initializer"]["class_name"], "GlorotUniform");
  EXPECT_EQ(c["bias_initializer"]["class_name"], "Zeros");
}

TEST_P(DenseTest, Errors) {
  KERAS_EXPECT_THROW_WITH(layers::Dense({.units = 0}), ValueError,
                          "`units` must be a positive integer, got 0");
  layers::Dense d({.units = 2, .name = "d_err"});
  KERAS_EXPECT_THROW_WITH(d(ops::ones({3})), ValueError, "at least 2 dimensions");
  d(ops::ones({2, 4}));
  KERAS_EXPECT_THROW_WITH(
      d(ops::ones({2, 5})), ValueError,
      "Dense 'd_err': input has 2 dimensions (2, 5), expected the last dimension to be 4");
}

TEST_P(DenseTest, Symbolic) {
  Tensor x = Input({7});
  layers::Dense d({.units = 3});
  Tensor y = d(x);
  EXPECT_EQ(y.shape(), (Shape{Shape::kNone, 3}));
}

KERAS_INSTANTIATE_BACKEND_TEST(DenseTest);

}  // namespace
}  // namespace keras::testing
