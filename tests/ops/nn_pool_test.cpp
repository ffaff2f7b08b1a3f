// Pooling ops against double-precision reference loops: max_pool and average_pool over 1D/2D/3D,
// strides, same/valid padding (average over non-padding elements), channels_first, symbolic
// shapes, errors and gradients.
#include <algorithm>
#include <limits>

#include "ops/nn_testing.hpp"

namespace keras {
namespace {

using namespace nn_testing;

class NnPoolTest : public testing::BackendTest {};

// Channels_last reference pooling.
std::pair<std::vector<double>, Shape> ref_pool(const Tensor& xt, std::vector<int64_t> pool,
                                               std::vector<int64_t> st, bool same, bool is_max) {
  std::vector<double> x = xt.to_vector<double>();
  const Shape& xs = xt.shape();
  int nd = xs.rank() - 2;
  Shape ys{xs[0]};
  std::vector<int64_t> pb;
  for (int d = 0; d < nd; ++d) {
    int64_t in = xs[1 + d];
    int64_t out = same ? (in + st[d] - 1) / st[d] : (in - pool[d]) / st[d] + 1;
    ys.push_back(out);
    pb.push_back(same ? std::max<int64_t>((out - 1) * st[d] + pool[d] - in, 0) / 2 : 0);
  }
  ys.push_back(xs.back());
  Shape win(pool.begin(), pool.end());
  std::vector<double> y(ys.num_elements());
  for (int64_t f = 0; f < ys.num_elements(); ++f) {
    auto idx = unravel(f, ys);
    double acc = is_max ? -std::numeric_limits<double>::infinity() : 0.0;
    int64_t count = 0;
    for (int64_t w = 0; w < win.num_elements(); ++w) {
      auto off = unravel(w, win);
      std::vector<int64_t> xi{idx[0]};
      bool inside = true;
      for (int d = 0; d < nd; ++d) {
        int64_t p = idx[1 + d] * st[d] + off[d] - pb[d];
        inside = inside && p >= 0 && p < xs[1 + d];
        xi.push_back(p);
      }
      if (!inside) continue;
      xi.push_back(idx.back());
      double v = x[ravel(xi, xs)];
      acc = is_max ? std::max(acc, v) : acc + v;
      ++count;
    }
    y[f] = is_max ? acc : acc / count;
  }
  return {y, ys};
}

struct PoolCase {
  std::string name;
  Shape x;
  std::vector<int64_t> pool;
  std::optional<std::vector<int64_t>> strides;
  bool same;
};

std::vector<PoolCase> pool_cases() {
  return {
      {"1d default strides", {2, 7, 3}, {2}, std::nullopt, false},
      {"1d same s2", {1, 7, 2}, {3}, std::vector<int64_t>{2}, true},
      {"2d valid", {2, 5, 6, 3}, {2, 3}, std::vector<int64_t>{1, 2}, false},
      {"2d same", {1, 5, 5, 2}, {3, 3}, std::vector<int64_t>{2, 2}, true},
      {"2d same s1", {1, 4, 5, 1}, {2, 3}, std::vector<int64_t>{1, 1}, true},
      {"2d overlapping", {1, 6, 6, 2}, {3, 3}, std::vector<int64_t>{1, 2}, false},
      {"3d same", {1, 4, 3, 5, 2}, {2, 2, 3}, std::vector<int64_t>{2, 1, 2}, true},
      {"3d valid", {2, 4, 4, 4, 1}, {2, 2, 2}, std::nullopt, false},
  };
}

TEST_P(NnPoolTest, MatchesReference) {
  for (const auto& c : pool_cases()) {
    Tensor x = testing::test_values(c.x, -2, 2, 21);
    ops::PoolOptions o{.padding = c.same ? "same" : "valid", .data_format = "channels_last"};
    if (c.strides) o.strides = Ints(*c.strides);
    std::vector<int64_t> st = c.strides ? *c.strides : c.pool;
    for (bool is_max : {true, false}) {
      auto [ref, rs] = ref_pool(x, c.pool, st, c.same, is_max);
      std::string what = c.name + (is_max ? " max" : " avg");
      Tensor y = is_max ? ops::max_pool(x, c.pool, o) : ops::average_pool(x, c.pool, o);
      ASSERT_EQ(y.shape(), rs) << what;
      expect_close(y, ref, 1e-12, what);
      Tensor x32 = ops::cast(x, DType::Float32);
      Tensor y32 = is_max ? ops::max_pool(x32, c.pool, o) : ops::average_pool(x32, c.pool, o);
      EXPECT_EQ(y32.dtype(), DType::Float32);
      expect_close(y32, ref, 1e-6, what + " float32");
      // channels_first gives the transposed result.
      std::vector<int64_t> to_first{0, c.x.rank() - 1}, to_last{0};
      for (int i = 1; i < c.x.rank() - 1; ++i) to_first.push_back(i);
      for (int i = 2; i < c.x.rank(); ++i) to_last.push_back(i);
      to_last.push_back(1);
      ops::PoolOptions of = o;
      of.data_format = "channels_first";
      Tensor xf = ops::transpose(x, to_first);
      Tensor yf = is_max ? ops::max_pool(xf, c.pool, of) : ops::average_pool(xf, c.pool, of);
      expect_close(ops::transpose(yf, to_last), ref, 1e-12, what + " channels_first");
    }
  }
}

TEST_P(NnPoolTest, HandComputed) {
  Tensor x = f32({1, 5, 2, 4, 3}, {1, 5, 1});
  expect_close(ops::max_pool(x, 2), {5, 4});
  expect_close(ops::average_pool(x, 2), {3, 3});
  // "same", stride 2: windows [1 5] [2 4] [3 pad]; the average ignores the padding.
  expect_close(ops::max_pool(x, 2, {.padding = "same"}), {5, 4, 3});
  expect_close(ops::average_pool(x, 2, {.padding = "same"}), {3, 3, 3});
  expect_close(ops::average_pool(x, 3, {.strides = 1, .padding = "same"}),
               {3, 8.0 / 3, 11.0 / 3, 3, 3.5});
  // Integers: max_pool keeps the dtype, average_pool computes in floatx.
  Tensor xi = i32({1, 5, 2, 4}, {1, 4, 1});
  Tensor mi = ops::max_pool(xi, 2);
  EXPECT_EQ(mi.dtype(), DType::Int32);
  EXPECT_EQ(mi.to_vector<int32_t>(), (std::vector<int32_t>{5, 4}));
  Tensor ai = ops::average_pool(xi, 2);
  EXPECT_EQ(ai.dtype(), DType::Float32);
  expect_close(ai, {3, 3});
  // max_pool of -inf values and of all-negative windows padded by "same".
  expect_close(ops::max_pool(f32({-INFINITY, -3, -2}, {1, 3, 1}), 2, {.padding = "same"}),
               {-3, -2});
}

TEST_P(NnPoolTest, SymbolicShapes) {
  Tensor x = Tensor::symbolic({Shape::kNone, 32, Shape::kNone, 3}, DType::Float32);
  EXPECT_EQ(ops::max_pool(x, 2).shape(), (Shape{Shape::kNone, 16, Shape::kNone, 3}));
  EXPECT_EQ(ops::average_pool(x, {3, 2}, {.strides = 2, .padding = "same"}).shape(),
            (Shape{Shape::kNone, 16, Shape::kNone, 3}));
  EXPECT_EQ(ops::max_pool(x, 3, {.strides = 1}).shape(),
            (Shape{Shape::kNone, 30, Shape::kNone, 3}));
  Tensor xf = Tensor::symbolic({2, 3, 9, 8}, DType::Float16);
  Tensor y = ops::average_pool(xf, 2, {.data_format = "channels_first"});
  EXPECT_EQ(y.shape(), (Shape{2, 3, 4, 4}));
  EXPECT_EQ(y.dtype(), DType::Float16);
  EXPECT_EQ(ops::average_pool(Tensor::symbolic({1, 4, 2}, DType::Int32), 2).dtype(),
            DType::Float32);
}

TEST_P(NnPoolTest, Errors) {
  Tensor x = f32(std::vector<float>(2 * 4 * 4 * 3, 1.0f), {2, 4, 4, 3});
  expect_error<ValueError>(
      [&] {
        ops::max_pool(f32({1, 2, 3}, {1, 3}), 2);
      },
      {"ops::max_pool", "rank 3, 4 or 5", "(1, 3)"});
  expect_error<ValueError>(
      [&] {
        ops::max_pool(x, {2, 2, 2});
      },
      {"ops::max_pool", "pool_size", "(2, 2, 2)"});
  expect_error<ValueError>([&] { ops::average_pool(x, 5); },
                           {"ops::average_pool", "zero or negative", "(2, 4, 4, 3)"});
  expect_error<ValueError>([&] { ops::average_pool(x, 2, {.strides = 0}); },
                           {"ops::average_pool", "strides", "positive"});
  expect_error<ValueError>([&] { ops::max_pool(x, 2, {.padding = "causal"}); },
                           {"ops::max_pool", "padding", "causal"});
  expect_error<ValueError>([&] { ops::max_pool(x, 2, {.data_format = "channels_middle"}); },
                           {"ops::max_pool", "data_format", "channels_middle"});
}

TEST_P(NnPoolTest, Gradients) {
  for (const auto& c : pool_cases()) {
    ops::PoolOptions o{.padding = c.same ? "same" : "valid"};
    if (c.strides) o.strides = Ints(*c.strides);
    // Distinct values, so every window's maximum is unique and max_pool is differentiable.
    Tensor x = testing::test_values(c.x, -3, 3, 31);
    testing::expect_gradients_match(
        [&](const std::vector<Tensor>& in) { return ops::max_pool(in[0], c.pool, o); }, {x},
        c.name + " max");
    testing::expect_gradients_match(
        [&](const std::vector<Tensor>& in) { return ops::average_pool(in[0], c.pool, o); }, {x},
        c.name + " avg");
  }
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& in) {
        return ops::max_pool(in[0], 2, {.padding = "same", .data_format = "channels_first"});
      },
      {testing::test_values({1, 2, 3, 3})}, "max channels_first");
}

TEST_P(NnPoolTest, MaxPoolGradientGoesToTheFirstMaximum) {
  Tensor x = f64({1, 3, 3, 2}, {1, 4, 1});
  Tensor g = keras::grad([](const std::vector<Tensor>& in) {
    return ops::sum(ops::max_pool(in[0], 3, {.strides = 1}));
  })({x})[0];
  expect_close(g, {0, 2, 0, 0});
}

TEST_P(NnPoolTest, AveragePoolSecondOrder) {
  testing::expect_second_gradients_match(
      [](const std::vector<Tensor>& in) {
        return ops::square(ops::average_pool(in[0], 2, {.strides = 1, .padding = "same"}));
      },
      {testing::test_values({1, 3, 3, 1})}, "avg pool squared");
}

KERAS_INSTANTIATE_BACKEND_TEST(NnPoolTest);

}  // namespace
}  // namespace keras
