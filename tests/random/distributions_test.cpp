// keras::random::{normal, uniform, truncated_normal, randint} on every backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "keras/keras.hpp"
#include "keras/random/random.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/statistics.hpp"

namespace keras {
namespace {

using testing::expect_throws_with;
using testing::Moments;
using testing::moments;

class RandomDistributionsTest : public testing::BackendTest {};

TEST_P(RandomDistributionsTest, NormalDefaultsAndPlacement) {
  Tensor x = random::normal({2, 3}, {.seed = 1});
  EXPECT_EQ(x.shape(), Shape({2, 3}));
  EXPECT_EQ(x.dtype(), config::floatx());
  EXPECT_EQ(x.backend_name(), backend_name());
  Tensor y = random::normal({4}, {.dtype = float64, .seed = 1, .backend = "cpu"});
  EXPECT_EQ(y.backend_name(), "cpu");
  EXPECT_EQ(random::normal({0, 3}, {.seed = 1}).size(), 0);
  EXPECT_EQ(random::normal({}, {.seed = 1}).ndim(), 0);
}

TEST_P(RandomDistributionsTest, IntegerSeedIsStateless) {
  auto a = random::normal({64}, {.seed = 42}).to_vector<float>();
  auto b = random::normal({64}, {.seed = 42}).to_vector<float>();
  auto c = random::normal({64}, {.seed = 43}).to_vector<float>();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(random::uniform({9}, {.seed = 7}).to_vector<float>(),
            random::uniform({9}, {.seed = 7}).to_vector<float>());
}

TEST_P(RandomDistributionsTest, SeedGeneratorAdvancesAndReplays) {
  random::SeedGenerator gen(42);
  auto first = random::normal({16}, {.seed = gen}).to_vector<float>();
  auto second = random::normal({16}, {.seed = gen}).to_vector<float>();
  EXPECT_NE(first, second);
  EXPECT_EQ(gen.state(), (std::array<uint32_t, 2>{42, 2}));
  // A fresh generator with the same seed replays the sequence; its first draw is seed=42's.
  random::SeedGenerator replay(42);
  EXPECT_EQ(random::normal({16}, {.seed = replay}).to_vector<float>(), first);
  EXPECT_EQ(random::normal({16}, {.seed = replay}).to_vector<float>(), second);
  EXPECT_EQ(random::normal({16}, {.seed = 42}).to_vector<float>(), first);
  // seed none draws from the global generator: consecutive calls differ.
  EXPECT_NE(random::uniform({16}).to_vector<float>(), random::uniform({16}).to_vector<float>());
}

TEST_P(RandomDistributionsTest, SameNumbersOnEveryBackend) {
  for (const std::string& other : backend::available_backends()) {
    for (DType d : {float16, bfloat16, float32, float64}) {
      auto here = random::normal({33}, {.dtype = d, .seed = 5}).to_vector<double>();
      auto there = random::normal({33}, {.dtype = d, .seed = 5, .backend = other});
      EXPECT_EQ(there.backend_name(), other);
      EXPECT_EQ(here, there.to_vector<double>()) << other << " " << dtype_name(d);
      EXPECT_EQ(
          random::uniform({33}, {.dtype = d, .seed = 5}).to_vector<double>(),
          random::uniform({33}, {.dtype = d, .seed = 5, .backend = other}).to_vector<double>());
      EXPECT_EQ(random::truncated_normal({33}, {.dtype = d, .seed = 5}).to_vector<double>(),
                random::truncated_normal({33}, {.dtype = d, .seed = 5, .backend = other})
                    .to_vector<double>());
    }
    EXPECT_EQ(random::randint({33}, -9, 9, {.seed = 5}).to_vector<int32_t>(),
              random::randint({33}, -9, 9, {.seed = 5, .backend = other}).to_vector<int32_t>());
  }
}

TEST_P(RandomDistributionsTest, DtypesShareOneNormalStream) {
  // Normal values are computed in double and rounded, so lower precisions are roundings of float64.
  auto d = random::normal({50}, {.dtype = float64, .seed = 3}).to_vector<double>();
  auto f = random::normal({50}, {.dtype = float32, .seed = 3}).to_vector<float>();
  auto h = random::normal({50}, {.dtype = float16, .seed = 3}).to_vector<float>();
  for (size_t i = 0; i < d.size(); ++i) {
    EXPECT_EQ(f[i], static_cast<float>(d[i]));
    EXPECT_EQ(h[i], static_cast<float>(float16_t(static_cast<float>(d[i]))));
  }
}

TEST_P(RandomDistributionsTest, NormalStatistics) {
  auto v = random::normal({100000}, {.mean = 3.0, .stddev = 2.0, .seed = 11}).to_vector<double>();
  Moments m = moments(v);
  EXPECT_NEAR(m.mean, 3.0, 0.03);    // standard error 0.0063
  EXPECT_NEAR(m.stddev, 2.0, 0.03);  // standard error 0.0045
  // About 4.55% of samples lie beyond two standard deviations.
  double outside = std::count_if(v.begin(), v.end(), [](double x) { return std::abs(x - 3) > 4; });
  EXPECT_NEAR(outside / v.size(), 0.0455, 0.004);
}

TEST_P(RandomDistributionsTest, TruncatedNormalBoundsAndStatistics) {
  auto v = random::truncated_normal({100000},
                                    {.mean = -1.0, .stddev = 0.5, .dtype = float64, .seed = 12})
               .to_vector<double>();
  Moments m = moments(v);
  EXPECT_GE(m.min, -1.0 - 2 * 0.5);
  EXPECT_LE(m.max, -1.0 + 2 * 0.5);
  EXPECT_LT(m.min, -1.9);  // the whole range is used
  EXPECT_GT(m.max, -0.1);
  EXPECT_NEAR(m.mean, -1.0, 0.01);
  // The standard deviation of N(0, 1) truncated to [-2, 2] is 0.8796.
  EXPECT_NEAR(m.stddev, 0.5 * 0.8796, 0.01);
  auto f = random::truncated_normal({100000}, {.seed = 13}).to_vector<float>();
  for (float x : f) ASSERT_LE(std::abs(x), 2.0f);
}

TEST_P(RandomDistributionsTest, UniformRangeAndStatistics) {
  auto v =
      random::uniform({100000}, {.minval = -2.0, .maxval = 6.0, .seed = 21}).to_vector<double>();
  Moments m = moments(v);
  EXPECT_GE(m.min, -2.0);
  EXPECT_LT(m.max, 6.0);
  EXPECT_NEAR(m.mean, 2.0, 0.05);
  EXPECT_NEAR(m.stddev, 8.0 / std::sqrt(12.0), 0.03);
  // maxval stays excluded even where rounding to a narrow dtype would reach it.
  for (DType d : {float16, bfloat16, float32, float64}) {
    auto w = random::uniform({20000}, {.minval = 0.0, .maxval = 1.0, .dtype = d, .seed = 22})
                 .to_vector<double>();
    for (double x : w) ASSERT_TRUE(x >= 0.0 && x < 1.0) << dtype_name(d) << " " << x;
    auto t = random::uniform({20000}, {.minval = 1.0, .maxval = 1.001, .dtype = d, .seed = 23})
                 .to_vector<double>();
    for (double x : t) ASSERT_LT(x, 1.001) << dtype_name(d);
  }
}

TEST_P(RandomDistributionsTest, RandintRangeAndDtypes) {
  Tensor x = random::randint({60000}, -3, 5, {.seed = 31});
  EXPECT_EQ(x.dtype(), int32);
  std::map<int, int> counts;
  for (int v : x.to_vector<int32_t>()) counts[v]++;
  ASSERT_EQ(counts.size(), 8u);
  EXPECT_EQ(counts.begin()->first, -3);
  EXPECT_EQ(counts.rbegin()->first, 4);
  for (auto [v, c] : counts) EXPECT_NEAR(c, 7500, 400) << v;
  for (DType d : {int8, int16, int64, uint8, uint16, uint32, uint64}) {
    Tensor y = random::randint({100}, 0, 100, {.dtype = d, .seed = 32});
    EXPECT_EQ(y.dtype(), d);
    for (double v : y.to_vector<double>()) ASSERT_TRUE(v >= 0 && v < 100);
  }
  auto big = random::randint({1000}, INT64_MIN, INT64_MAX, {.dtype = int64, .seed = 33})
                 .to_vector<int64_t>();
  EXPECT_GT(std::count_if(big.begin(), big.end(), [](int64_t v) { return v < 0; }), 400);
  EXPECT_EQ(random::randint({5}, 7, 8, {.seed = 1}).to_vector<int32_t>(),
            (std::vector<int32_t>{7, 7, 7, 7, 7}));
}

TEST_P(RandomDistributionsTest, LargeDrawsDoNotDependOnTheThreadSplit) {
  // Over ~1M elements generation runs in chunks on several threads; element i is a function of
  // (seed, i) alone, so a longer draw extends a shorter one.
  auto big = random::normal({3000001}, {.seed = 8}).to_vector<float>();
  auto mid = random::normal({2000003}, {.seed = 8}).to_vector<float>();
  auto small = random::normal({7}, {.seed = 8}).to_vector<float>();
  EXPECT_TRUE(std::equal(mid.begin(), mid.end(), big.begin()));
  EXPECT_TRUE(std::equal(small.begin(), small.end(), big.begin()));
  auto ubig = random::uniform({2500003}, {.seed = 9}).to_vector<float>();
  auto usmall = random::uniform({1300001}, {.seed = 9}).to_vector<float>();
  EXPECT_TRUE(std::equal(usmall.begin(), usmall.end(), ubig.begin()));
}

TEST_P(RandomDistributionsTest, Errors) {
  expect_throws_with([] { random::normal({2}, {.dtype = int32}); },
                     "random::normal requires a floating point `dtype`. Received: dtype=int32");
  expect_throws_with([] { random::uniform({2}, {.dtype = bool_}); },
                     "random::uniform requires a floating point `dtype`. Received: dtype=bool");
  expect_throws_with([] { random::truncated_normal({2}, {.dtype = uint8}); },
                     "random::truncated_normal requires a floating point `dtype`");
  expect_throws_with(
      [] {
        random::normal({2, Shape::kNone});
      },
      "random::normal: shape (2, None) must be fully defined");
  expect_throws_with([] { random::uniform({2}, {.maxval = INFINITY}); },
                     "random::uniform: `maxval` must be finite");
  expect_throws_with([] { random::randint({2}, 0, 10, {.dtype = float32}); },
                     "random::randint requires an integer `dtype`. Received: dtype=float32");
  expect_throws_with([] { random::randint({2}, 5, 5); },
                     "random::randint: `minval` must be less than `maxval`. Received: minval=5, "
                     "maxval=5");
  expect_throws_with([] { random::randint({2}, 0, 300, {.dtype = uint8}); },
                     "random::randint: the range [0, 300) does not fit in dtype uint8 ([0, 255])");
  expect_throws_with([] { random::randint({2}, -1, 3, {.dtype = uint32}); },
                     "does not fit in dtype uint32");
  expect_throws_with([] { random::normal({2}, {.backend = "nope"}); }, "nope");
}

KERAS_INSTANTIATE_BACKEND_TEST(RandomDistributionsTest);

}  // namespace
}  // namespace keras
