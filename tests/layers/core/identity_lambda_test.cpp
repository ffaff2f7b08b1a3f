#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class IdentityTest : public BackendTest {};

TEST_P(IdentityTest, Harness) {
  run_layer_test({.make = [] { return Layer(layers::Identity()); },
                  .input_shape = {2, 5},
                  .expected_output_shape = {2, 5}});
}

TEST_P(IdentityTest, ReturnsInput) {
  Tensor x = tensor_of({1, 2, 3}, {1, 3});
  EXPECT_EQ(values_of(layers::Identity()(x)), (std::vector<double>{1, 2, 3}));
}

KERAS_INSTANTIATE_BACKEND_TEST(IdentityTest);

class LambdaTest : public BackendTest {};

TEST_P(LambdaTest, Harness) {
  layers::register_lambda_function("keras_tests>double",
                                   [](const Tensor& x) { return ops::multiply(x, Tensor(2.0f)); });
  run_layer_test(
      {.make = [] { return Layer(layers::Lambda({.function_name = "keras_tests>double"})); },
       .input_shape = {2, 3},
       .expected_output_shape = {2, 3}});
}

TEST_P(LambdaTest, CallsTheFunction) {
  layers::Lambda sq({.function = [](const Tensor& x) { return ops::square(x); }});
  EXPECT_EQ(values_of(sq(tensor_of({1, -2, 3}, {1, 3}))), (std::vector<double>{1, 4, 9}));
  Tensor s = sq(Input({3}));
  EXPECT_EQ(s.shape(), (Shape{Shape::kNone, 3}));
}

TEST_P(LambdaTest, UnnamedIsNotDeserializable) {
  layers::Lambda l({.function = [](const Tensor& x) { return x; }});
  Config envelope = layers::serialize(*l);
  EXPECT_EQ(envelope["config"]["function"]["class_name"], "function");
  KERAS_EXPECT_THROW_WITH(layers::deserialize(envelope), ValueError, "register_lambda_function");
  KERAS_EXPECT_THROW_WITH(layers::Lambda(layers::LambdaOptions{}), ValueError,
                          "`function` is required");
  KERAS_EXPECT_THROW_WITH(layers::Lambda({.function_name = "nope>nope"}), ValueError,
                          "no function is registered");
}

KERAS_INSTANTIATE_BACKEND_TEST(LambdaTest);

}  // namespace
}  // namespace keras::testing
