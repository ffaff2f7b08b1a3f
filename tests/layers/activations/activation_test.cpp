#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class ActivationLayerTest : public BackendTest {};

TEST_P(ActivationLayerTest, Harness) {
  run_layer_test({.make = [] { return Layer(layers::Activation({.activation = "tanh"})); },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 3, 4}});
}

TEST_P(ActivationLayerTest, Values) {
  layers::Activation relu({.activation = "relu"});
  EXPECT_EQ(values_of(relu(tensor_of({-1, 2, -3, 4}, {2, 2}))), (std::vector<double>{0, 2, 0, 4}));
  EXPECT_EQ(relu->get_config()["activation"], "relu");
}

TEST_P(ActivationLayerTest, UnknownName) {
  EXPECT_THROW(layers::Activation({.activation = "not_an_activation"}), ValueError);
}

KERAS_INSTANTIATE_BACKEND_TEST(ActivationLayerTest);

}  // namespace
}  // namespace keras::testing
