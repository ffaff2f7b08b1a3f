// Unary elementwise kernels: NumPy's rounding, integer wrap-around, stable activations, dtypes.
#include <cmath>

#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

TEST_P(BackendContract, UnaryRoundingFamily) {
  Tensor x = make<double>({0.5, 1.5, 2.5, -0.5, -1.5, -2.7, 2.7});
  EXPECT_EQ(get<double>(be().unary(UnaryOp::Round, x)),
            (std::vector<double>{0, 2, 2, -0., -2, -3, 3}));
  EXPECT_EQ(get<double>(be().unary(UnaryOp::Floor, x)),
            (std::vector<double>{0, 1, 2, -1, -2, -3, 2}));
  EXPECT_EQ(get<double>(be().unary(UnaryOp::Ceil, x)),
            (std::vector<double>{1, 2, 3, -0., -1, -2, 3}));
  EXPECT_EQ(get<double>(be().unary(UnaryOp::Trunc, x)),
            (std::vector<double>{0, 1, 2, 0, -1, -2, 2}));
  EXPECT_EQ(
      get<float>(be().unary(UnaryOp::Round, make<float>({0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 2.6f}))),
      (std::vector<float>{0.0f, 2.0f, 2.0f, -0.0f, -2.0f, 3.0f}));
  EXPECT_EQ(get<int32_t>(be().unary(UnaryOp::Round, make<int32_t>({3, -4}))),
            (std::vector<int32_t>{3, -4}));
  EXPECT_EQ(get<int64_t>(be().unary(UnaryOp::Floor, make<int64_t>({INT64_MAX}))),
            (std::vector<int64_t>{INT64_MAX}));
}

TEST_P(BackendContract, UnarySignAbsAndIntegerWrapAround) {
  auto s = get<double>(be().unary(UnaryOp::Sign, make<double>({-2, 0, 3, kNaN})));
  EXPECT_EQ(s[0], -1);
  EXPECT_EQ(s[1], 0);
  EXPECT_EQ(s[2], 1);
  EXPECT_TRUE(std::isnan(s[3]));
  EXPECT_EQ(get<int32_t>(be().unary(UnaryOp::Sign, make<int32_t>({-7, 0, 9}))),
            (std::vector<int32_t>{-1, 0, 1}));
  EXPECT_EQ(get<int8_t>(be().unary(UnaryOp::Negative, make<int8_t>({-128, 5}))),
            (std::vector<int8_t>{-128, -5}));
  EXPECT_EQ(get<int8_t>(be().unary(UnaryOp::Abs, make<int8_t>({-128, -5, 4}))),
            (std::vector<int8_t>{-128, 5, 4}));
  EXPECT_EQ(get<uint8_t>(be().unary(UnaryOp::Negative, make<uint8_t>({1}))),
            (std::vector<uint8_t>{255}));
  EXPECT_EQ(get<uint32_t>(be().unary(UnaryOp::Negative, make<uint32_t>({1, 0}))),
            (std::vector<uint32_t>{4294967295u, 0}));
  EXPECT_EQ(get<int32_t>(be().unary(UnaryOp::Square, make<int32_t>({-3, 65536}))),
            (std::vector<int32_t>{9, 0}));
  EXPECT_EQ(get<uint16_t>(be().unary(UnaryOp::Square, make<uint16_t>({300}))),
            (std::vector<uint16_t>{static_cast<uint16_t>(90000 % 65536)}));
  EXPECT_EQ(get<int32_t>(be().unary(UnaryOp::Reciprocal, make<int32_t>({1, -1, 2, 0}))),
            (std::vector<int32_t>{1, -1, 0, 0}));
}

TEST_P(BackendContract, UnaryBitwiseNot) {
  EXPECT_EQ(get<int16_t>(be().unary(UnaryOp::BitwiseNot, make<int16_t>({0, -1}))),
            (std::vector<int16_t>{-1, 0}));
  EXPECT_EQ(get<uint16_t>(be().unary(UnaryOp::BitwiseNot, make<uint16_t>({0, 65535}))),
            (std::vector<uint16_t>{65535, 0}));
  EXPECT_EQ(get<uint64_t>(be().unary(UnaryOp::BitwiseNot, make<uint64_t>({0}))),
            (std::vector<uint64_t>{UINT64_MAX}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::BitwiseNot, make_bool({0, 1}, {2}))),
            (std::vector<uint8_t>{1, 0}));
}

TEST_P(BackendContract, UnaryStableActivations) {
  Tensor x = make<double>({-1000, -30, 0, 30, 1000});
  auto sig = get<double>(be().unary(UnaryOp::Sigmoid, x));
  EXPECT_EQ(sig[0], 0);
  EXPECT_NEAR(sig[1], 9.357622968840175e-14, 1e-25);
  EXPECT_EQ(sig[2], 0.5);
  EXPECT_EQ(sig[4], 1);
  auto sp = get<double>(be().unary(UnaryOp::Softplus, x));
  EXPECT_EQ(sp[0], 0);
  EXPECT_NEAR(sp[1], 9.357622968840175e-14, 1e-25);
  EXPECT_NEAR(sp[2], std::log(2.0), 1e-15);
  EXPECT_EQ(sp[4], 1000);
  expect_close(
      as_double(be().unary(UnaryOp::Softplus, make<double>({-800.0, 0.0, 30.0, 800.0, kNaN}))),
      {0.0, std::log(2.0), 30.0 + std::log1p(std::exp(-30.0)), 800.0, kNaN}, 1e-15);
  auto ls = get<double>(be().unary(UnaryOp::LogSigmoid, x));
  EXPECT_EQ(ls[0], -1000);
  EXPECT_NEAR(ls[2], -std::log(2.0), 1e-15);
  EXPECT_NEAR(ls[4], 0, 1e-300);
  expect_close(as_double(be().unary(UnaryOp::LogSigmoid, make<double>({-100.0, 0.0}))),
               {-100.0, -std::log(2.0)}, 1e-12);
  auto silu = get<double>(be().unary(UnaryOp::Silu, x));
  EXPECT_EQ(silu[0], -0.0);
  EXPECT_EQ(silu[4], 1000);
  expect_close(as_double(be().unary(UnaryOp::Silu, make<double>({1.0}))),
               {1.0 / (1.0 + std::exp(-1.0))}, 1e-12);
  Tensor xf = make<float>({-100.f, 100.f});
  auto sf = get<float>(be().unary(UnaryOp::Sigmoid, xf));
  EXPECT_NEAR(sf[0], 0.f, 4e-44f);  // may be flushed to 0, never NaN
  EXPECT_EQ(sf[1], 1.f);
  expect_close(as_double(be().unary(UnaryOp::Sigmoid, make<float>({0.0f}))), {0.5});
  auto spf = get<float>(be().unary(UnaryOp::Softplus, xf));
  EXPECT_EQ(spf[1], 100.f);
  EXPECT_FALSE(std::isnan(spf[0]));
}

TEST_P(BackendContract, UnaryGeluAndTranscendentals) {
  std::vector<double> v{-3, -1, -0.5, 0, 0.5, 1, 3};
  auto ge = get<double>(be().unary(UnaryOp::GeluExact, make(v)));
  auto gt = get<double>(be().unary(UnaryOp::GeluTanh, make(v)));
  for (size_t i = 0; i < v.size(); ++i) {
    double a = v[i];
    EXPECT_NEAR(ge[i], 0.5 * a * (1 + std::erf(a / std::sqrt(2.0))), 1e-15);
    EXPECT_NEAR(gt[i], 0.5 * a * (1 + std::tanh(std::sqrt(2 / M_PI) * (a + 0.044715 * a * a * a))),
                1e-15);
  }
  EXPECT_NEAR(ge[5], 0.8413447460685429, 1e-15);
  EXPECT_NEAR(ge[1], -0.15865525393145707, 1e-12);
  EXPECT_NEAR(gt[5], 0.8411919906082768, 1e-15);
  expect_close(as_double(be().unary(UnaryOp::Exp2, make<float>({3.0f, -1.0f}))), {8.0, 0.5});
  EXPECT_NEAR(get<float>(be().unary(UnaryOp::Rsqrt, make<float>({4})))[0], 0.5f, 1e-7);
  expect_close(as_double(be().unary(UnaryOp::Rsqrt, make<double>({4.0}))), {0.5}, 1e-15);
  EXPECT_NEAR(get<double>(be().unary(UnaryOp::Arctanh, make<double>({0.5})))[0], std::atanh(0.5),
              1e-15);
  expect_close(as_double(be().unary(UnaryOp::Arccosh, make<double>({1.0}))), {0.0}, 1e-15);
}

// float16 / bfloat16 compute in float32 and round once.
TEST_P(BackendContract, UnaryHalfPrecision) {
  Tensor h = make_f({0, 1, 2}, {3}, DType::Float16);
  Tensor e = be().unary(UnaryOp::Exp, h);
  EXPECT_EQ(e.dtype(), DType::Float16);
  auto ev = as_double(e);
  EXPECT_EQ(ev[0], 1.0);
  EXPECT_NEAR(ev[1], 2.71875, 1e-3);
  EXPECT_NEAR(ev[2], std::exp(2.0), 1e-2);
  Tensor b = make_f({4, 9}, {2}, DType::BFloat16);
  EXPECT_EQ(as_double(be().unary(UnaryOp::Sqrt, b)), (std::vector<double>{2, 3}));
  Tensor t = be().unary(UnaryOp::Tanh, make_f({0.5}, {1}, DType::BFloat16));
  EXPECT_EQ(t.dtype(), DType::BFloat16);
  expect_close(as_double(t), {std::tanh(0.5)}, 1e-2);
}

TEST_P(BackendContract, UnaryErfinv) {
  EXPECT_NEAR(get<double>(be().unary(UnaryOp::Erfinv, make<double>({0.5})))[0], 0.4769362762044699,
              1e-15);
  std::vector<double> ys{-0.999999999, -0.9999, -0.7, -0.3, -1e-10,   1e-300,
                         0.1,          0.5,     0.9,  0.99, 0.999999, 1 - 1e-15};
  auto x = get<double>(be().unary(UnaryOp::Erfinv, make(ys)));
  // The tails are checked through erfc(|x|) = 1 - |y|, loosely: ATen's erfinv is off by up to
  // 0.4% there at y = 1 - 1e-15 (the cpu backend's 1e-14 is in cpu_specific_test.cpp).
  for (size_t i = 0; i < ys.size(); ++i) {
    double y = ys[i];
    if (std::fabs(y) > 0.5)
      EXPECT_NEAR(std::erfc(std::fabs(x[i])), 1 - std::fabs(y), 1e-2 * (1 - std::fabs(y))) << y;
    else
      EXPECT_NEAR(std::erf(x[i]), y, 1e-16 + 1e-15 * std::fabs(y)) << y;
  }
  auto edge = get<double>(be().unary(UnaryOp::Erfinv, make<double>({1, -1, 1.5, kNaN, 0})));
  EXPECT_EQ(edge[0], kInf);
  EXPECT_EQ(edge[1], -kInf);
  EXPECT_TRUE(std::isnan(edge[2]));
  EXPECT_TRUE(std::isnan(edge[3]));
  EXPECT_EQ(edge[4], 0);
  auto f = get<float>(be().unary(UnaryOp::Erfinv, make<float>({0.5f})));
  EXPECT_NEAR(f[0], 0.4769362762f, 1e-7);
}

// Large float32 tensors may take vectorized paths (oneDNN eltwise on cpu): compare with float64.
// The absolute slack is what any float32 evaluation of gelu loses to cancellation in 1 + erf(x).
TEST_P(BackendContract, UnaryLargeFloat32MatchesDouble) {
  auto v = random_values(40000, 11, -20, 20);
  for (double e : {-100.0, 100.0, -1e-6, 0.0, 88.0, -88.0, 1e-30}) v.push_back(e);
  v.push_back(kNaN);
  v.push_back(kInf);
  v.push_back(-kInf);
  Tensor x32 = make_f(v, {static_cast<int64_t>(v.size())}, DType::Float32);
  Tensor back = be().cast(x32, DType::Float64);  // the float32 inputs, exactly
  for (UnaryOp op : {UnaryOp::Exp, UnaryOp::Log, UnaryOp::Tanh, UnaryOp::Sigmoid,
                     UnaryOp::GeluExact, UnaryOp::GeluTanh, UnaryOp::Silu}) {
    SCOPED_TRACE(std::string(unary_op_name(op)));
    Tensor in = op == UnaryOp::Log ? be().unary(UnaryOp::Abs, back) : back;
    auto want = get<double>(be().unary(op, in));
    auto got = as_double(be().unary(op, be().cast(in, DType::Float32)));
    auto xs = get<double>(in);
    int failures = 0;
    for (size_t i = 0; i < want.size() && failures < 5; ++i) {
      if (std::isnan(want[i])) {
        if (!std::isnan(got[i])) ++failures, ADD_FAILURE() << "NaN expected at x = " << xs[i];
      } else if (std::isinf(want[i]) || std::fabs(want[i]) > 3.4e38) {
        if (got[i] != want[i] && !(std::fabs(got[i]) > 3e38))
          ++failures, ADD_FAILURE() << "inf expected at x = " << xs[i] << ", got " << got[i];
      } else if (!(std::fabs(got[i] - want[i]) <= 1e-6 * std::fabs(want[i]) + 5e-7)) {
        ++failures, ADD_FAILURE() << "x = " << xs[i] << ": " << got[i] << " vs " << want[i];
      }
    }
  }
}

TEST_P(BackendContract, UnaryLargeTensors) {
  auto v = random_values(200001, 7, -5, 5);
  auto y = get<double>(be().unary(UnaryOp::Tanh, make(v)));
  for (size_t i = 0; i < v.size(); i += 997) EXPECT_NEAR(y[i], std::tanh(v[i]), 1e-15);
  EXPECT_NEAR(y.back(), std::tanh(v.back()), 1e-15);
}

TEST_P(BackendContract, UnaryPredicatesReturnBool) {
  Tensor x = make<float>({0, 1, NAN, INFINITY, -INFINITY});
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsNan, x)), (std::vector<uint8_t>{0, 0, 1, 0, 0}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsInf, x)), (std::vector<uint8_t>{0, 0, 0, 1, 1}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsFinite, x)), (std::vector<uint8_t>{1, 1, 0, 0, 0}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::LogicalNot, x)), (std::vector<uint8_t>{1, 0, 0, 0, 0}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsFinite, make<double>({kInf, 1.0, kNaN}))),
            (std::vector<uint8_t>{0, 1, 0}));
  Tensor i = make<int32_t>({0, 3});
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsFinite, i)), (std::vector<uint8_t>{1, 1}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsNan, i)), (std::vector<uint8_t>{0, 0}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsInf, make<int32_t>({1}))), (std::vector<uint8_t>{0}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::LogicalNot, make<int32_t>({0, 2}))),
            (std::vector<uint8_t>{1, 0}));
}

TEST_P(BackendContract, UnaryEveryOpEveryDtypeKeepsShapeAndDtype) {
  for (int d = 0; d < kNumDTypes; ++d) {
    DType dt = static_cast<DType>(d);
    Tensor x = be().arange(-2, 1, 5, dt);
    for (int o = 0; o < kNumUnaryOps; ++o) {
      auto op = static_cast<UnaryOp>(o);
      try {
        Tensor y = be().unary(op, x);
        EXPECT_EQ(y.shape(), x.shape());
        EXPECT_EQ(y.dtype(), unary_op_returns_bool(op) ? DType::Bool : dt);
      } catch (const TypeError&) {
      }
    }
  }
}

}  // namespace
}  // namespace keras::backend::contract
