// Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/layers/layers.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class MergingTest : public BackendTest {};

TEST_P(MergingTest, ElementwiseValues) {
  Tensor a = tensor_of({1, 5, -2, 4}, {2, 2});
  Tensor b = tensor_of({3, 1, 0, 8}, {2, 2});
  Tensor c = tensor_of({2, 2, 2, 2}, {2, 2});
  EXPECT_EQ(values_of(layers::Add()({a, b, c})), std::vector<double>({6, 8, 0, 14}));
  EXPECT_EQ(values_of(layers::Subtract()({a, b})), std::vector<double>({-2, 4, -2, -4}));
  EXPECT_EQ(values_of(layers::Multiply()({a, b, c})), std::vector<double>({6, 10, 0, 64}));
  expect_near_all(values_of(layers::Average()({a, b, c})), {2, 8.0 / 3, 0, 14.0 / 3}, 1e-6);
  EXPECT_EQ(values_of(layers::Maximum()({a, b, c})), std::vector<double>({3, 5, 2, 8}));
  EXPECT_EQ(values_of(layers::Minimum()({a, b, c})), std::vector<double>({1, 1, -2, 2}));
  // Functional forms.
  EXPECT_EQ(values_of(layers::add({a, b})), std::vector<double>({4, 6, -2, 12}));
  EXPECT_EQ(values_of(layers::subtract({a, b})), std::vector<double>({-2, 4, -2, -4}));
  EXPECT_EQ(values_of(layers::maximum({a, b})), std::vector<double>({3, 5, 0, 8}));
}

TEST_P(MergingTest, Broadcasting) {
  // (2, 3) with (2, 1): broadcast per example.
  Tensor a = tensor_of({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = tensor_of({10, 20}, {2, 1});
  EXPECT_EQ(values_of(layers::Add()({a, b})), std::vector<double>({11, 12, 13, 24, 25, 26}));
  // Different ranks: (2, 3) gets an axis after the batch to meet (2, 2, 3).
  Tensor c = ops::ones({2, 2, 3});
  Tensor y = layers::Multiply()({a, c});
  EXPECT_EQ(y.shape(), Shape({2, 2, 3}));
  EXPECT_EQ(values_of(y), std::vector<double>({1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}));
  // Symbolic.
  Tensor s = layers::Add()({Input({4}), Input({1})});
  EXPECT_EQ(s.shape(), Shape({Shape::kNone, 4}));
}

TEST_P(MergingTest, Errors) {
  KERAS_EXPECT_THROW_WITH(layers::Add()({ops::ones({2, 3}), ops::ones({2, 4})}), ValueError,
                          "incompatible shapes");
  KERAS_EXPECT_THROW_WITH(layers::Add()({ops::ones({2, 3}), ops::ones({3, 3})}), ValueError,
                          "different batch sizes");
  KERAS_EXPECT_THROW_WITH(
      layers::Subtract()({ops::ones({2, 3}), ops::ones({2, 3}), ops::ones({2, 3})}), ValueError,
      "exactly 2 inputs");
  KERAS_EXPECT_THROW_WITH(layers::Concatenate()({ops::ones({2, 3}), ops::ones({3, 3})}), ValueError,
                          "matching shapes except for the concatenation axis");
  KERAS_EXPECT_THROW_WITH(layers::Concatenate()({ops::ones({2, 3}), ops::ones({2, 3, 1})}),
                          ValueError, "matching shapes");
  KERAS_EXPECT_THROW_WITH(layers::Dot({.axes = 1})({ops::ones({2, 3}), ops::ones({2, 4})}),
                          ValueError, "axis values 3 (at axis 1) != 4 (at axis 1)");
  KERAS_EXPECT_THROW_WITH(layers::Dot({.axes = {1, 2, 3}}), ValueError, "axes");
  KERAS_EXPECT_THROW_WITH(layers::Dot({.axes = 1})({ops::ones({2, 3})}), ValueError,
                          "list of 2 inputs");
}

TEST_P(MergingTest, Concatenate) {
  Tensor a = tensor_of({1, 2, 3, 4}, {2, 2});
  Tensor b = tensor_of({5, 6}, {2, 1});
  EXPECT_EQ(values_of(layers::Concatenate()({a, b})), std::vector<double>({1, 2, 5, 3, 4, 6}));
  Tensor c = layers::Concatenate({.axis = 0})({a, a});
  EXPECT_EQ(c.shape(), Shape({4, 2}));
  Tensor s = layers::concatenate({Input({3, 4}), Input({5, 4})}, {.axis = 1});
  EXPECT_EQ(s.shape(), Shape({Shape::kNone, 8, 4}));
  layers::Concatenate layer({.axis = 1});
  Config cfg = layer->get_config();
  EXPECT_EQ(cfg["axis"], 1);
  EXPECT_EQ(layers::deserialize(layers::serialize(*layer))->get_config(), cfg);
}

TEST_P(MergingTest, Dot) {
  Tensor a = tensor_of({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = tensor_of({1, 0, 1, 2, 2, 2}, {2, 3});
  Tensor y = layers::Dot({.axes = 1})({a, b});
  EXPECT_EQ(y.shape(), Shape({2, 1}));
  EXPECT_EQ(values_of(y), std::vector<double>({4, 30}));
  // normalize: cosine similarity.
  std::vector<double> cos = values_of(layers::Dot({.axes = 1, .normalize = true})({a, b}));
  expect_near_all(
      cos, {4 / (std::sqrt(14.0) * std::sqrt(2.0)), 30 / (std::sqrt(77.0) * std::sqrt(12.0))},
      1e-5);
  // (1, 2, 3) . (1, 2, 3) over axes (2, 2): x @ y^T per example -> (1, 2, 2).
  Tensor x3 = tensor_of({1, 2, 3, 4, 5, 6}, {1, 2, 3});
  Tensor d = layers::Dot({.axes = 2})({x3, x3});
  EXPECT_EQ(d.shape(), Shape({1, 2, 2}));
  EXPECT_EQ(values_of(d), std::vector<double>({14, 32, 32, 77}));
  // axes (1, 1): x^T @ y -> (1, 3, 3).
  Tensor e = layers::Dot({.axes = {1, 1}})({x3, x3});
  EXPECT_EQ(e.shape(), Shape({1, 3, 3}));
  EXPECT_EQ(values_of(e), std::vector<double>({17, 22, 27, 22, 29, 36, 27, 36, 45}));
  // Symbolic shapes.
  EXPECT_EQ(layers::Dot({.axes = 2})({Input({3, 4}), Input({5, 4})}).shape(),
            Shape({Shape::kNone, 3, 5}));
  layers::Dot layer({.axes = {1, 1}, .normalize = true});
  Config cfg = layer->get_config();
  EXPECT_EQ(cfg["axes"], Config::array({1, 1}));
  EXPECT_EQ(cfg["normalize"], true);
  EXPECT_EQ(layers::Dot({.axes = 2})->get_config()["axes"], 2);
  EXPECT_EQ(layers::deserialize(layers::serialize(*layer))->get_config(), cfg);
}

TEST_P(MergingTest, ConfigRoundTrip) {
  for (Layer l : {Layer(layers::Add()), Layer(layers::Subtract()), Layer(layers::Multiply()),
                  Layer(layers::Average()), Layer(layers::Maximum()), Layer(layers::Minimum())}) {
    Config c = l->get_config();
    EXPECT_EQ(c.size(), 3u) << c.dump();
    auto copy = layers::deserialize(layers::serialize(*l));
    EXPECT_EQ(copy->class_name(), l->class_name());
    EXPECT_EQ(copy->get_config(), c);
  }
}

KERAS_INSTANTIATE_BACKEND_TEST(MergingTest);

}  // namespace
}  // namespace keras::testing
