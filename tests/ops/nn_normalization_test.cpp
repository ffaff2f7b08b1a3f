// batch_normalization, moments, normalize, one_hot, multi_hot.
#include <cmath>

#include "ops/nn_testing.hpp"

namespace keras {
namespace {

using namespace nn_testing;

class NnNormalizationTest : public testing::BackendTest {};

TEST_P(NnNormalizationTest, BatchNormalization) {
  Tensor x = f64({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor mean = f64({1, 2, 3});
  Tensor var = f64({1, 4, 9});
  Tensor offset = f64({0.5, 0, -1});
  Tensor scale = f64({2, 1, 0.5});
  std::vector<double> expected;
  std::vector<double> xs = x.to_vector<double>();
  double m[] = {1, 2, 3}, v[] = {1, 4, 9}, o[] = {0.5, 0, -1}, s[] = {2, 1, 0.5};
  for (int i = 0; i < 6; ++i) {
    int c = i % 3;
    expected.push_back((xs[i] - m[c]) / std::sqrt(v[c] + 1e-3) * s[c] + o[c]);
  }
  expect_close(ops::batch_normalization(x, mean, var, -1, offset, scale), expected, 1e-12);
  // Without offset/scale, along axis 0.
  Tensor y = ops::batch_normalization(x, f64({1, 4}), f64({4, 1}), 0, Tensor(), Tensor(), 0.0);
  expect_close(y, {0, 0.5, 1, 0, 1, 2}, 1e-12);
  EXPECT_EQ(ops::batch_normalization(Tensor::symbolic({Shape::kNone, 3}, DType::Float32),
                                     Tensor::symbolic({3}, DType::Float32),
                                     Tensor::symbolic({3}, DType::Float32), 1)
                .shape(),
            (Shape{Shape::kNone, 3}));
  expect_error<ValueError>(
      [&] {
        ops::batch_normalization(x, f64({1, 2}), var, 1);
      },
      {"ops::batch_normalization", "`mean`", "length", "3", "(2,)"});
  expect_error<ValueError>([&] { ops::batch_normalization(x, mean, var, 1, f64({1})); },
                           {"ops::batch_normalization", "`offset`", "(1,)"});
  expect_error<ValueError>([&] { ops::batch_normalization(x, mean, var, 2); },
                           {"ops::batch_normalization", "axis 2"});
  testing::expect_gradients_match(
      [](const auto& in) { return ops::batch_normalization(in[0], in[1], in[2], 1, in[3], in[4]); },
      {testing::test_values({4, 3}), testing::test_values({3}, -1, 1, 2),
       testing::test_values({3}, 0.5, 2, 3), testing::test_values({3}, -1, 1, 4),
       testing::test_values({3}, 0.5, 2, 5)},
      "batch_normalization");
}

TEST_P(NnNormalizationTest, Moments) {
  Tensor x = f64({1, 2, 3, 4, 5, 6, 7, 9}, {2, 4});
  auto [m, v] = ops::moments(x, {1});
  EXPECT_EQ(m.shape(), (Shape{2}));
  expect_close(m, {2.5, 6.75}, 1e-14);
  expect_close(v, {1.25, 2.1875}, 1e-14);
  auto [mk, vk] = ops::moments(x, {0, 1}, true);
  EXPECT_EQ(mk.shape(), (Shape{1, 1}));
  expect_close(mk, {37.0 / 8}, 1e-14);
  // Large offsets do not destroy the variance (two-pass).
  auto [mb, vb] = ops::moments(ops::cast(f64({1e4 + 1, 1e4 + 2, 1e4 + 3}), DType::Float32), {0});
  expect_close(vb, {2.0 / 3}, 1e-4);
  // float16 is computed in float32 and returned in float16, clipped to its range.
  Tensor h = ops::cast(f32({300, 300, -300, -300}), DType::Float16);
  auto [mh, vh] = ops::moments(h, {0});
  EXPECT_EQ(vh.dtype(), DType::Float16);
  expect_close(vh, {65504.0});
  expect_close(mh, {0.0});
  EXPECT_EQ(ops::moments(i32({1, 2}), {0}).first.dtype(), DType::Float32);
  auto [ms, vs] = ops::moments(Tensor::symbolic({Shape::kNone, 5, 3}, DType::Float32), {0, 1});
  EXPECT_EQ(vs.shape(), (Shape{3}));
  expect_error<ValueError>([&] { ops::moments(x, {2}); }, {"ops::moments", "axis 2"});
  testing::expect_gradients_match(
      [](const auto& in) {
        auto [a, b] = ops::moments(in[0], {0});
        return ops::concatenate({a, b});
      },
      {testing::test_values({4, 3})}, "moments");
}

TEST_P(NnNormalizationTest, Normalize) {
  Tensor x = f64({3, 4, 0, 0}, {2, 2});
  expect_close(ops::normalize(x), {0.6, 0.8, 0, 0}, 1e-12);
  expect_close(ops::normalize(x, 0), {1, 1, 0, 0}, 1e-12);
  expect_close(ops::normalize(x, -1, 1), {3.0 / 7, 4.0 / 7, 0, 0}, 1e-12);
  double n3 = std::cbrt(27.0 + 64.0);
  expect_close(ops::normalize(x, -1, 3), {3 / n3, 4 / n3, 0, 0}, 1e-12);
  EXPECT_EQ(ops::normalize(i32({3, 4})).dtype(), DType::Float32);
  EXPECT_EQ(ops::normalize(Tensor::symbolic({Shape::kNone, 4}, DType::Float32)).shape(),
            (Shape{Shape::kNone, 4}));
  expect_error<ValueError>([&] { ops::normalize(x, -1, 0); }, {"ops::normalize", "order", "0"});
  testing::expect_gradients_match([](const auto& in) { return ops::normalize(in[0]); },
                                  {testing::test_values({2, 3}, 0.2, 1)}, "normalize l2");
  testing::expect_gradients_match([](const auto& in) { return ops::normalize(in[0], 0, 3); },
                                  {testing::test_values({2, 3}, 0.2, 1)}, "normalize l3");
  // The zero vector has a finite gradient.
  Tensor g =
      keras::grad([](const auto& in) { return ops::sum(ops::normalize(in[0])); })({f64({0, 0})})[0];
  for (double v : g.to_vector<double>()) EXPECT_TRUE(std::isfinite(v));
}

TEST_P(NnNormalizationTest, OneHot) {
  // ops.npz one_hot__rank2.
  Tensor y = ops::one_hot(i32({0, 3, 2, 2, 1, 0}, {3, 2}), 4);
  EXPECT_EQ(y.shape(), (Shape{3, 2, 4}));
  EXPECT_EQ(y.dtype(), DType::Float32);
  expect_close(y, {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0});
  // Out-of-range indices give zero rows; axis 0; dtype.
  Tensor z = ops::one_hot(i32({-1, 1, 5}), 3, 0, DType::Int32);
  EXPECT_EQ(z.shape(), (Shape{3, 3}));
  EXPECT_EQ(z.to_vector<int32_t>(), (std::vector<int32_t>{0, 0, 0, 0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(ops::one_hot(ops::cast(i32({200}), DType::UInt8), 300).to_vector<float>()[200], 1.0f);
  EXPECT_EQ(ops::one_hot(Tensor::symbolic({Shape::kNone, 7}, DType::Int32), 5, 1).shape(),
            (Shape{Shape::kNone, 5, 7}));
  expect_error<ValueError>([] { ops::one_hot(i32({1}), 0); }, {"ops::one_hot", "num_classes", "0"});
  expect_error<ValueError>([] { ops::one_hot(i32({1}), 3, 2); }, {"ops::one_hot", "axis", "2"});
}

TEST_P(NnNormalizationTest, MultiHot) {
  Tensor y = ops::multi_hot(i32({0, 2, 2, 1, 3, 3}, {2, 3}), 4);
  EXPECT_EQ(y.shape(), (Shape{2, 4}));
  expect_close(y, {1, 0, 1, 0, 0, 1, 0, 1});
  Tensor v = ops::multi_hot(i32({1, 3}), 5);
  EXPECT_EQ(v.shape(), (Shape{5}));
  expect_close(v, {0, 1, 0, 1, 0});
  EXPECT_EQ(ops::multi_hot(i32({1, 3}), 5, -1, DType::Bool).to_vector<bool>(),
            (std::vector<bool>{false, true, false, true, false}));
  EXPECT_EQ(ops::multi_hot(Tensor::symbolic({Shape::kNone, 3}, DType::Int32), 6).shape(),
            (Shape{Shape::kNone, 6}));
}

KERAS_INSTANTIATE_BACKEND_TEST(NnNormalizationTest);

}  // namespace
}  // namespace keras
