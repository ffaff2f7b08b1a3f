// keras::random::{dropout, shuffle, categorical} on every backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "keras/keras.hpp"
#include "keras/random/random.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/gradient_check.hpp"

namespace keras {
namespace {

using testing::expect_throws_with;

class RandomOpsTest : public testing::BackendTest {};

Tensor iota(const Shape& shape, DType dtype = float32) {
  std::vector<double> v(static_cast<size_t>(shape.num_elements()));
  std::iota(v.begin(), v.end(), 1.0);
  return ops::convert_to_tensor(v, shape, {.dtype = dtype});
}

TEST_P(RandomOpsTest, DropoutZeroesAndScales) {
  Tensor x = ops::ones({100000});
  Tensor y = random::dropout(x, 0.3, {.seed = 1});
  EXPECT_EQ(y.shape(), x.shape());
  EXPECT_EQ(y.dtype(), float32);
  auto v = y.to_vector<float>();
  const float kept = 1.0f / 0.7f;  // inputs / keep_prob, rounded in float32 as in Keras
  int64_t zeros = 0;
  for (float e : v) {
    if (e == 0.0f)
      ++zeros;
    else
      ASSERT_EQ(e, kept);
  }
  EXPECT_NEAR(static_cast<double>(zeros) / v.size(), 0.3, 0.01);
  // The expectation is preserved.
  EXPECT_NEAR(ops::mean(y).item<double>(), 1.0, 0.02);
  EXPECT_EQ(random::dropout(x, 0.3, {.seed = 1}).to_vector<float>(), v);
  EXPECT_NE(random::dropout(x, 0.3, {.seed = 2}).to_vector<float>(), v);
}

TEST_P(RandomOpsTest, DropoutRateEdgeCases) {
  Tensor x = iota({3, 4});
  Tensor same = random::dropout(x, 0.0, {.seed = 1});
  EXPECT_EQ(same.to_vector<float>(), x.to_vector<float>());
  // rate 1 returns zeros, as every Keras backend does.
  auto zeros = random::dropout(x, 1.0, {.seed = 1}).to_vector<float>();
  EXPECT_TRUE(std::all_of(zeros.begin(), zeros.end(), [](float e) { return e == 0.0f; }));
  // rate 0 draws nothing: a generator is not advanced.
  random::SeedGenerator gen(3);
  random::dropout(x, 0.0, {.seed = gen});
  EXPECT_EQ(gen.state()[1], 0u);
  random::dropout(x, 0.5, {.seed = gen});
  EXPECT_EQ(gen.state()[1], 1u);
}

TEST_P(RandomOpsTest, DropoutNoiseShapeSharesTheMask) {
  Tensor x = ops::ones({4, 50, 6});
  Tensor y = random::dropout(x, 0.5, {.noise_shape = Shape{4, 1, 6}, .seed = 5});
  auto v = y.to_vector<float>();
  for (int b = 0; b < 4; ++b)
    for (int t = 1; t < 50; ++t)
      for (int c = 0; c < 6; ++c) ASSERT_EQ(v[(b * 50 + t) * 6 + c], v[b * 50 * 6 + c]);
  // None takes the input's dimension.
  Tensor z =
      random::dropout(x, 0.5, {.noise_shape = Shape{Shape::kNone, 1, Shape::kNone}, .seed = 5});
  EXPECT_EQ(z.to_vector<float>(), v);
}

TEST_P(RandomOpsTest, DropoutKeepsLowPrecisionDtypes) {
  for (DType d : {float16, bfloat16, float64}) {
    Tensor y = random::dropout(ops::ones({64}, d), 0.25, {.seed = 2});
    EXPECT_EQ(y.dtype(), d);
  }
}

TEST_P(RandomOpsTest, DropoutGradientIsTheMask) {
  // An integer seed makes the op a fixed function of x, so finite differences apply.
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& xs) { return random::dropout(xs[0], 0.4, {.seed = 9}); },
      {testing::test_values({3, 5})}, "random::dropout");
  Tensor x = testing::test_values({200});
  GradientTape tape;
  tape.watch(x);
  Tensor y = random::dropout(x, 0.4, {.seed = 9});
  Tensor g = tape.gradient(ops::sum(y), x);
  auto gv = g.to_vector<double>();
  auto xv = x.to_vector<double>();
  auto yv = y.to_vector<double>();
  for (size_t i = 0; i < gv.size(); ++i)
    EXPECT_DOUBLE_EQ(gv[i], yv[i] == 0.0 ? 0.0 : 1.0 / 0.6) << i;
}

TEST_P(RandomOpsTest, DropoutSymbolicAndErrors) {
  Tensor s = Tensor::symbolic({Shape::kNone, 8}, float32);
  Tensor y = random::dropout(s, 0.5, {.noise_shape = Shape{Shape::kNone, 1}});
  EXPECT_TRUE(y.is_symbolic());
  EXPECT_EQ(y.shape(), Shape({Shape::kNone, 8}));
  Tensor x = ops::ones({2, 3});
  expect_throws_with([&] { random::dropout(x, -0.1); },
                     "random::dropout: Invalid value received for argument `rate`. Expected a "
                     "float value between 0 and 1. Received: rate=-0.1");
  expect_throws_with([&] { random::dropout(x, 1.5); }, "Received: rate=1.5");
  expect_throws_with([&] { random::dropout(x, NAN); }, "argument `rate`");
  expect_throws_with([&] { random::dropout(ops::ones({2}, int32), 0.5); },
                     "random::dropout: `inputs` must be floating point. Received: dtype=int32");
  expect_throws_with([&] { random::dropout(x, 0.5, {.noise_shape = Shape{2}}); },
                     "random::dropout: `noise_shape` (2,) must have the rank of `inputs` (shape "
                     "(2, 3))");
  expect_throws_with(
      [&] {
        random::dropout(x, 0.5, {.noise_shape = Shape{2, 2}});
      },
      "`noise_shape` (2, 2) does not broadcast to the shape of `inputs` (2, 3): "
      "dimension 1 must be 1, None or 3");
  expect_throws_with([&] { random::dropout(Tensor(), 0.5); },
                     "random::dropout: argument `inputs` is an undefined Tensor");
}

std::vector<std::vector<float>> rows(const Tensor& x) {
  auto v = x.to_vector<float>();
  int64_t n = x.shape()[0], m = x.size() / std::max<int64_t>(n, 1);
  std::vector<std::vector<float>> out;
  for (int64_t i = 0; i < n; ++i) out.emplace_back(v.begin() + i * m, v.begin() + (i + 1) * m);
  return out;
}

TEST_P(RandomOpsTest, ShuffleIsAPermutationOfSlices) {
  Tensor x = iota({20, 3});
  Tensor y = random::shuffle(x, {.seed = 4});
  EXPECT_EQ(y.shape(), x.shape());
  auto rx = rows(x), ry = rows(y);
  EXPECT_NE(rx, ry);
  EXPECT_TRUE(std::is_permutation(ry.begin(), ry.end(), rx.begin()));  // whole rows move
  EXPECT_EQ(random::shuffle(x, {.seed = 4}).to_vector<float>(), y.to_vector<float>());
  EXPECT_NE(random::shuffle(x, {.seed = 5}).to_vector<float>(), y.to_vector<float>());
  // Along the last axis: each row gets the same column permutation.
  Tensor t = random::shuffle(iota({4, 10}), {.axis = -1, .seed = 4});
  auto tv = t.to_vector<float>();
  for (int r = 1; r < 4; ++r)
    for (int c = 0; c < 10; ++c) EXPECT_EQ(tv[r * 10 + c] - tv[c], 10.0f * r);
  std::vector<float> first(tv.begin(), tv.begin() + 10);
  std::sort(first.begin(), first.end());
  for (int c = 0; c < 10; ++c) EXPECT_EQ(first[c], c + 1.0f);
  // Integer tensors and size-1 / size-0 axes.
  Tensor i = random::shuffle(iota({7}, int64), {.seed = 1});
  EXPECT_EQ(i.dtype(), int64);
  auto iv = i.to_vector<int64_t>();
  std::sort(iv.begin(), iv.end());
  EXPECT_EQ(iv, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(random::shuffle(iota({1, 2}), {.seed = 1}).to_vector<float>(),
            (std::vector<float>{1, 2}));
  EXPECT_EQ(random::shuffle(ops::ones({0, 2}), {.seed = 1}).shape(), Shape({0, 2}));
}

TEST_P(RandomOpsTest, ShuffleIsUniform) {
  // Every position of 4 elements should get each value about 1/4 of the time.
  random::SeedGenerator gen(77);
  Tensor x = iota({4});
  std::vector<std::vector<int>> counts(4, std::vector<int>(4, 0));
  for (int trial = 0; trial < 2000; ++trial) {
    auto v = random::shuffle(x, {.seed = gen}).to_vector<float>();
    for (int p = 0; p < 4; ++p) counts[p][static_cast<int>(v[p]) - 1]++;
  }
  for (auto& row : counts)
    for (int c : row) EXPECT_NEAR(c, 500, 90);
}

TEST_P(RandomOpsTest, ShuffleGradients) {
  auto f = [](const std::vector<Tensor>& xs) {
    return random::shuffle(xs[0], {.axis = 1, .seed = 3});
  };
  testing::expect_gradients_match(f, {testing::test_values({2, 5})}, "random::shuffle");
  testing::expect_second_gradients_match(
      [](const std::vector<Tensor>& xs) {
        return ops::multiply(random::shuffle(xs[0], {.seed = 3}), xs[0]);
      },
      {testing::test_values({6})}, "random::shuffle * x");
}

TEST_P(RandomOpsTest, ShuffleSymbolicAndErrors) {
  Tensor s = Tensor::symbolic({Shape::kNone, 4}, float32);
  EXPECT_EQ(random::shuffle(s).shape(), s.shape());
  expect_throws_with([] { random::shuffle(ops::ones({})); },
                     "random::shuffle: `x` must have at least one dimension");
  expect_throws_with(
      [] {
        random::shuffle(ops::ones({2, 3}), {.axis = 2});
      },
      "random::shuffle: axis 2 is out of bounds for a tensor of rank 2 (shape (2, "
      "3))");
}

TEST_P(RandomOpsTest, CategoricalFollowsTheProbabilities) {
  // Row 0: p = (0.1, 0.2, 0.7); row 1: class 2 only (the others are -inf).
  std::vector<double> logits = {std::log(0.1), std::log(0.2), std::log(0.7),
                                -INFINITY,     -INFINITY,     0.0};
  Tensor l = ops::convert_to_tensor(logits, {2, 3});
  Tensor s = random::categorical(l, 20000, {.seed = 6});
  EXPECT_EQ(s.shape(), Shape({2, 20000}));
  EXPECT_EQ(s.dtype(), int32);
  auto v = s.to_vector<int32_t>();
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 20000; ++i) counts[v[i]]++;
  EXPECT_NEAR(counts[0], 2000, 200);
  EXPECT_NEAR(counts[1], 4000, 250);
  EXPECT_NEAR(counts[2], 14000, 300);
  for (int i = 20000; i < 40000; ++i) ASSERT_EQ(v[i], 2);
  EXPECT_EQ(random::categorical(l, 5, {.seed = 6}).to_vector<int32_t>(),
            random::categorical(l, 5, {.seed = 6}).to_vector<int32_t>());
  EXPECT_EQ(random::categorical(l, 5, {.dtype = int64, .seed = 6}).dtype(), int64);
  EXPECT_EQ(random::categorical(l, 0, {.seed = 6}).shape(), Shape({2, 0}));
  // Same draw from float32 logits of the same values on every backend.
  for (const std::string& other : backend::available_backends()) {
    Tensor lo = ops::convert_to_tensor(l, other);
    EXPECT_EQ(random::categorical(lo, 50, {.seed = 8}).to_vector<int32_t>(),
              random::categorical(l, 50, {.seed = 8}).to_vector<int32_t>());
  }
}

TEST_P(RandomOpsTest, CategoricalSymbolicAndErrors) {
  Tensor s = Tensor::symbolic({Shape::kNone, 10}, float32);
  Tensor y = random::categorical(s, 3);
  EXPECT_TRUE(y.is_symbolic());
  EXPECT_EQ(y.shape(), Shape({Shape::kNone, 3}));
  expect_throws_with([] { random::categorical(ops::ones({5}), 2); },
                     "random::categorical: `logits` should be a 2-D tensor with shape "
                     "[batch_size, num_classes]. Received: logits.shape=(5,)");
  expect_throws_with(
      [] {
        random::categorical(ops::ones({2, 3}), -1);
      },
      "`num_samples` must be non-negative. Received: -1");
  expect_throws_with(
      [] {
        random::categorical(ops::ones({2, 3}), 2, {.dtype = float32});
      },
      "random::categorical requires an integer `dtype`. Received: dtype=float32");
  expect_throws_with([] { random::categorical(ops::ones({2, 0}), 2); }, "has no classes");
  expect_throws_with(
      [] {
        random::categorical(ops::convert_to_tensor(std::vector<double>{0, NAN}, Shape{1, 2}), 2);
      },
      "random::categorical: row 0 of `logits` contains NaN or +inf");
  expect_throws_with(
      [] {
        random::categorical(ops::full({1, 2}, -INFINITY), 2);
      },
      "row 0 of `logits` has no finite value");
}

KERAS_INSTANTIATE_BACKEND_TEST(RandomOpsTest);

}  // namespace
}  // namespace keras
