// Cropping1D/2D/3D and ZeroPadding1D/2D/3D.
#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

std::vector<double> iota(int64_t n, double start = 0.0) {
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = start + static_cast<double>(i);
  return v;
}

// The accessors keep their types: one pair for the 1D layers, a reference to the list of pairs
// for 2D/3D (and Cropping1D has no data_format, as in Keras).
using Pair = std::pair<int64_t, int64_t>;
using Pairs = layers::PaddingPairs::Pairs;
static_assert(
    std::is_same_v<decltype(std::declval<const layers::Cropping1DImpl&>().cropping()), Pair>);
static_assert(std::is_same_v<decltype(std::declval<const layers::Cropping3DImpl&>().cropping()),
                             const Pairs&>);
static_assert(
    std::is_same_v<decltype(std::declval<const layers::ZeroPadding1DImpl&>().padding()), Pair>);
static_assert(std::is_same_v<decltype(std::declval<const layers::ZeroPadding2DImpl&>().padding()),
                             const Pairs&>);
template <class L>
concept HasDataFormat = requires(const L& l) {
  l.data_format();
};
static_assert(!HasDataFormat<layers::Cropping1DImpl>);
static_assert(HasDataFormat<layers::Cropping2DImpl>);
static_assert(
    std::is_same_v<decltype(std::declval<const layers::UpSampling1DImpl&>().size()), int64_t>);
static_assert(std::is_same_v<decltype(std::declval<const layers::UpSampling3DImpl&>().size()),
                             const std::vector<int64_t>&>);

class CroppingTest : public BackendTest {};

TEST_P(CroppingTest, Harness) {
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Cropping1D({.cropping = {1, 2}}));
                      },
                  .input_shape = {2, 6, 3},
                  .expected_output_shape = {2, 3, 3}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Cropping2D({.cropping = {{1, 0}, {2, 1}}}));
                      },
                  .input_shape = {2, 6, 6, 2},
                  .expected_output_shape = {2, 5, 3, 2}});
  run_layer_test({.make =
                      [] {
                        return Layer(
                            layers::Cropping2D({.cropping = 1, .data_format = "channels_first"}));
                      },
                  .input_shape = {2, 3, 4, 5},
                  .expected_output_shape = {2, 3, 2, 3}});
  run_layer_test({.make = [] { return Layer(layers::Cropping3D()); },
                  .input_shape = {2, 4, 5, 6, 2},
                  .expected_output_shape = {2, 2, 3, 4, 2}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Cropping3D(
                            {.cropping = {{1, 0}, 2, {0, 3}}, .data_format = "channels_first"}));
                      },
                  .input_shape = {1, 2, 4, 5, 6},
                  .expected_output_shape = {1, 2, 3, 1, 3}});
}

TEST_P(CroppingTest, Values) {
  // Cropping1D: (2, 5, 1) = 0..9, crop (1, 2): steps 1..2.
  layers::Cropping1D c1({.cropping = {1, 2}});
  EXPECT_EQ(values_of(c1(tensor_of(iota(10), {2, 5, 1}))), (std::vector<double>{1, 2, 6, 7}));
  // Cropping2D on a 4x4 image 0..15: rows 1..3, column 2.
  layers::Cropping2D c2({.cropping = {{1, 0}, {2, 1}}});
  EXPECT_EQ(values_of(c2(tensor_of(iota(16), {1, 4, 4, 1}))), (std::vector<double>{6, 10, 14}));
  layers::Cropping2D c2f({.cropping = {{1, 0}, {2, 1}}, .data_format = "channels_first"});
  EXPECT_EQ(values_of(c2f(tensor_of(iota(16), {1, 1, 4, 4}))), (std::vector<double>{6, 10, 14}));
  // Symmetric per dimension: {1, 0} is ((1, 1), (0, 0)).
  layers::Cropping2D c2s({.cropping = {1, 0}});
  EXPECT_EQ(values_of(c2s(tensor_of(iota(9), {1, 3, 3, 1}))), (std::vector<double>{3, 4, 5}));
  // Cropping3D on a 3x3x3 volume 0..26: d = 1, h in 0..1, w = 2.
  layers::Cropping3D c3({.cropping = {{1, 1}, {0, 1}, {2, 0}}});
  EXPECT_EQ(values_of(c3(tensor_of(iota(27), {1, 3, 3, 3, 1}))), (std::vector<double>{11, 14}));
  // Integer inputs keep their dtype.
  Tensor xi = ops::cast(tensor_of(iota(10), {2, 5, 1}), DType::Int32);
  Tensor yi = layers::Cropping1D({.cropping = 2})(xi);
  EXPECT_EQ(yi.dtype(), DType::Int32);
  EXPECT_EQ(values_of(yi), (std::vector<double>{2, 7}));
}

TEST_P(CroppingTest, SymbolicUnknownDimensions) {
  Tensor x = Input(Shape{Shape::kNone, 4, 4}, {});
  Tensor y = layers::Cropping2D({.cropping = {{1, 0}, {2, 1}}})(x);
  EXPECT_EQ(y.shape(), (Shape{Shape::kNone, Shape::kNone, 1, 4}));
  Tensor y1 = layers::Cropping1D()(Input(Shape{Shape::kNone, 3}, {}));
  EXPECT_EQ(y1.shape(), (Shape{Shape::kNone, Shape::kNone, 3}));
}

TEST_P(CroppingTest, ConfigAndRegistry) {
  layers::Cropping2D c2({.cropping = {1, 2}, .name = "crop"});
  Config c = c2->get_config();
  EXPECT_EQ(c["name"], "crop");
  EXPECT_EQ(c["cropping"], Config::parse("[[1, 1], [2, 2]]"));
  EXPECT_EQ(c["data_format"], "channels_last");
  EXPECT_EQ(layers::Cropping1D()->get_config()["cropping"], Config::parse("[1, 1]"));
  EXPECT_EQ(layers::Cropping2D()->get_config()["cropping"], Config::parse("[[0, 0], [0, 0]]"));
  EXPECT_EQ(layers::Cropping3D({.cropping = 2})->get_config()["cropping"],
            Config::parse("[[2, 2], [2, 2], [2, 2]]"));
  // A config as Keras 3.15 writes it (reshape_family.keras).
  auto layer = layers::deserialize(Config::parse(R"({
    "module": "keras.layers", "class_name": "Cropping2D",
    "config": {"name": "cropping2d_2", "trainable": true,
               "dtype": {"module": "keras", "class_name": "DTypePolicy",
                         "config": {"name": "float32"}, "registered_name": null},
               "cropping": [[1, 0], [2, 1]], "data_format": "channels_last"},
    "registered_name": null})"));
  EXPECT_EQ(layer->class_name(), "Cropping2D");
  EXPECT_EQ(layer->name(), "cropping2d_2");
  EXPECT_EQ(layer->get_config()["cropping"], Config::parse("[[1, 0], [2, 1]]"));
  EXPECT_EQ(layers::Cropping3D()->name().rfind("cropping3d", 0), 0u);
}

TEST_P(CroppingTest, Errors) {
  KERAS_EXPECT_THROW_WITH(
      layers::Cropping2D({.cropping = {{2, 1}, {0, 0}}})(ops::ones({1, 3, 3, 1})), ValueError,
      "must be smaller than the corresponding spatial dimensions");
  KERAS_EXPECT_THROW_WITH(layers::Cropping1D({.cropping = {2, 3}})(ops::ones({1, 5, 1})),
                          ValueError, "must be smaller");
  KERAS_EXPECT_THROW_WITH(layers::Cropping2D({.name = "c"})(ops::ones({1, 3, 3})), ValueError,
                          "Cropping2D 'c': expected an input with 4 dimensions, got 3");
  KERAS_EXPECT_THROW_WITH(layers::Cropping2D({.cropping = {1, 2, 3}}), ValueError,
                          "Cropping2D: `cropping` should have 2 elements");
  KERAS_EXPECT_THROW_WITH(layers::Cropping3D({.cropping = {{1, 2, 3}, 1, 1}}), ValueError,
                          "1st entry");
  KERAS_EXPECT_THROW_WITH(layers::Cropping2D({.cropping = -1}), ValueError, "cannot be negative");
  KERAS_EXPECT_THROW_WITH(layers::Cropping2D({.cropping = {{0, -1}, 0}}), ValueError, "negative");
  KERAS_EXPECT_THROW_WITH(layers::Cropping1D({.cropping = {1, 2, 3}}), ValueError, "Cropping1D");
  KERAS_EXPECT_THROW_WITH(layers::Cropping1D({.cropping = -1}), ValueError, ">= 0");
  KERAS_EXPECT_THROW_WITH(layers::Cropping2D({.data_format = "NHWC"}), ValueError, "data_format");
}

KERAS_INSTANTIATE_BACKEND_TEST(CroppingTest);

class ZeroPaddingTest : public BackendTest {};

TEST_P(ZeroPaddingTest, Harness) {
  run_layer_test({.make = [] { return Layer(layers::ZeroPadding1D()); },
                  .input_shape = {2, 4, 3},
                  .expected_output_shape = {2, 6, 3}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::ZeroPadding1D(
                            {.padding = {1, 2}, .data_format = "channels_first"}));
                      },
                  .input_shape = {2, 4, 3},
                  .expected_output_shape = {2, 4, 6}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::ZeroPadding2D({.padding = {{1, 2}, {0, 1}}}));
                      },
                  .input_shape = {2, 6, 6, 2},
                  .expected_output_shape = {2, 9, 7, 2}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::ZeroPadding2D(
                            {.padding = {1, 2}, .data_format = "channels_first"}));
                      },
                  .input_shape = {2, 3, 4, 5},
                  .expected_output_shape = {2, 3, 6, 9}});
  run_layer_test({.make = [] { return Layer(layers::ZeroPadding3D()); },
                  .input_shape = {1, 2, 3, 4, 2},
                  .expected_output_shape = {1, 4, 5, 6, 2}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::ZeroPadding3D({.padding = {{1, 0}, 2, {0, 3}}}));
                      },
                  .input_shape = {1, 2, 3, 4, 2},
                  .expected_output_shape = {1, 3, 7, 7, 2}});
}

TEST_P(ZeroPaddingTest, Values) {
  layers::ZeroPadding1D p1({.padding = {1, 2}});
  EXPECT_EQ(values_of(p1(tensor_of({1, 2}, {1, 2, 1}))), (std::vector<double>{0, 1, 2, 0, 0}));
  layers::ZeroPadding1D p1f({.padding = {1, 2}, .data_format = "channels_first"});
  EXPECT_EQ(values_of(p1f(tensor_of({1, 2}, {1, 1, 2}))), (std::vector<double>{0, 1, 2, 0, 0}));
  layers::ZeroPadding2D p2({.padding = {{1, 0}, {0, 1}}});
  Tensor y2 = p2(tensor_of({1, 2, 3, 4}, {1, 2, 2, 1}));
  EXPECT_EQ(y2.shape(), (Shape{1, 3, 3, 1}));
  EXPECT_EQ(values_of(y2), (std::vector<double>{0, 0, 0, 1, 2, 0, 3, 4, 0}));
  layers::ZeroPadding3D p3({.padding = 1});
  std::vector<double> y3 = values_of(p3(tensor_of({5}, {1, 1, 1, 1, 1})));
  ASSERT_EQ(y3.size(), 27u);
  for (size_t i = 0; i < y3.size(); ++i) EXPECT_EQ(y3[i], i == 13 ? 5.0 : 0.0);
}

TEST_P(ZeroPaddingTest, ConfigAndErrors) {
  EXPECT_EQ(layers::ZeroPadding1D()->get_config()["padding"], Config::parse("[1, 1]"));
  EXPECT_EQ(layers::ZeroPadding2D()->get_config()["padding"], Config::parse("[[1, 1], [1, 1]]"));
  EXPECT_EQ(layers::ZeroPadding2D({.padding = 3})->get_config()["padding"],
            Config::parse("[[3, 3], [3, 3]]"));
  EXPECT_EQ(layers::ZeroPadding3D()->get_config()["padding"],
            Config::parse("[[1, 1], [1, 1], [1, 1]]"));
  Config c = layers::ZeroPadding2D({.padding = {{1, 2}, {0, 1}}})->get_config();
  EXPECT_EQ(c["data_format"], "channels_last");
  auto layer = layers::deserialize(Config::parse(R"({"class_name": "ZeroPadding2D",
    "config": {"name": "zp", "padding": [[1, 2], [0, 1]], "data_format": "channels_last"}})"));
  EXPECT_EQ(layer->get_config()["padding"], c["padding"]);
  // An int in a config.
  auto layer3 = layers::deserialize(Config::parse(R"({"class_name": "ZeroPadding3D",
    "config": {"padding": 2}})"));
  EXPECT_EQ(layer3->get_config()["padding"], Config::parse("[[2, 2], [2, 2], [2, 2]]"));
  KERAS_EXPECT_THROW_WITH(layers::ZeroPadding2D({.padding = {1, 2, 3}}), ValueError,
                          "ZeroPadding2D: `padding` should have 2 elements");
  KERAS_EXPECT_THROW_WITH(layers::ZeroPadding3D({.padding = {1, 2}}), ValueError,
                          "should have 3 elements");
  KERAS_EXPECT_THROW_WITH(layers::ZeroPadding2D({.padding = {{1, 2, 3}, 1}}), ValueError,
                          "1st entry");
  KERAS_EXPECT_THROW_WITH(layers::ZeroPadding1D({.padding = {1, 2, 3}}), ValueError,
                          "ZeroPadding1D");
  KERAS_EXPECT_THROW_WITH(layers::ZeroPadding2D({.name = "zp"})(ops::ones({1, 2, 2})), ValueError,
                          "ZeroPadding2D 'zp': expected an input with 4 dimensions");
}

KERAS_INSTANTIATE_BACKEND_TEST(ZeroPaddingTest);

}  // namespace
}  // namespace keras::testing
