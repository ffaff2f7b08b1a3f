#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class PoolingTest : public BackendTest {};

TEST_P(PoolingTest, Harness) {
  run_layer_test({.make = [] { return Layer(layers::MaxPooling1D()); },
                  .input_shape = {2, 7, 3},
                  .expected_output_shape = {2, 3, 3}});
  run_layer_test(
      {.make =
           [] {
             return Layer(layers::MaxPooling1D({.pool_size = 3, .strides = 2, .padding = "same"}));
           },
       .input_shape = {2, 11, 3},
       .expected_output_shape = {2, 6, 3}});
  run_layer_test({.make = [] { return Layer(layers::MaxPooling2D()); },
                  .input_shape = {2, 9, 9, 2},
                  .expected_output_shape = {2, 4, 4, 2}});
  run_layer_test(
      {.make =
           [] {
             return Layer(layers::MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "same"}));
           },
       .input_shape = {2, 9, 9, 2},
       .expected_output_shape = {2, 5, 5, 2}});
  run_layer_test({.make = [] { return Layer(layers::MaxPooling3D()); },
                  .input_shape = {1, 5, 6, 5, 2},
                  .expected_output_shape = {1, 2, 3, 2, 2}});
  run_layer_test({.make = [] { return Layer(layers::AveragePooling1D({.pool_size = 2})); },
                  .input_shape = {2, 7, 3},
                  .expected_output_shape = {2, 3, 3}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::AveragePooling2D(
                            {.pool_size = 3, .strides = 2, .padding = "same"}));
                      },
                  .input_shape = {2, 9, 9, 2},
                  .expected_output_shape = {2, 5, 5, 2}});
  run_layer_test(
      {.make = [] { return Layer(layers::AveragePooling3D({.pool_size = 2, .padding = "same"})); },
       .input_shape = {1, 5, 6, 5, 2},
       .expected_output_shape = {1, 3, 3, 3, 2}});
  run_layer_test(
      {.make = [] { return Layer(layers::MaxPooling2D({.data_format = "channels_first"})); },
       .input_shape = {2, 3, 6, 4},
       .expected_output_shape = {2, 3, 3, 2}});
}

TEST_P(PoolingTest, GlobalHarness) {
  run_layer_test({.make = [] { return Layer(layers::GlobalAveragePooling1D()); },
                  .input_shape = {2, 7, 3},
                  .expected_output_shape = {2, 3}});
  run_layer_test({.make = [] { return Layer(layers::GlobalMaxPooling1D({.keepdims = true})); },
                  .input_shape = {2, 7, 3},
                  .expected_output_shape = {2, 1, 3}});
  run_layer_test({.make = [] { return Layer(layers::GlobalAveragePooling2D()); },
                  .input_shape = {2, 4, 5, 3},
                  .expected_output_shape = {2, 3}});
  run_layer_test(
      {.make = [] { return Layer(layers::GlobalMaxPooling2D({.data_format = "channels_first"})); },
       .input_shape = {2, 3, 4, 5},
       .expected_output_shape = {2, 3}});
  run_layer_test({.make = [] { return Layer(layers::GlobalAveragePooling3D({.keepdims = true})); },
                  .input_shape = {2, 2, 3, 2, 4},
                  .expected_output_shape = {2, 1, 1, 1, 4}});
  run_layer_test({.make = [] { return Layer(layers::GlobalMaxPooling3D()); },
                  .input_shape = {2, 2, 3, 2, 4},
                  .expected_output_shape = {2, 4}});
}

TEST_P(PoolingTest, MaxPooling2DValues) {
  std::vector<double> v(16);
  for (int i = 0; i < 16; ++i) v[i] = i;
  Tensor x = tensor_of(v, {1, 4, 4, 1});
  EXPECT_EQ(values_of(layers::MaxPooling2D()(x)), (std::vector<double>{5, 7, 13, 15}));
  EXPECT_EQ(values_of(layers::AveragePooling2D({.pool_size = 2})(x)),
            (std::vector<double>{2.5, 4.5, 10.5, 12.5}));
  // 'same' average pooling divides by the number of valid (unpadded) elements.
  Tensor y = layers::AveragePooling2D({.pool_size = 3, .strides = 3, .padding = "same"})(x);
  ASSERT_EQ(y.shape(), (Shape{1, 2, 2, 1}));
  // Padding 1 on each side: the corner windows hold 4 valid values (mean 2.5, not 10/9).
  EXPECT_EQ(values_of(y), (std::vector<double>{2.5, 4.5, 10.5, 12.5}));
}

TEST_P(PoolingTest, MaxPooling1DValues) {
  Tensor x = tensor_of({1, 5, 2, 4, 3, 0, 7}, {1, 7, 1});
  EXPECT_EQ(values_of(layers::MaxPooling1D({.pool_size = 2, .strides = 1})(x)),
            (std::vector<double>{5, 5, 4, 4, 3, 7}));
}

TEST_P(PoolingTest, GlobalValues) {
  Tensor x = tensor_of({1, 2, 3, 4, 5, 6}, {1, 3, 2});
  EXPECT_EQ(values_of(layers::GlobalAveragePooling1D()(x)), (std::vector<double>{3, 4}));
  EXPECT_EQ(values_of(layers::GlobalMaxPooling1D()(x)), (std::vector<double>{5, 6}));
  EXPECT_EQ(values_of(layers::GlobalAveragePooling1D({.data_format = "channels_first"})(x)),
            (std::vector<double>{1.5, 3.5, 5.5}));
  Tensor mask = ops::cast(tensor_of({1, 1, 0}, {1, 3}), DType::Bool);
  EXPECT_EQ(values_of(layers::GlobalAveragePooling1D()(x, {.mask = mask})),
            (std::vector<double>{2, 3}));
}

TEST_P(PoolingTest, ConfigMatchesKeras) {
  Config c = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "same"})->get_config();
  std::vector<std::string> keys = config_keys(c);
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "trainable", "dtype", "pool_size", "padding",
                                            "strides", "data_format"}));
  EXPECT_EQ(c["pool_size"], Config::parse("[3, 3]"));
  EXPECT_EQ(c["strides"], Config::parse("[2, 2]"));
  Config d = layers::MaxPooling1D()->get_config();
  EXPECT_EQ(d["strides"], Config::parse("[2]"));
  Config g = layers::GlobalAveragePooling2D()->get_config();
  EXPECT_EQ(g["keepdims"], false);
  EXPECT_EQ(g["data_format"], "channels_last");
}

TEST_P(PoolingTest, Errors) {
  KERAS_EXPECT_THROW_WITH(layers::AveragePooling2D(), ValueError, "`pool_size` is required");
  KERAS_EXPECT_THROW_WITH(layers::MaxPooling2D({.pool_size = {2, 2, 2}}), ValueError, "pool_size");
  KERAS_EXPECT_THROW_WITH(layers::MaxPooling2D({.padding = "full"}), ValueError, "padding");
  KERAS_EXPECT_THROW_WITH(layers::MaxPooling2D({.pool_size = 0}), ValueError, "pool_size");
  layers::MaxPooling2D p({.name = "pool"});
  KERAS_EXPECT_THROW_WITH(p(ops::ones({2, 4, 4})), ValueError,
                          "MaxPooling2D 'pool': expected an input with 4 dimensions");
  KERAS_EXPECT_THROW_WITH(layers::MaxPooling2D({.pool_size = 3})(ops::ones({1, 2, 2, 1})),
                          ValueError, "smaller than the pool");
  KERAS_EXPECT_THROW_WITH(layers::GlobalAveragePooling2D()(ops::ones({2, 4, 4})), ValueError,
                          "expected an input with 4 dimensions");
}

KERAS_INSTANTIATE_BACKEND_TEST(PoolingTest);

}  // namespace
}  // namespace keras::testing
