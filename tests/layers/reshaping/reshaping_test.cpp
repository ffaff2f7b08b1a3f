#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class ReshapingTest : public BackendTest {};

TEST_P(ReshapingTest, FlattenHarness) {
  run_layer_test({.make = [] { return Layer(layers::Flatten()); },
                  .input_shape = {2, 3, 4, 5},
                  .expected_output_shape = {2, 60}});
  run_layer_test({.make = [] { return Layer(layers::Flatten()); },
                  .input_shape = {3},
                  .expected_output_shape = {3, 1}});
}

TEST_P(ReshapingTest, FlattenOrder) {
  Tensor x = tensor_of({0, 1, 2, 3, 4, 5, 6, 7}, {1, 2, 2, 2});
  EXPECT_EQ(values_of(layers::Flatten()(x)), (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7}));
  // channels_first moves the channel axis last before flattening: (1, C=2, 2, 2) -> HWC order.
  EXPECT_EQ(values_of(layers::Flatten({.data_format = "channels_first"})(x)),
            (std::vector<double>{0, 4, 1, 5, 2, 6, 3, 7}));
  KERAS_EXPECT_THROW_WITH(layers::Flatten({.data_format = "channels_middle"}), ValueError,
                          "data_format");
  EXPECT_EQ(layers::Flatten()(Input({28, 28, 1})).shape(), (Shape{Shape::kNone, 784}));
}

TEST_P(ReshapingTest, ReshapeHarness) {
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Reshape({.target_shape = {4, 3}}));
                      },
                  .input_shape = {2, 12},
                  .expected_output_shape = {2, 4, 3}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Reshape({.target_shape = {-1, 4}}));
                      },
                  .input_shape = {2, 3, 4, 2},
                  .expected_output_shape = {2, 6, 4}});
}

TEST_P(ReshapingTest, ReshapeErrors) {
  KERAS_EXPECT_THROW_WITH(layers::Reshape({.target_shape = {-1, -1}}), ValueError,
                          "one unknown dimension");
  KERAS_EXPECT_THROW_WITH(layers::Reshape({.target_shape = {0, 2}}), ValueError, "target_shape");
  layers::Reshape r({.target_shape = {5, 3}, .name = "r"});
  KERAS_EXPECT_THROW_WITH(r(ops::ones({2, 12})), ValueError,
                          "Reshape 'r': cannot reshape an input of shape (2, 12)");
}

TEST_P(ReshapingTest, PermuteHarness) {
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Permute({.dims = {2, 1}}));
                      },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 4, 3}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Permute({.dims = {3, 1, 2}}));
                      },
                  .input_shape = {2, 3, 4, 5},
                  .expected_output_shape = {2, 5, 3, 4}});
}

TEST_P(ReshapingTest, PermuteValuesAndErrors) {
  Tensor x = tensor_of({0, 1, 2, 3, 4, 5}, {1, 2, 3});
  EXPECT_EQ(values_of(layers::Permute({.dims = {2, 1}})(x)),
            (std::vector<double>{0, 3, 1, 4, 2, 5}));
  KERAS_EXPECT_THROW_WITH(layers::Permute({.dims = {0, 1}}), ValueError,
                          "consecutive and start from 1");
  layers::Permute p({.dims = {2, 1}});
  KERAS_EXPECT_THROW_WITH(p(ops::ones({2, 3, 4, 5})), ValueError,
                          "expected an input with 3 dimensions");
}

TEST_P(ReshapingTest, RepeatVector) {
  run_layer_test({.make = [] { return Layer(layers::RepeatVector({.n = 3})); },
                  .input_shape = {2, 4},
                  .expected_output_shape = {2, 3, 4}});
  Tensor x = tensor_of({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(values_of(layers::RepeatVector({.n = 2})(x)),
            (std::vector<double>{1, 2, 1, 2, 3, 4, 3, 4}));
  KERAS_EXPECT_THROW_WITH(layers::RepeatVector({.n = 0}), ValueError, "`n`");
  KERAS_EXPECT_THROW_WITH(layers::RepeatVector({.n = 2})(ops::ones({2, 3, 4})), ValueError,
                          "expected an input with 2 dimensions");
}

KERAS_INSTANTIATE_BACKEND_TEST(ReshapingTest);

}  // namespace
}  // namespace keras::testing
