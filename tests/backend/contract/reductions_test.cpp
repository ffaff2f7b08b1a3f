// Reductions, arg reductions and cumulative scans: axes patterns, empty tensors, NaN, wrap-around.
#include <cmath>
#include <numeric>

#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

TEST_P(BackendContract, ReduceEveryAxesPattern) {
  std::vector<double> v(24);
  std::iota(v.begin(), v.end(), 0);
  Tensor x = make<double>(v, {2, 3, 4});
  auto naive = [&](std::vector<bool> red) {
    std::vector<double> out;
    int n0 = red[0] ? 1 : 2, n1 = red[1] ? 1 : 3, n2 = red[2] ? 1 : 4;
    for (int i = 0; i < n0; ++i)
      for (int j = 0; j < n1; ++j)
        for (int k = 0; k < n2; ++k) {
          double s = 0;
          for (int a = 0; a < 2; ++a)
            for (int b = 0; b < 3; ++b)
              for (int c = 0; c < 4; ++c)
                if ((red[0] || a == i) && (red[1] || b == j) && (red[2] || c == k))
                  s += v[(a * 3 + b) * 4 + c];
          out.push_back(s);
        }
    return out;
  };
  for (std::vector<int> axes : {std::vector<int>{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}}) {
    std::vector<bool> red(3, false);
    for (int a : axes) red[a] = true;
    EXPECT_EQ(get<double>(be().reduce(ReduceOp::Sum, x, axes, false)), naive(red));
    EXPECT_EQ(be().reduce(ReduceOp::Sum, x, axes, true).ndim(), 3);
  }
  EXPECT_EQ(be().reduce(ReduceOp::Sum, x, std::vector<int>{0, 2}, true).shape(), (Shape{1, 3, 1}));
  EXPECT_EQ(get<double>(be().reduce(ReduceOp::Max, x, std::vector<int>{1}, false)),
            (std::vector<double>{8, 9, 10, 11, 20, 21, 22, 23}));
  EXPECT_EQ(get<double>(be().reduce(ReduceOp::Min, x, std::vector<int>{2}, false)),
            (std::vector<double>{0, 4, 8, 12, 16, 20}));
  // Three axes out of four, not adjacent.
  Tensor z = be().reshape(be().arange(1, 1, 24, DType::Int64), {2, 3, 2, 2});
  EXPECT_EQ(get<int64_t>(be().reduce(ReduceOp::Prod, z, std::vector<int>{0, 2, 3}, false))[0],
            1LL * 2 * 3 * 4 * 13 * 14 * 15 * 16);
}

TEST_P(BackendContract, ReduceKeepdimsAndEmptyAxes) {
  Tensor x = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  // Empty axes: x unchanged.
  for (ReduceOp op : {ReduceOp::Sum, ReduceOp::Max}) {
    Tensor same = be().reduce(op, x, std::vector<int>{}, false);
    EXPECT_EQ(same.shape(), x.shape());
    EXPECT_EQ(get<float>(same), get<float>(x));
  }
  EXPECT_EQ(get<float>(be().reduce(ReduceOp::Sum, x, std::vector<int>{0}, false)),
            (std::vector<float>{5, 7, 9}));
  Tensor kd = be().reduce(ReduceOp::Prod, x, std::vector<int>{1}, true);
  EXPECT_EQ(kd.shape(), (Shape{2, 1}));
  EXPECT_EQ(get<float>(kd), (std::vector<float>{6, 120}));
  Tensor all = be().reduce(ReduceOp::Prod, x, std::vector<int>{0, 1}, false);
  EXPECT_EQ(all.shape(), Shape{});
  EXPECT_EQ(get<float>(all), (std::vector<float>{720}));
  Tensor all_kd = be().reduce(ReduceOp::Max, x, std::vector<int>{0, 1}, true);
  EXPECT_EQ(all_kd.shape(), (Shape{1, 1}));
  EXPECT_EQ(get<float>(all_kd), (std::vector<float>{6}));
  EXPECT_EQ(get<double>(be().reduce(ReduceOp::Prod, make<double>({1, 2, 3, 4}, {2, 2}),
                                    std::vector<int>{0}, false)),
            (std::vector<double>{3, 8}));
}

TEST_P(BackendContract, ReduceEmptyTensors) {
  Tensor e = be().full({0, 3}, DType::Float32, 0);
  EXPECT_EQ(get<float>(be().reduce(ReduceOp::Sum, e, std::vector<int>{0}, false)),
            (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(get<float>(be().reduce(ReduceOp::Prod, e, std::vector<int>{0}, false)),
            (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::All, e, std::vector<int>{0, 1}, false)),
            (std::vector<uint8_t>{1}));
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::Any, e, std::vector<int>{0, 1}, false)),
            (std::vector<uint8_t>{0}));
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::All, make<float>({}, {0}), std::vector<int>{0}, false)),
            (std::vector<uint8_t>{1}));
  // Reducing the non-empty axis of an empty tensor gives an empty result, no error.
  EXPECT_EQ(be().reduce(ReduceOp::Max, e, std::vector<int>{1}, false).shape(), (Shape{0}));
}

TEST_P(BackendContract, ReduceNaNAndBoolAnyAll) {
  // NaN propagates through max/min.
  Tensor n = make<float>({1, NAN, 3, 2, 5, 1}, {2, 3});
  auto m = get<float>(be().reduce(ReduceOp::Max, n, std::vector<int>{1}, false));
  EXPECT_TRUE(std::isnan(m[0]));
  EXPECT_EQ(m[1], 5);
  auto m0 = get<float>(be().reduce(ReduceOp::Min, n, std::vector<int>{0}, false));
  EXPECT_EQ(m0[0], 1);
  EXPECT_TRUE(std::isnan(m0[1]));
  auto md = get<double>(
      be().reduce(ReduceOp::Min, make<double>({1.0, kNaN, -1.0}), std::vector<int>{0}, false));
  EXPECT_TRUE(std::isnan(md[0]));
  // Any / All return bool; NaN is true.
  Tensor y = make<float>({0, NAN, 0, 0}, {2, 2});
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::Any, y, std::vector<int>{1}, false)),
            (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::All, y, std::vector<int>{0}, true)),
            (std::vector<uint8_t>{0, 0}));
}

TEST_P(BackendContract, ReduceIntegersWrapInTheirDtype) {
  std::vector<int> a0{0};
  Tensor i8 = make<int8_t>({100, 100, 0});
  EXPECT_EQ(get<int8_t>(be().reduce(ReduceOp::Sum, i8, a0, false)), (std::vector<int8_t>{-56}));
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::All, i8, a0, false))[0], 0);
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::Any, i8, a0, false))[0], 1);
  EXPECT_EQ(get<uint16_t>(be().reduce(ReduceOp::Sum, make<uint16_t>({65535, 2}), a0, false)),
            (std::vector<uint16_t>{1}));
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::Sum, make_bool({0, 1, 1}, {3}), a0, false)),
            (std::vector<uint8_t>{1}));
  EXPECT_EQ(get<int32_t>(be().reduce(ReduceOp::Prod, make<int32_t>({1 << 16, 1 << 16}), a0, false)),
            (std::vector<int32_t>{0}));
  EXPECT_EQ(
      get<uint64_t>(be().reduce(ReduceOp::Max, make<uint64_t>({1, UINT64_MAX, 2}), a0, false)),
      (std::vector<uint64_t>{UINT64_MAX}));
  EXPECT_EQ(get<uint64_t>(be().reduce(ReduceOp::Min, make<uint64_t>({UINT64_MAX, 2}), a0, false)),
            (std::vector<uint64_t>{2}));
}

TEST_P(BackendContract, ReduceAccuracy) {
  std::vector<int> a0{0};
  float s = get<float>(
      be().reduce(ReduceOp::Sum, be().full({3000000}, DType::Float32, 0.1), a0, false))[0];
  EXPECT_NEAR(s, 300000.0, 0.05);
  auto cs = get<float>(
      be().reduce(ReduceOp::Sum, be().full({100000, 3}, DType::Float32, 0.1), a0, false));
  EXPECT_NEAR(cs[2], 10000.0, 0.01);
  // Half precision sums in float32.
  EXPECT_EQ(
      as_double(be().reduce(ReduceOp::Sum, be().full({1000}, DType::Float16, 1), a0, false))[0],
      1000);
  Tensor h = be().reduce(ReduceOp::Sum, make_f({0.1, 0.2, 0.3}, {3}, DType::Float16), a0, false);
  EXPECT_EQ(h.dtype(), DType::Float16);
  expect_close(as_double(h), {0.6}, 1e-3);
}

TEST_P(BackendContract, ArgReduceFindsTheFirstExtremum) {
  // NaN counts as the maximum and the minimum.
  Tensor x = make<float>({1, 3, 3, 0, NAN, 2, 5, 5, -1}, {3, 3});
  Tensor am = be().arg_reduce(ArgReduceOp::ArgMax, x, 1, false);
  EXPECT_EQ(am.dtype(), DType::Int32);
  EXPECT_EQ(get<int32_t>(am), (std::vector<int32_t>{1, 1, 0}));
  EXPECT_EQ(get<int32_t>(be().arg_reduce(ArgReduceOp::ArgMin, x, 1, false)),
            (std::vector<int32_t>{0, 1, 2}));
  Tensor a0 = be().arg_reduce(ArgReduceOp::ArgMax, x, 0, true);
  EXPECT_EQ(a0.shape(), (Shape{1, 3}));
  EXPECT_EQ(get<int32_t>(a0), (std::vector<int32_t>{2, 1, 0}));
  Tensor y = make<float>({1, 5, 5, NAN, 2, NAN}, {2, 3});
  EXPECT_EQ(get<int32_t>(be().arg_reduce(ArgReduceOp::ArgMax, y, 1, false)),
            (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(get<int32_t>(be().arg_reduce(ArgReduceOp::ArgMin, y, 1, false)),
            (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(get<int32_t>(be().arg_reduce(ArgReduceOp::ArgMax, y, 0, true)),
            (std::vector<int32_t>{1, 0, 1}));
  EXPECT_EQ(get<int32_t>(be().arg_reduce(ArgReduceOp::ArgMin, make<uint8_t>({4, 2, 2}), 0, false)),
            (std::vector<int32_t>{1}));
  EXPECT_EQ(get<int32_t>(be().arg_reduce(ArgReduceOp::ArgMax, make_bool({0, 1, 1}, {3}), 0, false)),
            (std::vector<int32_t>{1}));
  EXPECT_EQ(
      get<int32_t>(be().arg_reduce(ArgReduceOp::ArgMax, make<uint64_t>({1, UINT64_MAX}), 0, false)),
      (std::vector<int32_t>{1}));
}

TEST_P(BackendContract, Cumulative) {
  Tensor x = make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(get<int32_t>(be().cumulative(CumulativeOp::Sum, x, 1, false)),
            (std::vector<int32_t>{1, 3, 6, 4, 9, 15}));
  EXPECT_EQ(get<int32_t>(be().cumulative(CumulativeOp::Sum, x, 1, true)),
            (std::vector<int32_t>{6, 5, 3, 15, 11, 6}));
  EXPECT_EQ(get<int32_t>(be().cumulative(CumulativeOp::Sum, x, 0, false)),
            (std::vector<int32_t>{1, 2, 3, 5, 7, 9}));
  EXPECT_EQ(get<int32_t>(be().cumulative(CumulativeOp::Prod, x, 0, true)),
            (std::vector<int32_t>{4, 10, 18, 4, 5, 6}));
  EXPECT_EQ(get<int32_t>(be().cumulative(CumulativeOp::Prod, make<int32_t>({1, 2, 3, 4}), 0, true)),
            (std::vector<int32_t>{24, 24, 12, 4}));
  auto m = get<double>(be().cumulative(CumulativeOp::Max, make<double>({1, 3, kNaN, 5}), 0, false));
  EXPECT_EQ(m[0], 1);
  EXPECT_EQ(m[1], 3);
  EXPECT_TRUE(std::isnan(m[2]));
  EXPECT_TRUE(std::isnan(m[3]));
  EXPECT_EQ(get<float>(be().cumulative(CumulativeOp::Min, make<float>({3, 1, 2}), 0, false)),
            (std::vector<float>{3, 1, 1}));
  EXPECT_EQ(
      get<float>(be().cumulative(CumulativeOp::Min, make<float>({3, 1, 2, 0}, {2, 2}), 1, true)),
      (std::vector<float>{1, 1, 0, 0}));
  EXPECT_EQ(get<int8_t>(be().cumulative(CumulativeOp::Sum, make<int8_t>({100, 100}), 0, false)),
            (std::vector<int8_t>{100, -56}));
  EXPECT_EQ(get_bool(be().cumulative(CumulativeOp::Sum, make_bool({0, 1, 0}, {3}), 0, false)),
            (std::vector<uint8_t>{0, 1, 1}));
  EXPECT_EQ(get_bool(be().cumulative(CumulativeOp::Prod, make_bool({1, 0, 1}, {3}), 0, false)),
            (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_EQ(get<uint64_t>(
                be().cumulative(CumulativeOp::Max, make<uint64_t>({1, UINT64_MAX, 2}), 0, false)),
            (std::vector<uint64_t>{1, UINT64_MAX, UINT64_MAX}));
  expect_close(as_double(be().cumulative(CumulativeOp::Sum, make_f({1, 2, 3}, {3}, DType::Float16),
                                         0, false)),
               {1, 3, 6});
}

}  // namespace
}  // namespace keras::backend::contract
