// Harness cases for the layers whose own test files check values but did not run the generic
// harness: the merging layers (multi-input harness), LeakyReLU, ELU, Softmax; and InputLayer,
// which cannot be called and gets the harness's checks one by one.
#include <gtest/gtest.h>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras {
namespace {

using testing::run_layer_test;

class HarnessCoverageTest : public testing::BackendTest {};

TEST_P(HarnessCoverageTest, ElementwiseMergeLayers) {
  run_layer_test({.make = [] { return Layer(layers::Add()); },
                  .expected_output_shape = {2, 3, 4},
                  .input_shapes = {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}}});
  run_layer_test({.make = [] { return Layer(layers::Subtract()); },
                  .expected_output_shape = {2, 5},
                  .input_shapes = {{2, 5}, {2, 5}}});
  run_layer_test({.make = [] { return Layer(layers::Multiply()); },
                  .expected_output_shape = {3, 4},
                  .input_shapes = {{3, 4}, {3, 4}}});
  run_layer_test({.make = [] { return Layer(layers::Average()); },
                  .expected_output_shape = {2, 4},
                  .input_shapes = {{2, 4}, {2, 4}, {2, 4}}});
  run_layer_test({.make = [] { return Layer(layers::Maximum()); },
                  .expected_output_shape = {2, 3, 2},
                  .input_shapes = {{2, 3, 2}, {2, 3, 2}}});
  run_layer_test({.make = [] { return Layer(layers::Minimum()); },
                  .expected_output_shape = {2, 3},
                  .input_shapes = {{2, 3}, {2, 3}}});
  // Broadcasting over a size-1 axis.
  run_layer_test({.make = [] { return Layer(layers::Add()); },
                  .expected_output_shape = {2, 3},
                  .input_shapes = {{2, 3}, {2, 1}}});
}

TEST_P(HarnessCoverageTest, ConcatenateAndDot) {
  run_layer_test({.make = [] { return Layer(layers::Concatenate()); },
                  .expected_output_shape = {2, 3, 7},
                  .input_shapes = {{2, 3, 4}, {2, 3, 3}}});
  run_layer_test({.make = [] { return Layer(layers::Concatenate({.axis = 1})); },
                  .expected_output_shape = {2, 5, 4},
                  .input_shapes = {{2, 3, 4}, {2, 2, 4}}});
  run_layer_test({.make = [] { return Layer(layers::Dot({.axes = 1})); },
                  .expected_output_shape = {2, 1},
                  .input_shapes = {{2, 3}, {2, 3}}});
  run_layer_test({.make = [] { return Layer(layers::Dot({.axes = 2, .normalize = true})); },
                  .expected_output_shape = {2, 3, 5},
                  .input_shapes = {{2, 3, 4}, {2, 5, 4}}});
}

TEST_P(HarnessCoverageTest, ActivationLayers) {
  run_layer_test({.make = [] { return Layer(layers::LeakyReLU({.negative_slope = 0.2})); },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 3, 4}});
  run_layer_test({.make = [] { return Layer(layers::ELU({.alpha = 0.5})); },
                  .input_shape = {2, 5},
                  .expected_output_shape = {2, 5}});
  run_layer_test({.make = [] { return Layer(layers::Softmax()); },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 3, 4}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Softmax({.axis = {1, 2}}));
                      },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 3, 4}});
}

TEST_P(HarnessCoverageTest, InputLayer) {
  // InputLayer is not callable; its checks are the harness's that apply: the output's shape and
  // dtype, no weights, the config round trip (Keras's keys), and a model on it per backend.
  layers::InputLayer layer({.shape = {3, 4}, .batch_size = 5, .dtype = DType::Int32});
  EXPECT_EQ(layer->batch_shape(), (Shape{5, 3, 4}));
  Tensor out = layer->output();
  EXPECT_TRUE(out.is_symbolic());
  EXPECT_EQ(out.shape(), (Shape{5, 3, 4}));
  EXPECT_EQ(out.dtype(), DType::Int32);
  EXPECT_TRUE(layer->weights().empty());
  Config c = layer->get_config();
  for (const char* key : {"batch_shape", "dtype", "sparse", "ragged", "name"})
    EXPECT_TRUE(c.contains(key)) << "InputLayer config lacks '" << key << "': " << c.dump();
  EXPECT_EQ(c["batch_shape"], Config::array({5, 3, 4}));
  EXPECT_EQ(c["dtype"], "int32");
  auto restored = layers::deserialize(layers::serialize(*layer));
  EXPECT_EQ(restored->class_name(), "InputLayer");
  EXPECT_EQ(layers::serialize(*restored).dump(), layers::serialize(*layer).dump());

  Tensor x = Input({4});
  EXPECT_EQ(x.shape(), (Shape{Shape::kNone, 4}));
  EXPECT_EQ(x.dtype(), DType::Float32);
  auto model = Model(x, layers::Dense({.units = 2})(x));
  ASSERT_EQ(model.layers().size(), 2u);
  EXPECT_EQ(model.layers()[0]->class_name(), "InputLayer");
  Tensor y = model(ops::ones({3, 4}));
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_EQ(y.backend_name(), backend_name());

  KERAS_EXPECT_THROW_WITH(layers::InputLayer({.shape = {-5}}), ValueError, "InputLayer");
  KERAS_EXPECT_THROW_WITH(layers::InputLayer({.shape = {3}, .batch_size = 0}), ValueError,
                          "batch_size");
}

KERAS_INSTANTIATE_BACKEND_TEST(HarnessCoverageTest);

}  // namespace
}  // namespace keras
