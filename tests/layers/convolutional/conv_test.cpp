#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class ConvTest : public BackendTest {};

TEST_P(ConvTest, Conv1DHarness) {
  run_layer_test({.make =
                      [] {
                        return Layer(
                            layers::Conv1D({.filters = 4, .kernel_size = 3, .activation = "relu"}));
                      },
                  .input_shape = {2, 8, 3},
                  .expected_output_shape = {2, 6, 4},
                  .expected_weights = {{"kernel", {3, 3, 4}}, {"bias", {4}}}});
  run_layer_test(
      {.make =
           [] {
             return Layer(layers::Conv1D(
                 {.filters = 2, .kernel_size = 3, .padding = "causal", .dilation_rate = 2}));
           },
       .input_shape = {2, 7, 3},
       .expected_output_shape = {2, 7, 2},
       .expected_weights = {{"kernel", {3, 3, 2}}, {"bias", {2}}}});
}

TEST_P(ConvTest, Conv2DHarness) {
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Conv2D(
                            {.filters = 4, .kernel_size = 3, .strides = 2, .padding = "same"}));
                      },
                  .input_shape = {2, 5, 5, 2},
                  .expected_output_shape = {2, 3, 3, 4},
                  .expected_weights = {{"kernel", {3, 3, 2, 4}}, {"bias", {4}}}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Conv2D(
                            {.filters = 6, .kernel_size = {3, 2}, .groups = 2, .use_bias = false}));
                      },
                  .input_shape = {2, 6, 5, 4},
                  .expected_output_shape = {2, 4, 4, 6},
                  .expected_weights = {{"kernel", {3, 2, 2, 6}}}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Conv2D(
                            {.filters = 3, .kernel_size = 2, .data_format = "channels_first"}));
                      },
                  .input_shape = {2, 2, 5, 4},
                  .expected_output_shape = {2, 3, 4, 3},
                  .expected_weights = {{"kernel", {2, 2, 2, 3}}, {"bias", {3}}}});
}

TEST_P(ConvTest, Conv3DHarness) {
  run_layer_test({.make =
                      [] {
                        return Layer(
                            layers::Conv3D({.filters = 2, .kernel_size = 2, .padding = "same"}));
                      },
                  .input_shape = {1, 4, 3, 4, 2},
                  .expected_output_shape = {1, 4, 3, 4, 2},
                  .expected_weights = {{"kernel", {2, 2, 2, 2, 2}}, {"bias", {2}}}});
}

TEST_P(ConvTest, TransposeHarness) {
  run_layer_test(
      {.make =
           [] {
             return Layer(layers::Conv1DTranspose({.filters = 2, .kernel_size = 3, .strides = 2}));
           },
       .input_shape = {2, 4, 3},
       .expected_output_shape = {2, 9, 2},
       .expected_weights = {{"kernel", {3, 2, 3}}, {"bias", {2}}}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Conv2DTranspose(
                            {.filters = 3, .kernel_size = 3, .strides = 2, .padding = "same"}));
                      },
                  .input_shape = {2, 4, 4, 2},
                  .expected_output_shape = {2, 8, 8, 3},
                  .expected_weights = {{"kernel", {3, 3, 3, 2}}, {"bias", {3}}}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Conv2DTranspose(
                            {.filters = 1, .kernel_size = 3, .strides = 2, .output_padding = 1}));
                      },
                  .input_shape = {1, 3, 3, 2},
                  .expected_output_shape = {1, 8, 8, 1},
                  .expected_weights = {{"kernel", {3, 3, 1, 2}}, {"bias", {1}}}});
  run_layer_test(
      {.make =
           [] {
             return Layer(layers::Conv3DTranspose({.filters = 2, .kernel_size = 2, .strides = 2}));
           },
       .input_shape = {1, 2, 3, 2, 2},
       .expected_output_shape = {1, 4, 6, 4, 2},
       .expected_weights = {{"kernel", {2, 2, 2, 2, 2}}, {"bias", {2}}}});
}

TEST_P(ConvTest, DepthwiseAndSeparableHarness) {
  run_layer_test({.make =
                      [] {
                        return Layer(layers::DepthwiseConv2D(
                            {.kernel_size = 3, .padding = "same", .depth_multiplier = 2}));
                      },
                  .input_shape = {2, 5, 5, 3},
                  .expected_output_shape = {2, 5, 5, 6},
                  .expected_weights = {{"kernel", {3, 3, 3, 2}}, {"bias", {6}}}});
  run_layer_test({.make = [] { return Layer(layers::DepthwiseConv1D({.kernel_size = 2})); },
                  .input_shape = {2, 6, 3},
                  .expected_output_shape = {2, 5, 3},
                  .expected_weights = {{"kernel", {2, 3, 1}}, {"bias", {3}}}});
  run_layer_test(
      {.make =
           [] {
             return Layer(
                 layers::SeparableConv2D({.filters = 4, .kernel_size = 3, .depth_multiplier = 2}));
           },
       .input_shape = {2, 6, 6, 3},
       .expected_output_shape = {2, 4, 4, 4},
       .expected_weights = {
           {"depthwise_kernel", {3, 3, 3, 2}}, {"pointwise_kernel", {1, 1, 6, 4}}, {"bias", {4}}}});
  run_layer_test(
      {.make =
           [] {
             return Layer(
                 layers::SeparableConv1D({.filters = 2, .kernel_size = 3, .padding = "same"}));
           },
       .input_shape = {2, 6, 3},
       .expected_output_shape = {2, 6, 2},
       .expected_weights = {
           {"depthwise_kernel", {3, 3, 1}}, {"pointwise_kernel", {1, 3, 2}}, {"bias", {2}}}});
}

// Conv2D 'valid' against a plain loop.
TEST_P(ConvTest, Conv2DMatchesLoops) {
  const int64_t H = 5, W = 4, C = 2, F = 3, K = 2;
  layers::Conv2D conv({.filters = F, .kernel_size = K, .strides = {2, 1}});
  Tensor x = layer_test_input({1, H, W, C}, DType::Float32);
  Tensor y = conv(x);
  ASSERT_EQ(y.shape(), (Shape{1, 2, 3, F}));
  std::vector<double> xv = values_of(x), kv = values_of(conv->kernel().value()),
                      bv = values_of(conv->bias().value());
  std::vector<double> yv = values_of(y);
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 3; ++j)
      for (int64_t f = 0; f < F; ++f) {
        double s = bv[f];
        for (int64_t a = 0; a < K; ++a)
          for (int64_t b = 0; b < K; ++b)
            for (int64_t c = 0; c < C; ++c)
              s += xv[((i * 2 + a) * W + (j + b)) * C + c] * kv[((a * K + b) * C + c) * F + f];
        EXPECT_NEAR(yv[(i * 3 + j) * F + f], s, 1e-5);
      }
}

TEST_P(ConvTest, CausalConv1DSeesOnlyThePast) {
  layers::Conv1D conv({.filters = 1,
                       .kernel_size = 3,
                       .padding = "causal",
                       .use_bias = false,
                       .kernel_initializer = "ones"});
  std::vector<double> y = values_of(conv(tensor_of({1, 2, 3, 4, 5}, {1, 5, 1})));
  EXPECT_EQ(y, (std::vector<double>{1, 3, 6, 9, 12}));
}

TEST_P(ConvTest, SymbolicShapes) {
  Tensor x = Input({28, 28, 1});
  Tensor y = layers::Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"})(x);
  EXPECT_EQ(y.shape(), (Shape{Shape::kNone, 26, 26, 32}));
  y = layers::Conv2D({.filters = 8, .kernel_size = 3, .strides = 2, .padding = "same"})(y);
  EXPECT_EQ(y.shape(), (Shape{Shape::kNone, 13, 13, 8}));
}

TEST_P(ConvTest, ConfigMatchesKeras) {
  layers::Conv2D conv({.filters = 8, .kernel_size = 3, .padding = "same", .activation = "relu"});
  Config c = conv->get_config();
  EXPECT_EQ(config_keys(c), joined({kBaseLayerKeys,
                                    {"filters", "kernel_size", "strides", "padding", "data_format",
                                     "dilation_rate", "groups", "activation", "use_bias"},
                                    kernel_bias_keys(/*with_activity_regularizer=*/true)}));
  EXPECT_EQ(c["kernel_size"], Config::parse("[3, 3]"));
  EXPECT_EQ(c["strides"], Config::parse("[1, 1]"));
  EXPECT_EQ(c["data_format"], "channels_last");
  Config t = layers::Conv2DTranspose({.filters = 4, .kernel_size = 3, .strides = 2})->get_config();
  EXPECT_TRUE(t["output_padding"].is_null());
}

TEST_P(ConvTest, Errors) {
  KERAS_EXPECT_THROW_WITH(layers::Conv2D({.filters = 0, .kernel_size = 3}), ValueError,
                          "`filters`");
  KERAS_EXPECT_THROW_WITH(layers::Conv2D({.filters = 2}), ValueError, "`kernel_size` is required");
  KERAS_EXPECT_THROW_WITH(layers::Conv2D({.filters = 2, .kernel_size = {1, 2, 3}}), ValueError,
                          "kernel_size");
  KERAS_EXPECT_THROW_WITH(layers::Conv2D({.filters = 2, .kernel_size = 3, .padding = "causal"}),
                          ValueError, "padding");
  KERAS_EXPECT_THROW_WITH(layers::Conv2D({.filters = 3, .kernel_size = 3, .groups = 2}), ValueError,
                          "divisible");
  KERAS_EXPECT_THROW_WITH(
      layers::Conv2D({.filters = 2, .kernel_size = 3, .strides = 2, .dilation_rate = 2}),
      ValueError, "dilation_rate > 1");
  KERAS_EXPECT_THROW_WITH(
      layers::Conv2DTranspose({.filters = 2, .kernel_size = 3, .strides = 2, .output_padding = 2}),
      ValueError, "output_padding");
  layers::Conv2D conv({.filters = 2, .kernel_size = 3, .name = "c"});
  KERAS_EXPECT_THROW_WITH(conv(ops::ones({2, 5, 5})), ValueError,
                          "Conv2D 'c': expected an input with 4 dimensions");
  layers::Conv2D small({.filters = 2, .kernel_size = 3});
  KERAS_EXPECT_THROW_WITH(small(ops::ones({1, 2, 2, 1})), ValueError, "negative or zero");
  layers::Conv2D grouped({.filters = 4, .kernel_size = 1, .groups = 2});
  KERAS_EXPECT_THROW_WITH(grouped(ops::ones({1, 2, 2, 3})), ValueError, "evenly divisible");
  conv(ops::ones({1, 5, 5, 2}));
  KERAS_EXPECT_THROW_WITH(conv(ops::ones({1, 5, 5, 3})), ValueError, "channel dimension to be 2");
}

KERAS_INSTANTIATE_BACKEND_TEST(ConvTest);

}  // namespace
}  // namespace keras::testing
