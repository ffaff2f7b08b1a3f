// UpSampling1D/2D/3D, with the Keras reshape_family fixture for Cropping2D, ZeroPadding2D and
// UpSampling2D (nearest and bilinear), which have no weights.
#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"
#include "testing/npz.hpp"

namespace keras::testing {
namespace {

class UpSamplingTest : public BackendTest {};

TEST_P(UpSamplingTest, Harness) {
  run_layer_test({.make = [] { return Layer(layers::UpSampling1D()); },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 6, 4}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::UpSampling2D({.size = {2, 3}}));
                      },
                  .input_shape = {2, 3, 4, 2},
                  .expected_output_shape = {2, 6, 12, 2}});
  run_layer_test(
      {.make =
           [] {
             return Layer(layers::UpSampling2D({.size = {2, 3}, .interpolation = "bilinear"}));
           },
       .input_shape = {2, 3, 4, 2},
       .expected_output_shape = {2, 6, 12, 2}});
  run_layer_test(
      {.make =
           [] {
             return Layer(layers::UpSampling2D(
                 {.size = 2, .data_format = "channels_first", .interpolation = "bilinear"}));
           },
       .input_shape = {2, 2, 3, 4},
       .expected_output_shape = {2, 2, 6, 8}});
  run_layer_test({.make = [] { return Layer(layers::UpSampling3D()); },
                  .input_shape = {1, 2, 3, 1, 2},
                  .expected_output_shape = {1, 4, 6, 2, 2}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::UpSampling3D(
                            {.size = {1, 2, 3}, .data_format = "channels_first"}));
                      },
                  .input_shape = {1, 2, 2, 3, 1},
                  .expected_output_shape = {1, 2, 2, 6, 3}});
}

TEST_P(UpSamplingTest, NearestValues) {
  layers::UpSampling1D u1({.size = 3});
  EXPECT_EQ(values_of(u1(tensor_of({1, 2}, {1, 2, 1}))), (std::vector<double>{1, 1, 1, 2, 2, 2}));
  layers::UpSampling2D u2({.size = {2, 1}});
  EXPECT_EQ(values_of(u2(tensor_of({1, 2, 3, 4}, {1, 2, 2, 1}))),
            (std::vector<double>{1, 2, 1, 2, 3, 4, 3, 4}));
  layers::UpSampling2D u2f({.size = {1, 2}, .data_format = "channels_first"});
  EXPECT_EQ(values_of(u2f(tensor_of({1, 2, 3, 4}, {1, 1, 2, 2}))),
            (std::vector<double>{1, 1, 2, 2, 3, 3, 4, 4}));
  layers::UpSampling3D u3({.size = {1, 2, 1}});
  EXPECT_EQ(values_of(u3(tensor_of({1, 2}, {1, 1, 2, 1, 1}))), (std::vector<double>{1, 1, 2, 2}));
}

TEST_P(UpSamplingTest, BilinearValues) {
  // Half-pixel centres: for factor 2, output rows sample input rows 0, 0.25, 0.75, 1 (clamped).
  layers::UpSampling2D u({.size = 2, .interpolation = "bilinear"});
  Tensor y = u(tensor_of({0, 4, 8, 12}, {1, 2, 2, 1}));
  EXPECT_EQ(y.shape(), (Shape{1, 4, 4, 1}));
  expect_near_all(values_of(y), {0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12});
  // Factor 3 on [0, 3]: positions -1/3, 0, 1/3, 2/3, 1, 4/3 clamped to [0, 1].
  layers::UpSampling2D u3({.size = {1, 3}, .interpolation = "BILINEAR"});
  expect_near_all(values_of(u3(tensor_of({0, 3}, {1, 1, 2, 1}))), {0, 0, 1, 2, 3, 3});
  EXPECT_EQ(u3->interpolation(), "bilinear");
  // channels_first gives the same numbers.
  layers::UpSampling2D uf(
      {.size = 2, .data_format = "channels_first", .interpolation = "bilinear"});
  expect_near_all(values_of(uf(tensor_of({0, 4, 8, 12}, {1, 1, 2, 2}))),
                  {0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12});
}

TEST_P(UpSamplingTest, ReshapeFamilyFixture) {
  auto npz = load_npz(KERAS_FIXTURES_DIR "/reshape_family.npz");
  Tensor x = to_tensor(npz.at("input_0"));
  ASSERT_EQ(x.shape()[1], 6);
  // Outputs 5..8 of the model (see the fixture's config.json).
  struct Case {
    const char* key;
    Layer layer;
  };
  std::vector<Case> cases = {
      {"output_5", Layer(layers::Cropping2D({.cropping = {{1, 0}, {2, 1}}}))},
      {"output_6", Layer(layers::ZeroPadding2D({.padding = {{1, 2}, {0, 1}}}))},
      {"output_7", Layer(layers::UpSampling2D({.size = {2, 2}}))},
      {"output_8", Layer(layers::UpSampling2D({.size = {2, 2}, .interpolation = "bilinear"}))},
  };
  for (auto& c : cases) {
    Tensor want = to_tensor(npz.at(c.key));
    Tensor got = c.layer(x);
    EXPECT_EQ(got.shape(), want.shape()) << c.key;
    EXPECT_LT(max_abs_diff(got, want), 1e-6) << c.key << " (" << c.layer->class_name() << ")";
  }
}

TEST_P(UpSamplingTest, SymbolicAndConfig) {
  Tensor x = Input(Shape{Shape::kNone, 3, 2}, {});
  EXPECT_EQ(layers::UpSampling2D({.interpolation = "bilinear"})(x).shape(),
            (Shape{Shape::kNone, Shape::kNone, 6, 2}));
  EXPECT_EQ(layers::UpSampling1D({.size = 4})(Input(Shape{5, 2}, {})).shape(),
            (Shape{Shape::kNone, 20, 2}));
  Config c = layers::UpSampling2D({.interpolation = "Bilinear"})->get_config();
  EXPECT_EQ(c["size"], Config::parse("[2, 2]"));
  EXPECT_EQ(c["data_format"], "channels_last");
  EXPECT_EQ(c["interpolation"], "bilinear");
  EXPECT_EQ(layers::UpSampling1D()->get_config()["size"], 2);
  EXPECT_EQ(layers::UpSampling3D({.size = 3})->get_config()["size"], Config::parse("[3, 3, 3]"));
  auto layer = layers::deserialize(Config::parse(R"({"module": "keras.layers",
    "class_name": "UpSampling2D", "config": {"name": "up_sampling2d_5", "trainable": true,
    "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
              "registered_name": null},
    "size": [2, 2], "data_format": "channels_last", "interpolation": "bilinear"},
    "registered_name": null})"));
  EXPECT_EQ(layer->name(), "up_sampling2d_5");
  EXPECT_EQ(layer->get_config()["interpolation"], "bilinear");
  EXPECT_EQ(layers::UpSampling2D()->name().rfind("up_sampling2d", 0), 0u);
}

TEST_P(UpSamplingTest, Errors) {
  KERAS_EXPECT_THROW_WITH(layers::UpSampling1D({.size = 0}), ValueError, "positive integer");
  KERAS_EXPECT_THROW_WITH(layers::UpSampling2D({.size = {1, 2, 3}}), ValueError, "size");
  KERAS_EXPECT_THROW_WITH(layers::UpSampling2D({.size = {0, 2}}), ValueError, "size");
  KERAS_EXPECT_THROW_WITH(layers::UpSampling3D({.size = {2, 2}}), ValueError, "size");
  KERAS_EXPECT_THROW_WITH(layers::UpSampling2D({.interpolation = "cubic"}), ValueError,
                          "interpolation");
  KERAS_EXPECT_THROW_WITH(layers::UpSampling2D({.interpolation = "bicubic"}), NotImplementedError,
                          "bicubic");
  KERAS_EXPECT_THROW_WITH(layers::UpSampling2D({.name = "up"})(ops::ones({1, 2, 2})), ValueError,
                          "UpSampling2D 'up': expected an input with 4 dimensions");
  KERAS_EXPECT_THROW_WITH(layers::UpSampling1D()(ops::ones({1, 2})), ValueError,
                          "expected an input with 3 dimensions");
}

KERAS_INSTANTIATE_BACKEND_TEST(UpSamplingTest);

}  // namespace
}  // namespace keras::testing
