// layers::Normalization (the preprocessing layer): adapt on tensors and datasets, fixed and
// inverted statistics, Keras's config. Python Keras's files load and round-trip in
// tests/interop (keras_save.py: py_norm_*).
#include <gtest/gtest.h>

#include <vector>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras {
namespace {

namespace L = keras::layers;

class NormalizationLayerTest : public testing::BackendTest {};

TEST_P(NormalizationLayerTest, AdaptStandardizesEachFeature) {
  Tensor x = ops::add(ops::multiply(random::normal({64, 5, 3}, {.seed = 1}), 3.0), 2.0);
  auto norm = L::Normalization();
  norm->adapt(x);
  Tensor y = norm(x);
  EXPECT_EQ(y.shape(), x.shape());
  std::vector<double> mean = ops::mean(y, {.axis = std::vector<int64_t>{0, 1}}).to_vector<double>();
  std::vector<double> var = ops::var(y, {.axis = std::vector<int64_t>{0, 1}}).to_vector<double>();
  for (int f = 0; f < 3; ++f) {
    EXPECT_NEAR(mean[f], 0.0, 1e-5);
    EXPECT_NEAR(var[f], 1.0, 1e-4);
  }
  // The weights Keras has: mean and variance per feature, an int32 count.
  std::vector<Variable> w = norm->weights();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].name(), "mean");
  EXPECT_EQ(w[1].name(), "variance");
  EXPECT_EQ(w[2].name(), "count");
  EXPECT_EQ(w[0].shape(), Shape({3}));
  EXPECT_EQ(w[2].dtype(), DType::Int32);
  EXPECT_TRUE(norm->trainable_weights().empty());
}

TEST_P(NormalizationLayerTest, AdaptOnADatasetMatchesAdaptOnTheTensor) {
  Tensor x = ops::add(ops::multiply(random::normal({70, 4}, {.seed = 2}), 5.0), -1.0);
  auto whole = L::Normalization();
  whole->adapt(x);
  auto streamed = L::Normalization();
  streamed->adapt(data::Dataset::from_tensor_slices({x}).batch(16));  // uneven last batch
  EXPECT_LE(testing::max_abs_diff(whole->weights()[0].value(), streamed->weights()[0].value()),
            1e-5);
  EXPECT_LE(testing::max_abs_diff(whole->weights()[1].value(), streamed->weights()[1].value()),
            1e-4);
  EXPECT_THROW(L::Normalization()->adapt(data::Dataset::from_tensor_slices({x}).take(0)),
               ValueError);
  // Data whose kept dimension differs from the built one.
  EXPECT_THROW(whole->adapt(random::normal({10, 5})), ValueError);
}

TEST_P(NormalizationLayerTest, FixedStatisticsInvertAndAxisNone) {
  Tensor mean = ops::convert_to_tensor(std::vector<float>{1, 2, 3});
  Tensor variance = ops::convert_to_tensor(std::vector<float>{1, 4, 9});
  auto norm = L::Normalization({.mean = mean, .variance = variance});
  auto back = L::Normalization({.mean = mean, .variance = variance, .invert = true});
  Tensor x = random::normal({6, 3}, {.seed = 3});
  Tensor y = norm(x);
  EXPECT_LE(testing::max_abs_diff(back(y), x), 1e-5);
  EXPECT_TRUE(norm->weights().empty());
  std::vector<double> yv = y.to_vector<double>(), xv = x.to_vector<double>();
  EXPECT_NEAR(yv[1], (xv[1] - 2) / 2, 1e-6);
  // axis = None: one mean and variance over everything.
  auto scalar = L::Normalization({.axis = {}});
  Tensor z = ops::add(random::normal({8, 2, 2}, {.seed = 4}), 7.0);
  scalar->adapt(z);
  EXPECT_EQ(scalar->weights()[0].shape(), Shape({}));
  EXPECT_NEAR(ops::mean(scalar(z)).item<double>(), 0.0, 1e-5);
  EXPECT_THROW(L::Normalization({.mean = mean}), ValueError);
  EXPECT_THROW(L::Normalization({.mean = mean, .variance = ops::ones({2})}), ValueError);
  EXPECT_THROW(norm->adapt(x), ValueError);
}

TEST_P(NormalizationLayerTest, ConfigAsKerasWritesIt) {
  auto adapted = L::Normalization();
  Config c = adapted->get_config();
  EXPECT_EQ(c["axis"], Config::parse("[-1]"));
  EXPECT_EQ(c["invert"], false);
  EXPECT_TRUE(c["mean"].is_null());
  EXPECT_TRUE(c["variance"].is_null());
  auto fixed =
      L::Normalization({.axis = {},
                        .mean = ops::convert_to_tensor(std::vector<float>{0.5}, Shape{}),
                        .variance = ops::convert_to_tensor(std::vector<float>{2}, Shape{})});
  Config f = fixed->get_config();
  EXPECT_EQ(f["axis"], Config::array());
  EXPECT_EQ(f["mean"], 0.5);
  EXPECT_EQ(f["variance"], 2.0);
  auto rebuilt = layers::deserialize(layers::serialize(*fixed.ptr()));
  EXPECT_EQ(rebuilt->get_config(), f);
  Config list = L::Normalization({.mean = ops::convert_to_tensor(std::vector<float>{1, 2}),
                                  .variance = ops::convert_to_tensor(std::vector<float>{3, 4})})
                    ->get_config();
  EXPECT_EQ(list["mean"], Config::parse("[1.0, 2.0]"));
}

TEST_P(NormalizationLayerTest, Harness) {
  // Adapted statistics (weights: mean, variance, count) and fixed ones (no weights).
  testing::run_layer_test({.make =
                               [] {
                                 auto n = L::Normalization();
                                 n->adapt(random::normal({8, 4, 3}, {.seed = 5}));
                                 return Layer(n);
                               },
                           .input_shape = {2, 4, 3},
                           .expected_output_shape = {2, 4, 3},
                           .expected_weights = {{"mean", {3}}, {"variance", {3}}, {"count", {}}},
                           .expected_trainable_weights = 0,
                           .expected_non_trainable_weights = 3});
  testing::run_layer_test(
      {.make =
           [] {
             return Layer(
                 L::Normalization({.mean = ops::convert_to_tensor(std::vector<float>{1, 2, 3}),
                                   .variance = ops::convert_to_tensor(std::vector<float>{1, 4, 9}),
                                   .invert = true}));
           },
       .input_shape = {2, 3},
       .expected_output_shape = {2, 3}});
}

KERAS_INSTANTIATE_BACKEND_TEST(NormalizationLayerTest);

}  // namespace
}  // namespace keras
