// keras.ops math ops: rsqrt, erf, erfinv, logsumexp, top_k, in_top_k, segment_sum, segment_max.
#include <cmath>
#include <limits>

#include "ops/nn_testing.hpp"

namespace keras {
namespace {

using namespace nn_testing;
constexpr double kInf = std::numeric_limits<double>::infinity();

class MathTest : public testing::BackendTest {};

TEST_P(MathTest, UnaryValues) {
  expect_close(ops::rsqrt(f32({1, 4, 100})), {1, 0.5, 0.1});
  expect_close(ops::rsqrt(f64({0, 2})), {kInf, 1 / std::sqrt(2.0)}, 1e-14);
  // ops.npz erf__values.
  expect_close(ops::erf(f32({-0.883793830871582f, -1.404890537261963f, 0.6803645491600037f,
                             0.638670802116394f, -1.905335783958435f, -2.299855947494507f})),
               {-0.7886541485786438, -0.9530571103096008, 0.6640412211418152, 0.6335892081260681,
                -0.9929516315460205, -0.9988560080528259},
               1e-6, "erf");
  Tensor y = f64({-0.9, -0.3, 0, 0.5, 0.99});
  expect_close(ops::erf(ops::erfinv(y)), y.to_vector<double>(), 1e-12, "erf(erfinv)");
  expect_close(ops::erfinv(f64({-1, 1})), {-kInf, kInf});
  EXPECT_EQ(ops::rsqrt(i32({4})).dtype(), DType::Float32);
  EXPECT_EQ(ops::erf(ops::cast(f32({1}), DType::Float16)).dtype(), DType::Float16);
}

TEST_P(MathTest, LogsumexpFixturesAndExtremes) {
  // ops.npz logsumexp__large_values and logsumexp__neg_inf_entries.
  Tensor a = f32({1000, 1000, -1000, -1.0000000150474662e+30f, 0, 88}, {2, 3});
  expect_close(ops::logsumexp(a, {.axis = -1}), {1000.6931762695312, 88.0}, 1e-7);
  Tensor b = f32({-INFINITY, 1, 2, 3, -INFINITY, -INFINITY}, {2, 3});
  expect_close(ops::logsumexp(b, {.axis = 1}), {2.3132617473602295, 3.0}, 1e-7);
  // All -inf gives -inf, +inf gives +inf, an empty reduction gives -inf.
  expect_close(ops::logsumexp(f32({-INFINITY, -INFINITY})), {-kInf});
  expect_close(ops::logsumexp(f32({INFINITY, 1})), {kInf});
  Tensor empty = ops::logsumexp(ops::zeros({2, 0}), {.axis = 1});
  EXPECT_EQ(empty.shape(), (Shape{2}));
  expect_close(empty, {-kInf, -kInf});
  // axis none, keepdims, integer input.
  Tensor x = f64({0, 1, 2, 3, 4, 5}, {2, 3});
  double all =
      std::log(std::exp(0) + std::exp(1) + std::exp(2) + std::exp(3) + std::exp(4) + std::exp(5));
  expect_close(ops::logsumexp(x), {all}, 1e-14);
  Tensor k = ops::logsumexp(x, {.axis = 0, .keepdims = true});
  EXPECT_EQ(k.shape(), (Shape{1, 3}));
  expect_close(k,
               {std::log(1 + std::exp(3)), std::log(std::exp(1) + std::exp(4)),
                std::log(std::exp(2) + std::exp(5))},
               1e-14);
  Tensor xi = ops::logsumexp(i32({0, 0}));
  EXPECT_EQ(xi.dtype(), DType::Float32);
  expect_close(xi, {std::log(2.0)});
  Tensor s = ops::logsumexp(Tensor::symbolic({Shape::kNone, 4}, DType::Int32), {.axis = -1});
  EXPECT_EQ(s.shape(), (Shape{Shape::kNone}));
  EXPECT_EQ(s.dtype(), DType::Float32);
  expect_error<ValueError>([&] { ops::logsumexp(x, {.axis = 2}); }, {"ops::logsumexp", "axis 2"});
}

TEST_P(MathTest, TopK) {
  // ops.npz top_k__distinct.
  Tensor x =
      f32({1.3726863861083984f,   0.338875412940979f,    -0.2734663784503937f, -1.1620783805847168f,
           -0.2846657633781433f,  0.29038864374160767f,  -0.9690008759498596f, 1.420600414276123f,
           -1.8641626834869385f,  1.308476448059082f,    -0.8509142398834229f, -0.5608054399490356f,
           -0.22517934441566467f, -0.5500257611274719f,  0.751863420009613f,   0.8605601787567139f,
           -0.3829597532749176f,  -0.05837656930088997f, 1.040669322013855f,   -1.0708028078079224f,
           1.5425302982330322f},
          {3, 7});
  auto [values, indices] = ops::top_k(x, 3);
  EXPECT_EQ(values.shape(), (Shape{3, 3}));
  EXPECT_EQ(indices.dtype(), DType::Int32);
  expect_close(values, {1.3726863861083984, 0.338875412940979, 0.29038864374160767,
                        1.420600414276123, 1.308476448059082, -0.22517934441566467,
                        1.5425302982330322, 1.040669322013855, 0.8605601787567139});
  EXPECT_EQ(indices.to_vector<int32_t>(), (std::vector<int32_t>{0, 1, 5, 0, 2, 5, 6, 4, 1}));
  // ops.npz top_k__ties_values; ties keep the lower index first.
  Tensor t = f32({3, 1, 3, 2, 1, 3, 0, -0.0f, 5, -1, 5, 0}, {2, 6});
  auto [tv, ti] = ops::top_k(t, 4);
  expect_close(tv, {3, 3, 3, 2, 5, 5, 0, 0});
  EXPECT_EQ(ti.to_vector<int32_t>(), (std::vector<int32_t>{0, 2, 5, 3, 2, 4, 0, 1}));
  auto [iv, ii] = ops::top_k(i32({4, 9, 1}), 2);
  EXPECT_EQ(iv.dtype(), DType::Int32);
  EXPECT_EQ(iv.to_vector<int32_t>(), (std::vector<int32_t>{9, 4}));
  auto [sv, si] = ops::top_k(Tensor::symbolic({Shape::kNone, 10}, DType::Float32), 3);
  EXPECT_EQ(sv.shape(), (Shape{Shape::kNone, 3}));
  EXPECT_EQ(si.dtype(), DType::Int32);
  expect_error<ValueError>([&] { ops::top_k(x, 8); }, {"ops::top_k", "k=8", "(3, 7)"});
  expect_error<ValueError>([&] { ops::top_k(Tensor(1.0f), 1); }, {"ops::top_k", "rank"});
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& in) { return ops::top_k(in[0], 2).first; },
      {testing::test_values({3, 4})}, "top_k");
}

TEST_P(MathTest, InTopK) {
  Tensor predictions = f32({0.1f, 0.4f, 0.6f, 0.9f, 0.5f, 0.1f, 0.7f, 0.9f, 0.8f, 0.3f}, {2, 5});
  EXPECT_EQ(ops::in_top_k(i32({2, 4}), predictions, 2).to_vector<bool>(),
            (std::vector<bool>{true, false}));
  EXPECT_EQ(ops::in_top_k(i32({3, 3}), predictions, 2).to_vector<bool>(),
            (std::vector<bool>{true, true}));
  // Ties at the boundary count as in; NaN and out-of-range targets are never in.
  Tensor tied = f32({1, 2, 2, 0, NAN, 5}, {2, 3});
  EXPECT_EQ(ops::in_top_k(i32({1, 1}), tied, 1).to_vector<bool>(),
            (std::vector<bool>{true, false}));
  EXPECT_EQ(ops::in_top_k(i32({2, 7}), tied, 2).to_vector<bool>(),
            (std::vector<bool>{true, false}));
  Tensor s = ops::in_top_k(Tensor::symbolic({Shape::kNone}, DType::Int32),
                           Tensor::symbolic({Shape::kNone, 5}, DType::Float32), 1);
  EXPECT_EQ(s.dtype(), DType::Bool);
  EXPECT_EQ(s.shape(), (Shape{Shape::kNone}));
  expect_error<ValueError>(
      [&] {
        ops::in_top_k(i32({1, 2, 3}), predictions, 1);
      },
      {"ops::in_top_k", "targets.shape=(3,)", "predictions.shape=(2, 5)"});
  expect_error<TypeError>(
      [&] {
        ops::in_top_k(f32({1, 2}), predictions, 1);
      },
      {"ops::in_top_k", "float32"});
}

TEST_P(MathTest, SegmentSum) {
  // ops.npz segment_sum__num_segments.
  Tensor data =
      f32({1.4955135583877563f, -1.0078412294387817f, -0.4983283579349518f, -0.9970765709877014f,
           0.12019166350364685f, -0.5075916051864624f, 1.311209797859192f, 1.8330214023590088f,
           -1.0086714029312134f, 0.30423715710639954f, -0.6988198161125183f, -1.0703389644622803f},
          {6, 2});
  Tensor ids = i32({0, 0, 2, 2, 2, 3});
  Tensor y = ops::segment_sum(data, ids, 4);
  EXPECT_EQ(y.shape(), (Shape{4, 2}));
  expect_close(y,
               {0.997185230255127, -2.004917860031128, 0.0, 0.0, 0.42273008823394775,
                1.6296669244766235, -0.6988198161125183, -1.0703389644622803},
               1e-6);
  // Default num_segments = max id + 1; negative and too-large ids are dropped; integers stay.
  Tensor yi = ops::segment_sum(i32({1, 2, 10, 20, 100}), i32({0, 0, -1, 1, 1}));
  EXPECT_EQ(yi.dtype(), DType::Int32);
  EXPECT_EQ(yi.to_vector<int32_t>(), (std::vector<int32_t>{3, 120}));
  EXPECT_EQ(ops::segment_sum(i32({1, 2, 3}), i32({0, 5, 1}), 2).to_vector<int32_t>(),
            (std::vector<int32_t>{1, 3}));
  Tensor s = ops::segment_sum(Tensor::symbolic({Shape::kNone, 3}, DType::Float32),
                              Tensor::symbolic({Shape::kNone}, DType::Int32), 5);
  EXPECT_EQ(s.shape(), (Shape{5, 3}));
  expect_error<ValueError>(
      [&] {
        ops::segment_sum(data, i32({0, 1}, {1, 2}));
      },
      {"ops::segment_sum", "1-D", "(1, 2)"});
  expect_error<ValueError>(
      [&] {
        ops::segment_sum(data, i32({0, 1}));
      },
      {"ops::segment_sum", "leading dimension", "(2,)", "(6, 2)"});
  expect_error<TypeError>(
      [&] {
        ops::segment_sum(data, f32({0, 0, 1, 1, 2, 2}));
      },
      {"ops::segment_sum", "integer", "float32"});
  testing::expect_gradients_match(
      [&](const std::vector<Tensor>& in) {
        return ops::segment_sum(in[0], i32({1, 0, 1, -1, 3}), 4);
      },
      {testing::test_values({5, 2})}, "segment_sum");
}

TEST_P(MathTest, SegmentMax) {
  Tensor data = f64({1, 5, 3, -2, 7, 0}, {3, 2});
  Tensor y = ops::segment_max(data, i32({0, 1, 0}), 3);
  expect_close(y, {7, 5, 3, -2, -kInf, -kInf});
  Tensor yi = ops::segment_max(i32({4, 9, 2}), i32({1, 1, 0}));
  EXPECT_EQ(yi.dtype(), DType::Int32);
  EXPECT_EQ(yi.to_vector<int32_t>(), (std::vector<int32_t>{2, 9}));
  testing::expect_gradients_match(
      [&](const std::vector<Tensor>& in) {
        return ops::segment_max(in[0], i32({0, 1, 0, 1, 2}), 3);
      },
      {testing::test_values({5, 3})}, "segment_max");
  // Ties split the gradient equally.
  Tensor g = keras::grad([](const std::vector<Tensor>& in) {
    return ops::sum(ops::segment_max(in[0], i32({0, 0, 0}), 1));
  })({f64({2, 2, 1})})[0];
  expect_close(g, {0.5, 0.5, 0});
}

TEST_P(MathTest, Gradients) {
  Tensor pos = testing::test_values({5}, 0.5, 3);
  testing::expect_gradients_match([](const auto& in) { return ops::rsqrt(in[0]); }, {pos}, "rsqrt");
  Tensor x = testing::test_values({2, 3}, -1.5, 1.5);
  testing::expect_gradients_match([](const auto& in) { return ops::erf(in[0]); }, {x}, "erf");
  testing::expect_gradients_match([](const auto& in) { return ops::erfinv(in[0]); },
                                  {testing::test_values({4}, -0.8, 0.8)}, "erfinv");
  testing::expect_gradients_match([](const auto& in) { return ops::logsumexp(in[0]); }, {x},
                                  "logsumexp all");
  testing::expect_gradients_match(
      [](const auto& in) { return ops::logsumexp(in[0], {.axis = 0, .keepdims = true}); }, {x},
      "logsumexp axis 0");
  testing::expect_second_gradients_match(
      [](const auto& in) { return ops::logsumexp(in[0], {.axis = -1}); }, {x}, "logsumexp");
  testing::expect_second_gradients_match([](const auto& in) { return ops::rsqrt(in[0]); }, {pos},
                                         "rsqrt");
  // Rows of -inf get a zero (finite) gradient.
  Tensor g = keras::grad([](const std::vector<Tensor>& in) {
    return ops::sum(ops::logsumexp(in[0], {.axis = 1}));
  })({f32({-INFINITY, -INFINITY, 0, 1}, {2, 2})})[0];
  expect_close(g, {0, 0, 1 / (1 + std::exp(1.0)), std::exp(1.0) / (1 + std::exp(1.0))});
}

KERAS_INSTANTIATE_BACKEND_TEST(MathTest);

}  // namespace
}  // namespace keras
