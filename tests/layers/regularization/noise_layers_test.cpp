// SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
double variance(const std::vector<double>& v) {
  double m = mean(v), s = 0.0;
  for (double x : v) s += (x - m) * (x - m);
  return s / static_cast<double>(v.size());
}

class SpatialDropoutTest : public BackendTest {};

TEST_P(SpatialDropoutTest, Harness) {
  run_layer_test({.make = [] { return Layer(layers::SpatialDropout1D({.rate = 0.5, .seed = 1})); },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 3, 4}});
  run_layer_test({.make = [] { return Layer(layers::SpatialDropout2D({.rate = 0.5, .seed = 1})); },
                  .input_shape = {2, 3, 4, 5},
                  .expected_output_shape = {2, 3, 4, 5}});
  run_layer_test(
      {.make =
           [] {
             return Layer(layers::SpatialDropout3D({.rate = 0.5, .data_format = "channels_first"}));
           },
       .input_shape = {2, 3, 2, 2, 2},
       .expected_output_shape = {2, 3, 2, 2, 2}});
  run_layer_test({.make = [] { return Layer(layers::SpatialDropout2D({.rate = 0.5, .seed = 1})); },
                  .input_shape = {2, 3, 4, 5},
                  .expected_output_shape = {2, 3, 4, 5},
                  .call_args = {.training = true},
                  .deterministic = false});
}

// Every feature map is either all zeros or all 1 / (1 - rate).
void expect_whole_maps(const std::vector<double>& y, int64_t batch, int64_t channels,
                       int64_t spatial, bool channels_first, double kept) {
  int dropped = 0;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t c = 0; c < channels; ++c) {
      auto at = [&](int64_t s) {
        return channels_first ? y[(b * channels + c) * spatial + s]
                              : y[(b * spatial + s) * channels + c];
      };
      double first = at(0);
      EXPECT_TRUE(first == 0.0 || std::abs(first - kept) < 1e-6) << first;
      dropped += first == 0.0;
      for (int64_t s = 1; s < spatial; ++s) EXPECT_EQ(at(s), first) << "b=" << b << " c=" << c;
    }
  EXPECT_GT(dropped, 0);
  EXPECT_LT(dropped, batch * channels);
}

TEST_P(SpatialDropoutTest, DropsWholeFeatureMaps) {
  Tensor x1 = ops::ones({8, 5, 6});
  layers::SpatialDropout1D d1({.rate = 0.5, .seed = 3});
  EXPECT_EQ(values_of(d1(x1)), values_of(x1));
  expect_whole_maps(values_of(d1(x1, {.training = true})), 8, 6, 5, false, 2.0);

  layers::SpatialDropout2D d2({.rate = 0.5, .seed = 4});
  expect_whole_maps(values_of(d2(ops::ones({8, 3, 4, 6}), {.training = true})), 8, 6, 12, false,
                    2.0);
  layers::SpatialDropout2D d2f({.rate = 0.5, .data_format = "channels_first", .seed = 4});
  expect_whole_maps(values_of(d2f(ops::ones({8, 6, 3, 4}), {.training = true})), 8, 6, 12, true,
                    2.0);
  layers::SpatialDropout3D d3({.rate = 0.75, .seed = 5});
  expect_whole_maps(values_of(d3(ops::ones({8, 2, 2, 2, 6}), {.training = true})), 8, 6, 8, false,
                    4.0);
  // rate 0: identity even in training.
  Tensor x = ops::ones({2, 3, 4});
  EXPECT_EQ(values_of(layers::SpatialDropout1D({.rate = 0.0})(x, {.training = true})),
            values_of(x));
}

TEST_P(SpatialDropoutTest, ConfigAndErrors) {
  layers::SpatialDropout2D d({.rate = 0.3, .name = "sd"});
  Config c = d->get_config();
  // As Keras 3.15 writes it (rescaling_and_dropout.keras): no "trainable", a plain dtype name.
  EXPECT_EQ(c, Config::parse(R"({"rate": 0.3, "seed": null, "name": "sd", "dtype": "float32",
                                 "data_format": "channels_last"})"));
  Config c1 = layers::SpatialDropout1D({.rate = 0.1, .seed = 7, .name = "x"})->get_config();
  EXPECT_EQ(c1, Config::parse(R"({"rate": 0.1, "seed": 7, "name": "x", "dtype": "float32"})"));
  auto layer = layers::deserialize(Config::parse(R"({"module": "keras.layers",
    "class_name": "SpatialDropout2D", "config": {"rate": 0.3, "seed": null,
    "name": "spatial_dropout2d", "dtype": "float32", "data_format": "channels_last"},
    "registered_name": null})"));
  EXPECT_EQ(layer->class_name(), "SpatialDropout2D");
  EXPECT_EQ(layer->name(), "spatial_dropout2d");
  EXPECT_NE(dynamic_cast<layers::DropoutImpl*>(layer.get()), nullptr);  // a Dropout, as in Keras
  KERAS_EXPECT_THROW_WITH(layers::SpatialDropout2D({.rate = 1.5}), ValueError, "between 0 and 1");
  KERAS_EXPECT_THROW_WITH(layers::SpatialDropout2D({.rate = 0.5, .data_format = "nhwc"}),
                          ValueError, "data_format");
  KERAS_EXPECT_THROW_WITH(
      layers::SpatialDropout2D({.rate = 0.5, .name = "s"})(ops::ones({2, 3, 4})), ValueError,
      "SpatialDropout2D 's': expected an input with 4 dimensions");
  KERAS_EXPECT_THROW_WITH(layers::SpatialDropout1D({.rate = 0.5})(ops::ones({2, 3})), ValueError,
                          "expected an input with 3 dimensions");
}

KERAS_INSTANTIATE_BACKEND_TEST(SpatialDropoutTest);

class NoiseLayersTest : public BackendTest {};

TEST_P(NoiseLayersTest, Harness) {
  for (bool training : {false, true}) {
    CallArgs args{.training = training};
    run_layer_test({.make = [] { return Layer(layers::GaussianNoise({.stddev = 0.5, .seed = 1})); },
                    .input_shape = {3, 4},
                    .expected_output_shape = {3, 4},
                    .call_args = args,
                    .deterministic = !training});
    run_layer_test({.make = [] { return Layer(layers::GaussianDropout({.rate = 0.3, .seed = 1})); },
                    .input_shape = {3, 4, 2},
                    .expected_output_shape = {3, 4, 2},
                    .call_args = args,
                    .deterministic = !training});
    run_layer_test({.make = [] { return Layer(layers::AlphaDropout({.rate = 0.3, .seed = 1})); },
                    .input_shape = {3, 4},
                    .expected_output_shape = {3, 4},
                    .call_args = args,
                    .deterministic = !training});
  }
}

TEST_P(NoiseLayersTest, IdentityAtInference) {
  Tensor x = layer_test_input({4, 5}, DType::Float32);
  EXPECT_EQ(values_of(layers::GaussianNoise({.stddev = 1.0})(x)), values_of(x));
  EXPECT_EQ(values_of(layers::GaussianDropout({.rate = 0.5})(x)), values_of(x));
  EXPECT_EQ(values_of(layers::AlphaDropout({.rate = 0.5})(x)), values_of(x));
  // Zero noise: identity in training too.
  EXPECT_EQ(values_of(layers::GaussianNoise({.stddev = 0.0})(x, {.training = true})), values_of(x));
  EXPECT_EQ(values_of(layers::GaussianDropout({.rate = 0.0})(x, {.training = true})), values_of(x));
  EXPECT_EQ(values_of(layers::AlphaDropout({.rate = 0.0})(x, {.training = true})), values_of(x));
}

TEST_P(NoiseLayersTest, GaussianNoiseStatistics) {
  layers::GaussianNoise noise({.stddev = 0.5, .seed = 11});
  Tensor x = ops::full({200, 50}, Tensor(3.0));
  std::vector<double> y = values_of(noise(x, {.training = true}));
  EXPECT_NEAR(mean(y), 3.0, 0.03);
  EXPECT_NEAR(std::sqrt(variance(y)), 0.5, 0.02);
  // The generator advances; a layer with the same seed repeats the sequence.
  EXPECT_NE(values_of(noise(x, {.training = true})), y);
  EXPECT_EQ(values_of(layers::GaussianNoise({.stddev = 0.5, .seed = 11})(x, {.training = true})),
            y);
}

TEST_P(NoiseLayersTest, GaussianDropoutStatistics) {
  layers::GaussianDropout drop({.rate = 0.2, .seed = 12});
  Tensor x = ops::full({200, 50}, Tensor(2.0));
  std::vector<double> y = values_of(drop(x, {.training = true}));
  // x * N(1, rate / (1 - rate)): mean 2, stddev 2 * sqrt(0.25) = 1.
  EXPECT_NEAR(mean(y), 2.0, 0.05);
  EXPECT_NEAR(std::sqrt(variance(y)), 1.0, 0.04);
}

TEST_P(NoiseLayersTest, AlphaDropoutValues) {
  const double rate = 0.2;
  const double alpha_p = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;
  const double a = std::pow((1 - rate) * (1 + rate * alpha_p * alpha_p), -0.5);
  const double b = -a * alpha_p * rate;
  layers::AlphaDropout drop({.rate = rate, .seed = 13});
  Tensor x = ops::full({100, 40}, Tensor(0.5));
  std::vector<double> y = values_of(drop(x, {.training = true}));
  const double kept_value = a * 0.5 + b, dropped_value = a * alpha_p + b;
  int dropped = 0;
  for (double v : y) {
    bool kept = std::abs(v - kept_value) < 1e-5;
    bool gone = std::abs(v - dropped_value) < 1e-5;
    EXPECT_TRUE(kept || gone) << v;
    dropped += gone;
  }
  EXPECT_NEAR(dropped / 4000.0, rate, 0.03);
  // Standard-normal inputs keep (about) mean 0 and variance 1.
  Tensor z = random::normal({400, 50}, {.seed = 5});
  std::vector<double> yz =
      values_of(layers::AlphaDropout({.rate = 0.3, .seed = 2})(z, {.training = true}));
  EXPECT_NEAR(mean(yz), 0.0, 0.05);
  EXPECT_NEAR(variance(yz), 1.0, 0.06);
  // noise_shape: one draw per row.
  layers::AlphaDropout rows({.rate = 0.5, .noise_shape = Shape{Shape::kNone, 1}, .seed = 3});
  std::vector<double> yr = values_of(rows(ops::ones({50, 4}), {.training = true}));
  for (int r = 0; r < 50; ++r)
    for (int c = 1; c < 4; ++c) EXPECT_EQ(yr[r * 4 + c], yr[r * 4]);
  KERAS_EXPECT_THROW_WITH(rows(ops::ones({2, 3, 4}), {.training = true}), ValueError,
                          "noise_shape");
}

TEST_P(NoiseLayersTest, ConfigAndErrors) {
  Config g = layers::GaussianNoise({.stddev = 0.5, .name = "gaussian_noise"})->get_config();
  EXPECT_EQ(g["stddev"], 0.5);
  EXPECT_TRUE(g["seed"].is_null());
  EXPECT_EQ(g["trainable"], true);
  EXPECT_TRUE(g["dtype"].is_object());  // a DTypePolicy envelope
  std::vector<std::string> keys = config_keys(g);
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "trainable", "dtype", "stddev", "seed"}));
  Config d = layers::GaussianDropout({.rate = 0.25, .seed = 4})->get_config();
  EXPECT_EQ(d["rate"], 0.25);
  EXPECT_EQ(d["seed"], 4);
  Config al =
      layers::AlphaDropout({.rate = 0.1, .noise_shape = Shape{Shape::kNone, 1}})->get_config();
  EXPECT_EQ(al["rate"], 0.1);
  EXPECT_TRUE(al["seed"].is_null());
  EXPECT_EQ(al["noise_shape"], Config::parse("[null, 1]"));
  EXPECT_TRUE(layers::AlphaDropout({.rate = 0.1})->get_config()["noise_shape"].is_null());
  auto layer = layers::deserialize(Config::parse(R"({"module": "keras.layers",
    "class_name": "GaussianNoise", "config": {"name": "gaussian_noise", "trainable": true,
    "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
              "registered_name": null}, "stddev": 0.5, "seed": null}, "registered_name": null})"));
  EXPECT_EQ(layer->get_config()["stddev"], 0.5);
  EXPECT_TRUE(layer->supports_masking());

  KERAS_EXPECT_THROW_WITH(layers::GaussianNoise({.stddev = -0.1}), ValueError, "stddev");
  KERAS_EXPECT_THROW_WITH(layers::GaussianNoise({.stddev = 1.5}), ValueError, "between 0 and 1");
  KERAS_EXPECT_THROW_WITH(layers::GaussianDropout({.rate = 2.0}), ValueError, "GaussianDropout");
  KERAS_EXPECT_THROW_WITH(layers::AlphaDropout({.rate = -1.0}), ValueError, "AlphaDropout");
  KERAS_EXPECT_THROW_WITH(layers::AlphaDropout({.rate = 0.5, .noise_shape = Shape{0, 1}}),
                          ValueError, "noise_shape");
}

KERAS_INSTANTIATE_BACKEND_TEST(NoiseLayersTest);

}  // namespace
}  // namespace keras::testing
