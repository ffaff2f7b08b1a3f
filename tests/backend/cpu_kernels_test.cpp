// Kernel-level tests of the cpu backend: each Backend kernel called directly, with the dtype
// edge cases NumPy/Keras define (rounding, integer division, NaN handling, saturation, ...).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "keras/backend/backend.hpp"

namespace keras {
namespace {

using backend::ArgReduceOp;
using backend::BinaryOp;
using backend::CumulativeOp;
using backend::PadMode;
using backend::ReduceOp;
using backend::ScatterReduction;
using backend::UnaryOp;

backend::Backend& be() { return backend::get_backend("cpu"); }

template <class T>
Tensor make(const std::vector<T>& v, const Shape& s, DType dt = dtype_of<T>()) {
  return be().from_host(v.data(), s, dt);
}
Tensor make_bool(const std::vector<uint8_t>& v, const Shape& s) {
  return be().from_host(v.data(), s, DType::Bool);
}
template <class T>
std::vector<T> get(const Tensor& t) {
  EXPECT_EQ(dtype_size(t.dtype()), sizeof(T));
  std::vector<T> out(static_cast<size_t>(t.size()));
  if (!out.empty()) be().to_host(t, out.data());
  return out;
}
std::vector<uint8_t> get_bool(const Tensor& t) {
  EXPECT_EQ(t.dtype(), DType::Bool);
  return get<uint8_t>(t);
}
std::vector<double> as_double(const Tensor& t) {
  Tensor c = be().cast(t, DType::Float64);
  return get<double>(c);
}
std::vector<double> random_values(size_t n, uint32_t seed, double lo = -1, double hi = 1) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> d(lo, hi);
  std::vector<double> v(n);
  for (auto& x : v) x = d(gen);
  return v;
}
void expect_near_all(const std::vector<double>& a, const std::vector<double>& b, double tol) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], tol) << "at " << i;
}
// Expects `f` to throw E whose message contains every string in `parts`.
template <class E, class F>
void expect_error(F&& f, std::vector<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "expected an exception";
  } catch (const E& e) {
    std::string msg = e.what();
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << msg;
  }
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------- info, memory

TEST(CpuKernels, Info) {
  auto info = be().info();
  EXPECT_EQ(info.name, "cpu");
  EXPECT_EQ(be().name(), "cpu");
  EXPECT_NE(info.device.find("CPU"), std::string::npos);
  EXPECT_GE(info.num_threads, 1);
  EXPECT_NE(info.libraries.find("oneDNN 2."), std::string::npos) << info.libraries;
  EXPECT_NE(info.libraries.find("OpenBLAS"), std::string::npos) << info.libraries;
  EXPECT_TRUE(be().has_native(backend::FusedKernel::Conv));
  EXPECT_TRUE(be().has_native(backend::FusedKernel::LogSoftmax));
}

TEST(CpuKernels, HostRoundTripEveryDtype) {
  for (int d = 0; d < kNumDTypes; ++d) {
    DType dt = static_cast<DType>(d);
    Tensor x = be().arange(0, 1, 7, dt);
    EXPECT_EQ(x.dtype(), dt);
    std::vector<unsigned char> raw(7 * dtype_size(dt));
    be().to_host(x, raw.data());
    Tensor y = be().from_host(raw.data(), Shape{7}, dt);
    auto v = as_double(y);
    for (int i = 0; i < 7; ++i) EXPECT_EQ(v[i], dt == DType::Bool ? (i != 0) : i);
  }
  // bool input bytes are normalized to 0/1
  std::vector<uint8_t> b{0, 2, 255};
  EXPECT_EQ(get_bool(make_bool(b, {3})), (std::vector<uint8_t>{0, 1, 1}));
  // empty and scalar tensors
  EXPECT_EQ(be().full({0, 3}, DType::Float32, 1).size(), 0);
  EXPECT_EQ(get<int64_t>(be().full({}, DType::Int64, -5)), (std::vector<int64_t>{-5}));
}

TEST(CpuKernels, FullAndArange) {
  EXPECT_EQ(get<int32_t>(be().arange(0, 0.5, 5, DType::Int32)),
            (std::vector<int32_t>{0, 0, 1, 1, 2}));
  EXPECT_EQ(get<float>(be().arange(1, -0.25, 3, DType::Float32)),
            (std::vector<float>{1, 0.75f, 0.5f}));
  EXPECT_EQ(get<uint8_t>(be().full({2}, DType::UInt8, 300)), (std::vector<uint8_t>{255, 255}));
  auto big = be().full({100000}, DType::Float64, 2.5);
  auto v = get<double>(big);
  EXPECT_EQ(v.front(), 2.5);
  EXPECT_EQ(v.back(), 2.5);
}

TEST(CpuKernels, CastSaturatesAndNeverCrashes) {
  Tensor x = make<double>({kNaN, 1e20, -1e20, 2.9, -2.9, 0.0, kInf}, {7});
  EXPECT_EQ(get<int32_t>(be().cast(x, DType::Int32)),
            (std::vector<int32_t>{0, std::numeric_limits<int32_t>::max(),
                                  std::numeric_limits<int32_t>::min(), 2, -2, 0,
                                  std::numeric_limits<int32_t>::max()}));
  EXPECT_EQ(get<uint8_t>(be().cast(x, DType::UInt8)),
            (std::vector<uint8_t>{0, 255, 0, 2, 0, 0, 255}));
  EXPECT_EQ(get<int64_t>(be().cast(x, DType::Int64))[1], std::numeric_limits<int64_t>::max());
  EXPECT_EQ(get_bool(be().cast(x, DType::Bool)), (std::vector<uint8_t>{1, 1, 1, 1, 1, 0, 1}));
  auto h = be().cast(make<float>({1.5f, 65504.f, 1e6f, -0.0f}, {4}), DType::Float16);
  EXPECT_EQ(as_double(h), (std::vector<double>{1.5, 65504, kInf, 0}));
  auto bf = be().cast(make<float>({1.0f, 3.140625f}, {2}), DType::BFloat16);
  EXPECT_EQ(as_double(bf), (std::vector<double>{1.0, 3.140625}));
  auto fromb = be().cast(make_bool({1, 0}, {2}), DType::Float32);
  EXPECT_EQ(get<float>(fromb), (std::vector<float>{1, 0}));
  // Same dtype: a new handle that shares the data.
  Tensor s = be().cast(x, DType::Float64);
  EXPECT_NE(s.id(), x.id());
  EXPECT_EQ(s.impl()->storage, x.impl()->storage);
}

// ---------------------------------------------------------------- unary

TEST(CpuKernels, UnaryRoundingFamily) {
  Tensor x = make<double>({0.5, 1.5, 2.5, -0.5, -1.5, -2.7, 2.7}, {7});
  EXPECT_EQ(get<double>(be().unary(UnaryOp::Round, x)),
            (std::vector<double>{0, 2, 2, -0., -2, -3, 3}));
  EXPECT_EQ(get<double>(be().unary(UnaryOp::Floor, x)),
            (std::vector<double>{0, 1, 2, -1, -2, -3, 2}));
  EXPECT_EQ(get<double>(be().unary(UnaryOp::Ceil, x)),
            (std::vector<double>{1, 2, 3, -0., -1, -2, 3}));
  EXPECT_EQ(get<double>(be().unary(UnaryOp::Trunc, x)),
            (std::vector<double>{0, 1, 2, 0, -1, -2, 2}));
  Tensor xf = make<float>({0.5f, 1.5f, 2.5f}, {3});
  EXPECT_EQ(get<float>(be().unary(UnaryOp::Round, xf)), (std::vector<float>{0, 2, 2}));
  Tensor xi = make<int32_t>({3, -4}, {2});
  EXPECT_EQ(get<int32_t>(be().unary(UnaryOp::Round, xi)), (std::vector<int32_t>{3, -4}));
}

TEST(CpuKernels, UnarySignAbsNegativeIntegers) {
  auto s = get<double>(be().unary(UnaryOp::Sign, make<double>({-2, 0, 3, kNaN}, {4})));
  EXPECT_EQ(s[0], -1);
  EXPECT_EQ(s[1], 0);
  EXPECT_EQ(s[2], 1);
  EXPECT_TRUE(std::isnan(s[3]));
  EXPECT_EQ(get<int32_t>(be().unary(UnaryOp::Sign, make<int32_t>({-7, 0, 9}, {3}))),
            (std::vector<int32_t>{-1, 0, 1}));
  EXPECT_EQ(get<int8_t>(be().unary(UnaryOp::Negative, make<int8_t>({-128, 5}, {2}))),
            (std::vector<int8_t>{-128, -5}));
  EXPECT_EQ(get<int8_t>(be().unary(UnaryOp::Abs, make<int8_t>({-128, -5}, {2}))),
            (std::vector<int8_t>{-128, 5}));
  EXPECT_EQ(get<uint8_t>(be().unary(UnaryOp::Negative, make<uint8_t>({1}, {1}))),
            (std::vector<uint8_t>{255}));
  EXPECT_EQ(get<int32_t>(be().unary(UnaryOp::Square, make<int32_t>({-3, 65536}, {2}))),
            (std::vector<int32_t>{9, 0}));
  EXPECT_EQ(get<int16_t>(be().unary(UnaryOp::BitwiseNot, make<int16_t>({0, -1}, {2}))),
            (std::vector<int16_t>{-1, 0}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::BitwiseNot, make_bool({0, 1}, {2}))),
            (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(get<int32_t>(be().unary(UnaryOp::Relu, make<int32_t>({-3, 4}, {2}))),
            (std::vector<int32_t>{0, 4}));
}

TEST(CpuKernels, UnaryStableActivations) {
  Tensor x = make<double>({-1000, -30, 0, 30, 1000}, {5});
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
  auto ls = get<double>(be().unary(UnaryOp::LogSigmoid, x));
  EXPECT_EQ(ls[0], -1000);
  EXPECT_NEAR(ls[2], -std::log(2.0), 1e-15);
  EXPECT_NEAR(ls[4], 0, 1e-300);
  auto silu = get<double>(be().unary(UnaryOp::Silu, x));
  EXPECT_EQ(silu[0], -0.0);
  EXPECT_EQ(silu[4], 1000);
  Tensor xf = make<float>({-100.f, 100.f}, {2});
  auto sf = get<float>(be().unary(UnaryOp::Sigmoid, xf));
  EXPECT_NEAR(sf[0], 3.7200760e-44f, 1e-45f);  // subnormal, not flushed or NaN
  EXPECT_EQ(sf[1], 1.f);
  auto spf = get<float>(be().unary(UnaryOp::Softplus, xf));
  EXPECT_EQ(spf[1], 100.f);
  EXPECT_FALSE(std::isnan(spf[0]));
}

TEST(CpuKernels, UnaryGeluAndTranscendentals) {
  std::vector<double> v{-3, -1, -0.5, 0, 0.5, 1, 3};
  Tensor x = make<double>(v, {7});
  auto ge = get<double>(be().unary(UnaryOp::GeluExact, x));
  auto gt = get<double>(be().unary(UnaryOp::GeluTanh, x));
  for (size_t i = 0; i < v.size(); ++i) {
    double a = v[i];
    EXPECT_NEAR(ge[i], 0.5 * a * (1 + std::erf(a / std::sqrt(2.0))), 1e-15);
    EXPECT_NEAR(gt[i], 0.5 * a * (1 + std::tanh(std::sqrt(2 / M_PI) * (a + 0.044715 * a * a * a))),
                1e-15);
  }
  EXPECT_NEAR(ge[5], 0.8413447460685429, 1e-15);
  EXPECT_NEAR(gt[5], 0.8411919906082768, 1e-15);
  // A sample of the float ops on float16 / bfloat16 (computed in float).
  Tensor h = be().cast(make<double>({0, 1, 2}, {3}), DType::Float16);
  auto e = as_double(be().unary(UnaryOp::Exp, h));
  EXPECT_NEAR(e[1], std::exp(1.0), 2e-3);
  EXPECT_NEAR(e[2], std::exp(2.0), 1e-2);
  Tensor b = be().cast(make<double>({4, 9}, {2}), DType::BFloat16);
  EXPECT_EQ(as_double(be().unary(UnaryOp::Sqrt, b)), (std::vector<double>{2, 3}));
  EXPECT_NEAR(get<float>(be().unary(UnaryOp::Rsqrt, make<float>({4}, {1})))[0], 0.5f, 1e-7);
  EXPECT_NEAR(get<double>(be().unary(UnaryOp::Arctanh, make<double>({0.5}, {1})))[0],
              std::atanh(0.5), 1e-15);
}

TEST(CpuKernels, UnaryErfinv) {
  EXPECT_NEAR(get<double>(be().unary(UnaryOp::Erfinv, make<double>({0.5}, {1})))[0],
              0.4769362762044699, 1e-15);
  std::vector<double> ys{-0.999999999, -0.9999, -0.7, -0.3, -1e-10,   1e-300,
                         0.1,          0.5,     0.9,  0.99, 0.999999, 1 - 1e-15};
  auto x = get<double>(be().unary(UnaryOp::Erfinv, make<double>(ys, {12})));
  for (size_t i = 0; i < ys.size(); ++i) {
    double y = ys[i];
    if (std::fabs(y) > 0.5)
      EXPECT_NEAR(std::erfc(std::fabs(x[i])), 1 - std::fabs(y), 1e-14 * (1 - std::fabs(y))) << y;
    else
      EXPECT_NEAR(std::erf(x[i]), y, 1e-16 + 1e-15 * std::fabs(y)) << y;
  }
  auto edge = get<double>(be().unary(UnaryOp::Erfinv, make<double>({1, -1, 1.5, kNaN, 0}, {5})));
  EXPECT_EQ(edge[0], kInf);
  EXPECT_EQ(edge[1], -kInf);
  EXPECT_TRUE(std::isnan(edge[2]));
  EXPECT_TRUE(std::isnan(edge[3]));
  EXPECT_EQ(edge[4], 0);
  auto f = get<float>(be().unary(UnaryOp::Erfinv, make<float>({0.5f}, {1})));
  EXPECT_NEAR(f[0], 0.4769362762f, 1e-7);
}

TEST(CpuKernels, UnaryLargeFloat32MatchesDouble) {
  // Large float32 tensors take the oneDNN eltwise path: compare with float64 loops. The
  // absolute slack is what any float32 evaluation of gelu loses to cancellation in 1 + erf(x).
  auto v = random_values(40000, 11, -20, 20);
  for (double e : {-100.0, 100.0, -1e-6, 0.0, 88.0, -88.0, 1e-30}) v.push_back(e);
  v.push_back(kNaN);
  v.push_back(kInf);
  v.push_back(-kInf);
  Shape s{static_cast<int64_t>(v.size())};
  Tensor x64 = make<double>(v, s);
  Tensor x32 = be().cast(x64, DType::Float32);
  Tensor back = be().cast(x32, DType::Float64);  // the float32 inputs, exactly
  for (UnaryOp op : {UnaryOp::Exp, UnaryOp::Log, UnaryOp::Tanh, UnaryOp::Sigmoid,
                     UnaryOp::GeluExact, UnaryOp::GeluTanh, UnaryOp::Silu}) {
    SCOPED_TRACE(std::string(backend::unary_op_name(op)));
    Tensor in = op == UnaryOp::Log ? be().unary(UnaryOp::Abs, back) : back;
    Tensor in32 = be().cast(in, DType::Float32);
    auto want = get<double>(be().unary(op, in));
    auto got = as_double(be().unary(op, in32));
    auto xs = as_double(in);
    int failures = 0;
    for (size_t i = 0; i < want.size() && failures < 5; ++i) {
      double xi = xs[i];
      if (std::isnan(want[i])) {
        if (!std::isnan(got[i])) ++failures, ADD_FAILURE() << "NaN expected at x = " << xi;
      } else if (std::isinf(want[i]) || std::fabs(want[i]) > 3.4e38) {
        if (got[i] != want[i] && !(std::fabs(got[i]) > 3e38))
          ++failures, ADD_FAILURE() << "inf expected at x = " << xi << ", got " << got[i];
      } else if (!(std::fabs(got[i] - want[i]) <= 1e-6 * std::fabs(want[i]) + 5e-7)) {
        ++failures, ADD_FAILURE() << "x = " << xi << ": " << got[i] << " vs " << want[i];
      }
    }
  }
}

TEST(CpuKernels, UnaryBoolResults) {
  Tensor x = make<float>({0, 1, NAN, INFINITY, -INFINITY}, {5});
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsNan, x)), (std::vector<uint8_t>{0, 0, 1, 0, 0}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsInf, x)), (std::vector<uint8_t>{0, 0, 0, 1, 1}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsFinite, x)), (std::vector<uint8_t>{1, 1, 0, 0, 0}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::LogicalNot, x)), (std::vector<uint8_t>{1, 0, 0, 0, 0}));
  Tensor i = make<int32_t>({0, 3}, {2});
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsFinite, i)), (std::vector<uint8_t>{1, 1}));
  EXPECT_EQ(get_bool(be().unary(UnaryOp::IsNan, i)), (std::vector<uint8_t>{0, 0}));
}

TEST(CpuKernels, UnaryRejectsWrongDtypes) {
  expect_error<TypeError>([] { be().unary(UnaryOp::Sqrt, make<int32_t>({4}, {1})); },
                          {"cpu backend", "sqrt", "int32"});
  expect_error<TypeError>([] { be().unary(UnaryOp::BitwiseNot, make<float>({4}, {1})); },
                          {"bitwise_not", "float32"});
  expect_error<TypeError>([] { be().unary(UnaryOp::Erfinv, make_bool({1}, {1})); },
                          {"erfinv", "bool"});
}

TEST(CpuKernels, UnaryEveryOpEveryDtypeDoesNotCrash) {
  for (int d = 0; d < kNumDTypes; ++d) {
    DType dt = static_cast<DType>(d);
    Tensor x = be().arange(-2, 1, 5, dt);
    for (int o = 0; o < backend::kNumUnaryOps; ++o) {
      try {
        Tensor y = be().unary(static_cast<UnaryOp>(o), x);
        EXPECT_EQ(y.shape(), x.shape());
        EXPECT_EQ(y.dtype(),
                  backend::unary_op_returns_bool(static_cast<UnaryOp>(o)) ? DType::Bool : dt);
      } catch (const TypeError&) {
      }
    }
  }
}

TEST(CpuKernels, UnaryLargeParallel) {
  auto v = random_values(200001, 7, -5, 5);
  Tensor x = make<double>(v, {200001});
  auto y = get<double>(be().unary(UnaryOp::Tanh, x));
  for (size_t i = 0; i < v.size(); i += 997) EXPECT_EQ(y[i], std::tanh(v[i]));
  EXPECT_EQ(y.back(), std::tanh(v.back()));
}

// ---------------------------------------------------------------- binary

TEST(CpuKernels, IntegerDivisionFollowsPython) {
  Tensor a = make<int32_t>({-7, 7, 7, -7, 5, std::numeric_limits<int32_t>::min(), 0}, {7});
  Tensor b = make<int32_t>({2, -2, 2, -2, 0, -1, 3}, {7});
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::FloorDivide, a, b)),
            (std::vector<int32_t>{-4, -4, 3, 3, 0, std::numeric_limits<int32_t>::min(), 0}));
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::Mod, a, b)),
            (std::vector<int32_t>{1, -1, 1, -1, 0, 0, 0}));
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::Fmod, a, b)),
            (std::vector<int32_t>{-1, 1, 1, -1, 0, 0, 0}));
  Tensor ua = make<uint8_t>({7, 200}, {2});
  Tensor ub = make<uint8_t>({0, 7}, {2});
  EXPECT_EQ(get<uint8_t>(be().binary(BinaryOp::FloorDivide, ua, ub)),
            (std::vector<uint8_t>{0, 28}));
  EXPECT_EQ(get<uint8_t>(be().binary(BinaryOp::Mod, ua, ub)), (std::vector<uint8_t>{0, 4}));
}

TEST(CpuKernels, FloatDivisionFollowsNumPy) {
  Tensor a = make<double>({-7, 7, -7.5, 7.5, 1, -1, 6}, {7});
  Tensor b = make<double>({2, -2, 2, -2, 0, kInf, 3}, {7});
  auto fd = get<double>(be().binary(BinaryOp::FloorDivide, a, b));
  EXPECT_EQ(fd[0], -4);
  EXPECT_EQ(fd[1], -4);
  EXPECT_EQ(fd[2], -4);
  EXPECT_EQ(fd[3], -4);
  EXPECT_EQ(fd[4], kInf);
  EXPECT_EQ(fd[5], -1);
  EXPECT_EQ(fd[6], 2);
  auto m = get<double>(be().binary(BinaryOp::Mod, a, b));
  EXPECT_EQ(m[0], 1);
  EXPECT_EQ(m[1], -1);
  EXPECT_EQ(m[2], 0.5);
  EXPECT_EQ(m[3], -0.5);
  EXPECT_TRUE(std::isnan(m[4]));
  auto f = get<double>(be().binary(BinaryOp::Fmod, a, b));
  EXPECT_EQ(f[0], -1);
  EXPECT_EQ(f[2], -1.5);
  auto d = get<float>(
      be().binary(BinaryOp::Divide, make<float>({1, -1}, {2}), make<float>({0, 4}, {2})));
  EXPECT_EQ(d[0], INFINITY);
  EXPECT_EQ(d[1], -0.25f);
  expect_error<TypeError>(
      [] { be().binary(BinaryOp::Divide, make<int32_t>({1}, {1}), make<int32_t>({1}, {1})); },
      {"divide", "int32"});
}

TEST(CpuKernels, IntegerPowerAndShifts) {
  Tensor base = make<int32_t>({2, 2, -1, -1, 1, 3, 0, 5}, {8});
  Tensor ex = make<int32_t>({10, -1, -3, -2, -5, 3, 0, 40}, {8});
  auto p = get<int32_t>(be().binary(BinaryOp::Power, base, ex));
  EXPECT_EQ(p[0], 1024);
  EXPECT_EQ(p[1], 0);
  EXPECT_EQ(p[2], -1);
  EXPECT_EQ(p[3], 1);
  EXPECT_EQ(p[4], 1);
  EXPECT_EQ(p[5], 27);
  EXPECT_EQ(p[6], 1);
  uint32_t wrapped = 1;
  for (int i = 0; i < 40; ++i) wrapped *= 5u;
  EXPECT_EQ(p[7], static_cast<int32_t>(wrapped));  // 5**40 wraps like NumPy's int32
  auto pf = get<double>(
      be().binary(BinaryOp::Power, make<double>({2, 4}, {2}), make<double>({-1, 0.5}, {2})));
  EXPECT_EQ(pf, (std::vector<double>{0.5, 2}));
  Tensor a = make<int32_t>({1, -8, -8, 1, 8, 1}, {6});
  Tensor s = make<int32_t>({40, 40, 1, -1, 2, 31}, {6});
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::LeftShift, a, s)),
            (std::vector<int32_t>{0, 0, -16, 0, 32, std::numeric_limits<int32_t>::min()}));
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::RightShift, a, s)),
            (std::vector<int32_t>{0, -1, -4, 0, 2, 0}));
  Tensor u = make<uint8_t>({255, 255}, {2});
  EXPECT_EQ(get<uint8_t>(be().binary(BinaryOp::LeftShift, u, make<uint8_t>({1, 8}, {2}))),
            (std::vector<uint8_t>{254, 0}));
  EXPECT_EQ(get<uint8_t>(be().binary(BinaryOp::RightShift, u, make<uint8_t>({7, 9}, {2}))),
            (std::vector<uint8_t>{1, 0}));
}

TEST(CpuKernels, BinaryMaxMinPropagateNaN) {
  Tensor a = make<double>({1, kNaN, 3, kNaN}, {4});
  Tensor b = make<double>({kNaN, 2, 1, kNaN}, {4});
  auto mx = get<double>(be().binary(BinaryOp::Maximum, a, b));
  auto mn = get<double>(be().binary(BinaryOp::Minimum, a, b));
  for (int i : {0, 1, 3}) {
    EXPECT_TRUE(std::isnan(mx[i]));
    EXPECT_TRUE(std::isnan(mn[i]));
  }
  EXPECT_EQ(mx[2], 3);
  EXPECT_EQ(mn[2], 1);
}

TEST(CpuKernels, BinaryComparisonsLogicalBitwise) {
  Tensor a = make<float>({1, 2, NAN, 0}, {4});
  Tensor b = make<float>({2, 2, NAN, 0}, {4});
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Less, a, b)), (std::vector<uint8_t>{1, 0, 0, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Equal, a, b)), (std::vector<uint8_t>{0, 1, 0, 1}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::NotEqual, a, b)), (std::vector<uint8_t>{1, 0, 1, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::GreaterEqual, a, b)),
            (std::vector<uint8_t>{0, 1, 0, 1}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::LogicalAnd, a, b)), (std::vector<uint8_t>{1, 1, 1, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::LogicalXor, a, make<float>({0, 1, 0, 1}, {4}))),
            (std::vector<uint8_t>{1, 0, 1, 1}));
  Tensor x = make<int16_t>({0b1100, -1}, {2});
  Tensor y = make<int16_t>({0b1010, 5}, {2});
  EXPECT_EQ(get<int16_t>(be().binary(BinaryOp::BitwiseAnd, x, y)), (std::vector<int16_t>{8, 5}));
  EXPECT_EQ(get<int16_t>(be().binary(BinaryOp::BitwiseOr, x, y)), (std::vector<int16_t>{14, -1}));
  EXPECT_EQ(get<int16_t>(be().binary(BinaryOp::BitwiseXor, x, y)), (std::vector<int16_t>{6, -6}));
  Tensor p = make_bool({1, 1, 0}, {3});
  Tensor q = make_bool({1, 0, 0}, {3});
  EXPECT_EQ(get_bool(be().binary(BinaryOp::BitwiseXor, p, q)), (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Add, p, q)), (std::vector<uint8_t>{1, 1, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Multiply, p, q)), (std::vector<uint8_t>{1, 0, 0}));
  expect_error<TypeError>([&] { be().binary(BinaryOp::LeftShift, a, b); },
                          {"left_shift", "float32"});
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::Add, make<int32_t>({2147483647}, {1}),
                                     make<int32_t>({1}, {1})))[0],
            std::numeric_limits<int32_t>::min());
}

TEST(CpuKernels, BinaryBroadcasting) {
  // (2, 1, 3) - (4, 1) -> (2, 4, 3)
  std::vector<double> av(6), bv(4);
  std::iota(av.begin(), av.end(), 0);
  std::iota(bv.begin(), bv.end(), 10);
  Tensor a = make<double>(av, {2, 1, 3});
  Tensor b = make<double>(bv, {4, 1});
  Tensor c = be().binary(BinaryOp::Subtract, a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 4, 3}));
  auto cv = get<double>(c);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 3; ++k) EXPECT_EQ(cv[(i * 4 + j) * 3 + k], av[i * 3 + k] - bv[j]);
  // scalar on either side, 0-d result, empty result
  Tensor s = make<double>({100}, {});
  EXPECT_EQ(get<double>(be().binary(BinaryOp::Subtract, s, a))[5], 95);
  EXPECT_EQ(get<double>(be().binary(BinaryOp::Subtract, a, s))[5], -95);
  EXPECT_EQ(be().binary(BinaryOp::Add, s, s).shape(), Shape{});
  Tensor e = be().full({0, 3}, DType::Float64, 0);
  EXPECT_EQ(be().binary(BinaryOp::Add, e, make<double>({1, 2, 3}, {3})).shape(), (Shape{0, 3}));
  // large, parallel, with a row broadcast (1, 1000) + (300, 1)
  auto rv = random_values(1000, 1), colv = random_values(300, 2);
  Tensor r = make<double>(rv, {1, 1000});
  Tensor col = make<double>(colv, {300, 1});
  auto big = get<double>(be().binary(BinaryOp::Multiply, r, col));
  for (int i = 0; i < 300; i += 7)
    for (int j = 0; j < 1000; j += 13) EXPECT_EQ(big[i * 1000 + j], rv[j] * colv[i]);
  expect_error<ValueError>(
      [&] {
        be().binary(BinaryOp::Add, a, make<double>({1, 2}, {2}));
      },
      {"add"});
}

TEST(CpuKernels, BinaryEveryOpEveryDtypeDoesNotCrash) {
  for (int d = 0; d < kNumDTypes; ++d) {
    DType dt = static_cast<DType>(d);
    Tensor x = be().arange(-3, 1, 6, dt);
    Tensor y = be().arange(2, -1, 6, dt);  // contains 0 and negatives
    for (int o = 0; o < backend::kNumBinaryOps; ++o) {
      try {
        Tensor z = be().binary(static_cast<BinaryOp>(o), x, y);
        EXPECT_EQ(z.shape(), x.shape());
      } catch (const TypeError&) {
      }
    }
  }
}

TEST(CpuKernels, Where) {
  Tensor c = make_bool({1, 0, 1}, {3});
  Tensor a = make<int64_t>({1, 2}, {2, 1});
  Tensor b = make<int64_t>({-1}, {});
  Tensor w = be().where(c, a, b);
  EXPECT_EQ(w.shape(), (Shape{2, 3}));
  EXPECT_EQ(get<int64_t>(w), (std::vector<int64_t>{1, -1, 1, 2, -1, 2}));
  Tensor h = be().where(make_bool({0, 1}, {2}), be().full({2}, DType::Float16, 1),
                        be().full({2}, DType::Float16, 2));
  EXPECT_EQ(as_double(h), (std::vector<double>{2, 1}));
}

// ---------------------------------------------------------------- reductions

TEST(CpuKernels, ReduceAxesPatterns) {
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
  std::vector<std::vector<int>> cases{{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}};
  for (auto& axes : cases) {
    std::vector<bool> red(3, false);
    for (int a : axes) red[a] = true;
    Tensor r = be().reduce(ReduceOp::Sum, x, axes, false);
    EXPECT_EQ(get<double>(r), naive(red));
    Tensor rk = be().reduce(ReduceOp::Sum, x, axes, true);
    EXPECT_EQ(rk.ndim(), 3);
  }
  EXPECT_EQ(be().reduce(ReduceOp::Sum, x, std::vector<int>{0, 2}, true).shape(), (Shape{1, 3, 1}));
  // empty axes: x unchanged
  Tensor same = be().reduce(ReduceOp::Max, x, std::vector<int>{}, false);
  EXPECT_EQ(same.shape(), x.shape());
  EXPECT_EQ(get<double>(same), v);
  auto mx = get<double>(be().reduce(ReduceOp::Max, x, std::vector<int>{1}, false));
  EXPECT_EQ(mx, (std::vector<double>{8, 9, 10, 11, 20, 21, 22, 23}));
  auto mn = get<double>(be().reduce(ReduceOp::Min, x, std::vector<int>{2}, false));
  EXPECT_EQ(mn, (std::vector<double>{0, 4, 8, 12, 16, 20}));
  auto pr = get<double>(
      be().reduce(ReduceOp::Prod, make<double>({1, 2, 3, 4}, {2, 2}), std::vector<int>{0}, false));
  EXPECT_EQ(pr, (std::vector<double>{3, 8}));
}

TEST(CpuKernels, ReduceEdgeCases) {
  Tensor e = be().full({0, 3}, DType::Float32, 0);
  EXPECT_EQ(get<float>(be().reduce(ReduceOp::Sum, e, std::vector<int>{0}, false)),
            (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(get<float>(be().reduce(ReduceOp::Prod, e, std::vector<int>{0}, false)),
            (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::All, e, std::vector<int>{0, 1}, false)),
            (std::vector<uint8_t>{1}));
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::Any, e, std::vector<int>{0, 1}, false)),
            (std::vector<uint8_t>{0}));
  expect_error<ValueError>([&] { be().reduce(ReduceOp::Max, e, std::vector<int>{0}, false); },
                           {"max", "(0, 3)"});
  expect_error<ValueError>(
      [&] {
        be().reduce(ReduceOp::Min, e, std::vector<int>{0, 1}, true);
      },
      {"min", "(0, 3)"});
  // Reducing the non-empty axis of an empty tensor gives an empty result, no error.
  EXPECT_EQ(be().reduce(ReduceOp::Max, e, std::vector<int>{1}, false).shape(), (Shape{0}));
  // NaN propagates through max/min
  Tensor n = make<float>({1, NAN, 3, 2, 5, 1}, {2, 3});
  auto m = get<float>(be().reduce(ReduceOp::Max, n, std::vector<int>{1}, false));
  EXPECT_TRUE(std::isnan(m[0]));
  EXPECT_EQ(m[1], 5);
  auto m0 = get<float>(be().reduce(ReduceOp::Min, n, std::vector<int>{0}, false));
  EXPECT_EQ(m0[0], 1);
  EXPECT_TRUE(std::isnan(m0[1]));
  // integer sums wrap in their dtype; any/all of ints
  Tensor i8 = make<int8_t>({100, 100, 0}, {3});
  EXPECT_EQ(get<int8_t>(be().reduce(ReduceOp::Sum, i8, std::vector<int>{0}, false))[0],
            static_cast<int8_t>(200));
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::All, i8, std::vector<int>{0}, false))[0], 0);
  EXPECT_EQ(get_bool(be().reduce(ReduceOp::Any, i8, std::vector<int>{0}, false))[0], 1);
  // large float32 sum stays accurate
  Tensor big = be().full({3000000}, DType::Float32, 0.1);
  float s = get<float>(be().reduce(ReduceOp::Sum, big, std::vector<int>{0}, false))[0];
  EXPECT_NEAR(s, 300000.0, 0.05);
  Tensor cols = be().full({100000, 3}, DType::Float32, 0.1);
  auto cs = get<float>(be().reduce(ReduceOp::Sum, cols, std::vector<int>{0}, false));
  EXPECT_NEAR(cs[2], 10000.0, 0.01);
  // float16 sum
  Tensor h = be().full({1000}, DType::Float16, 1);
  EXPECT_EQ(as_double(be().reduce(ReduceOp::Sum, h, std::vector<int>{0}, false))[0], 1000);
}

TEST(CpuKernels, ArgReduce) {
  Tensor x = make<float>({1, 3, 3, 0, NAN, 2, 5, 5, -1}, {3, 3});
  Tensor am = be().arg_reduce(ArgReduceOp::ArgMax, x, 1, false);
  EXPECT_EQ(am.dtype(), DType::Int32);
  EXPECT_EQ(get<int32_t>(am), (std::vector<int32_t>{1, 1, 0}));
  EXPECT_EQ(get<int32_t>(be().arg_reduce(ArgReduceOp::ArgMin, x, 1, false)),
            (std::vector<int32_t>{0, 1, 2}));
  Tensor a0 = be().arg_reduce(ArgReduceOp::ArgMax, x, 0, true);
  EXPECT_EQ(a0.shape(), (Shape{1, 3}));
  EXPECT_EQ(get<int32_t>(a0), (std::vector<int32_t>{2, 1, 0}));
  EXPECT_EQ(
      get<int32_t>(be().arg_reduce(ArgReduceOp::ArgMin, make<uint8_t>({4, 2, 2}, {3}), 0, false)),
      (std::vector<int32_t>{1}));
  expect_error<ValueError>(
      [] {
        be().arg_reduce(ArgReduceOp::ArgMax, be().full({2, 0}, DType::Float32, 0), 1, false);
      },
      {"argmax"});
}

TEST(CpuKernels, Cumulative) {
  Tensor x = make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(get<int32_t>(be().cumulative(CumulativeOp::Sum, x, 1, false)),
            (std::vector<int32_t>{1, 3, 6, 4, 9, 15}));
  EXPECT_EQ(get<int32_t>(be().cumulative(CumulativeOp::Sum, x, 1, true)),
            (std::vector<int32_t>{6, 5, 3, 15, 11, 6}));
  EXPECT_EQ(get<int32_t>(be().cumulative(CumulativeOp::Sum, x, 0, false)),
            (std::vector<int32_t>{1, 2, 3, 5, 7, 9}));
  EXPECT_EQ(get<int32_t>(be().cumulative(CumulativeOp::Prod, x, 0, true)),
            (std::vector<int32_t>{4, 10, 18, 4, 5, 6}));
  auto m =
      get<double>(be().cumulative(CumulativeOp::Max, make<double>({1, 3, kNaN, 5}, {4}), 0, false));
  EXPECT_EQ(m[0], 1);
  EXPECT_EQ(m[1], 3);
  EXPECT_TRUE(std::isnan(m[2]));
  EXPECT_TRUE(std::isnan(m[3]));
  EXPECT_EQ(get<float>(be().cumulative(CumulativeOp::Min, make<float>({3, 1, 2}, {3}), 0, false)),
            (std::vector<float>{3, 1, 1}));
}

// ---------------------------------------------------------------- movement

TEST(CpuKernels, ReshapeSharesStorage) {
  Tensor x = be().arange(0, 1, 6, DType::Float32);
  Tensor y = be().reshape(x, {2, 3});
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(y.impl()->storage, x.impl()->storage);
  EXPECT_NE(y.id(), x.id());
  expect_error<ValueError>([&] { be().reshape(x, {4}); }, {"reshape"});
}

TEST(CpuKernels, Transpose) {
  for (auto dims : std::vector<std::pair<int64_t, int64_t>>{{3, 5}, {100, 70}, {513, 257}}) {
    int64_t m = dims.first, n = dims.second;
    Tensor x = be().arange(0, 1, m * n, DType::Int32);
    Tensor t = be().transpose(be().reshape(x, {m, n}), std::vector<int>{1, 0});
    EXPECT_EQ(t.shape(), (Shape{n, m}));
    auto v = get<int32_t>(t);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < m; ++j) ASSERT_EQ(v[i * m + j], j * n + i);
  }
  Tensor x = be().reshape(be().arange(0, 1, 24, DType::Float64), {2, 3, 4});
  Tensor t = be().transpose(x, std::vector<int>{2, 0, 1});
  EXPECT_EQ(t.shape(), (Shape{4, 2, 3}));
  auto v = get<double>(t);
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 2; ++b)
      for (int c = 0; c < 3; ++c) EXPECT_EQ(v[(a * 2 + b) * 3 + c], (b * 3 + c) * 4 + a);
  // batched matrix transpose (0, 2, 1), big enough for the tiled path
  Tensor y = be().reshape(be().arange(0, 1, 3 * 40 * 50, DType::Float16), {3, 40, 50});
  auto yt = as_double(be().transpose(y, std::vector<int>{0, 2, 1}));
  for (int b = 0; b < 3; ++b)
    for (int i = 0; i < 50; ++i)
      for (int j = 0; j < 40; ++j)
        ASSERT_EQ(yt[(b * 50 + i) * 40 + j], float(float16_t(float((b * 40 + j) * 50 + i))));
}

TEST(CpuKernels, BroadcastTo) {
  Tensor x = make<int8_t>({1, 2, 3}, {3, 1});
  Tensor b = be().broadcast_to(x, {2, 3, 4});
  auto v = get<int8_t>(b);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) EXPECT_EQ(v[(i * 3 + j) * 4 + k], j + 1);
  expect_error<ValueError>([&] { be().broadcast_to(x, {2, 3}); }, {"broadcast"});
  EXPECT_EQ(be().broadcast_to(x, {3, 2}).shape(), (Shape{3, 2}));
}

TEST(CpuKernels, SliceWithNegativeSteps) {
  Tensor x = be().reshape(be().arange(0, 1, 20, DType::Int64), {4, 5});
  // x[3:0:-2, ::-1] -> rows 3, 1; cols 4..0
  std::vector<int64_t> start{3, 4}, step{-2, -1};
  Tensor s = be().slice(x, start, step, {2, 5});
  EXPECT_EQ(get<int64_t>(s), (std::vector<int64_t>{19, 18, 17, 16, 15, 9, 8, 7, 6, 5}));
  std::vector<int64_t> start2{1, 1}, step2{1, 2};
  EXPECT_EQ(get<int64_t>(be().slice(x, start2, step2, {2, 2})),
            (std::vector<int64_t>{6, 8, 11, 13}));
  EXPECT_EQ(be().slice(x, start2, step2, {0, 2}).size(), 0);
}

TEST(CpuKernels, SliceUpdate) {
  Tensor x = be().full({3, 4}, DType::Float32, 0);
  Tensor u = make<float>({1, 2, 3, 4}, {2, 2});
  std::vector<int64_t> start{1, 2};
  Tensor y = be().slice_update(x, start, u);
  EXPECT_EQ(get<float>(y), (std::vector<float>{0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4}));
  EXPECT_EQ(get<float>(x)[6], 0);  // input untouched
}

TEST(CpuKernels, Pad) {
  Tensor x = make<int32_t>({1, 2, 3}, {3});
  std::vector<std::pair<int64_t, int64_t>> p{{2, 3}};
  EXPECT_EQ(get<int32_t>(be().pad(x, p, PadMode::Constant, 9)),
            (std::vector<int32_t>{9, 9, 1, 2, 3, 9, 9, 9}));
  EXPECT_EQ(get<int32_t>(be().pad(x, p, PadMode::Reflect, 0)),
            (std::vector<int32_t>{3, 2, 1, 2, 3, 2, 1, 2}));
  EXPECT_EQ(get<int32_t>(be().pad(x, p, PadMode::Symmetric, 0)),
            (std::vector<int32_t>{2, 1, 1, 2, 3, 3, 2, 1}));
  std::vector<std::pair<int64_t, int64_t>> wide{{5, 0}};
  EXPECT_EQ(get<int32_t>(be().pad(x, wide, PadMode::Reflect, 0)),
            (std::vector<int32_t>{2, 1, 2, 3, 2, 1, 2, 3}));
  Tensor m = make<float>({1, 2, 3, 4}, {2, 2});
  std::vector<std::pair<int64_t, int64_t>> p2{{1, 1}, {2, 1}};
  // np.pad([[1,2],[3,4]], ((1,1),(2,1)), 'reflect')
  EXPECT_EQ(get<float>(be().pad(m, p2, PadMode::Reflect, 0)),
            (std::vector<float>{3, 4, 3, 4, 3, 1, 2, 1, 2, 1, 3, 4, 3, 4, 3, 1, 2, 1, 2, 1}));
  EXPECT_EQ(get<float>(be().pad(m, p2, PadMode::Constant, 0.5))[0], 0.5f);
  EXPECT_EQ(be().pad(m, p2, PadMode::Symmetric, 0).shape(), (Shape{4, 5}));
}

TEST(CpuKernels, Concatenate) {
  Tensor a = make<int16_t>({1, 2, 3, 4}, {2, 2});
  Tensor b = make<int16_t>({5, 6}, {2, 1});
  Tensor c = be().full({2, 0}, DType::Int16, 0);
  std::vector<Tensor> xs{a, b, c};
  EXPECT_EQ(get<int16_t>(be().concatenate(xs, 1)), (std::vector<int16_t>{1, 2, 5, 3, 4, 6}));
  std::vector<Tensor> ys{a, a};
  EXPECT_EQ(get<int16_t>(be().concatenate(ys, 0)), (std::vector<int16_t>{1, 2, 3, 4, 1, 2, 3, 4}));
  std::vector<Tensor> bad{a, make<int16_t>({1, 2, 3}, {3, 1})};
  expect_error<ValueError>([&] { be().concatenate(bad, 1); }, {"concatenate"});
}

// ---------------------------------------------------------------- indexing

TEST(CpuKernels, Take) {
  Tensor x = be().reshape(be().arange(0, 1, 12, DType::Float32), {3, 4});
  Tensor idx = make<int32_t>({2, -1, 0, 1}, {2, 2});
  Tensor t0 = be().take(x, idx, 0);
  EXPECT_EQ(t0.shape(), (Shape{2, 2, 4}));
  EXPECT_EQ(get<float>(t0)[4], 8);  // row -1 == row 2
  Tensor t1 = be().take(x, make<int64_t>({3, -4}, {2}), 1);
  EXPECT_EQ(get<float>(t1), (std::vector<float>{3, 0, 7, 4, 11, 8}));
  expect_error<IndexError>([&] { be().take(x, make<int32_t>({5}, {1}), 0); },
                           {"take", "5", "size 3"});
  expect_error<IndexError>([&] { be().take(x, make<int32_t>({-5}, {1}), 1); }, {"take", "-5"});
}

TEST(CpuKernels, TakeAlongAxis) {
  Tensor x = make<double>({10, 30, 20, 60, 50, 40}, {2, 3});
  Tensor idx = make<int32_t>({1, 0, -1, 2}, {2, 2});
  EXPECT_EQ(get<double>(be().take_along_axis(x, idx, 1)), (std::vector<double>{30, 10, 40, 40}));
  Tensor idx0 = make<int64_t>({1, 0, 1}, {1, 3});
  EXPECT_EQ(get<double>(be().take_along_axis(x, idx0, 0)), (std::vector<double>{60, 30, 40}));
  expect_error<IndexError>(
      [&] {
        be().take_along_axis(x, make<int32_t>({3, 0, 0, 0}, {2, 2}), 1);
      },
      {"take_along_axis", "3"});
}

TEST(CpuKernels, IndexAddAndScatterAddAlongAxis) {
  Tensor base = be().full({3, 2}, DType::Float32, 1);
  Tensor src = make<float>({1, 2, 3, 4, 5, 6}, {3, 2});
  Tensor idx = make<int32_t>({0, 2, 0}, {3});
  EXPECT_EQ(get<float>(be().index_add(base, 0, idx, src)), (std::vector<float>{7, 9, 1, 1, 4, 5}));
  Tensor b2 = be().full({2, 3}, DType::Int32, 0);
  Tensor s2 = make<int32_t>({1, 1, 2, 3}, {2, 2});
  Tensor i2 = make<int64_t>({0, 0, 2, -1}, {2, 2});
  EXPECT_EQ(get<int32_t>(be().scatter_add_along_axis(b2, 1, i2, s2)),
            (std::vector<int32_t>{2, 0, 0, 0, 0, 5}));
}

TEST(CpuKernels, ScatterNd) {
  Tensor base = be().full({4}, DType::Float64, 0);
  Tensor idx = make<int32_t>({1, 3, 1}, {3, 1});
  Tensor upd = make<double>({5, 6, 7}, {3});
  EXPECT_EQ(get<double>(be().scatter_nd(base, idx, upd, ScatterReduction::Set)),
            (std::vector<double>{0, 7, 0, 6}));
  EXPECT_EQ(get<double>(be().scatter_nd(base, idx, upd, ScatterReduction::Add)),
            (std::vector<double>{0, 12, 0, 6}));
  EXPECT_EQ(get<double>(be().scatter_nd(base, idx, upd, ScatterReduction::Max)),
            (std::vector<double>{0, 7, 0, 6}));
  EXPECT_EQ(get<double>(be().scatter_nd(base, idx, upd, ScatterReduction::Min)),
            (std::vector<double>{0, 0, 0, 0}));
  EXPECT_EQ(get<double>(be().scatter_nd(be().full({4}, DType::Float64, 1), idx, upd,
                                        ScatterReduction::Multiply)),
            (std::vector<double>{1, 35, 1, 6}));
  // slices: base (2, 3), k = 1
  Tensor b2 = be().full({2, 3}, DType::Int32, 0);
  Tensor i2 = make<int64_t>({-1}, {1, 1});
  Tensor u2 = make<int32_t>({1, 2, 3}, {1, 3});
  EXPECT_EQ(get<int32_t>(be().scatter_nd(b2, i2, u2, ScatterReduction::Set)),
            (std::vector<int32_t>{0, 0, 0, 1, 2, 3}));
  expect_error<IndexError>(
      [&] {
        be().scatter_nd(b2, make<int64_t>({2}, {1, 1}), u2, ScatterReduction::Set);
      },
      {"scatter_nd", "2"});
}

TEST(CpuKernels, SortStableWithNaN) {
  Tensor x = make<float>({3, NAN, 1, 3, 2, 1}, {6});
  auto [v, i] = be().sort(x, 0, false);
  auto vv = get<float>(v);
  EXPECT_EQ(get<int32_t>(i), (std::vector<int32_t>{2, 5, 4, 0, 3, 1}));
  EXPECT_TRUE(std::isnan(vv[5]));
  auto [dv, di] = be().sort(x, 0, true);
  EXPECT_EQ(get<int32_t>(di), (std::vector<int32_t>{1, 0, 3, 4, 2, 5}));
  Tensor m = make<int32_t>({3, 1, 2, 0, 5, 4}, {3, 2});
  auto [mv, mi] = be().sort(m, 0, false);
  // [[3, 1], [2, 0], [5, 4]] sorted down each column
  EXPECT_EQ(get<int32_t>(mv), (std::vector<int32_t>{2, 0, 3, 1, 5, 4}));
  EXPECT_EQ(get<int32_t>(mi), (std::vector<int32_t>{1, 1, 0, 0, 2, 2}));
  auto [bv, bi] = be().sort(make_bool({1, 0, 1, 0}, {4}), 0, false);
  EXPECT_EQ(get_bool(bv), (std::vector<uint8_t>{0, 0, 1, 1}));
  EXPECT_EQ(get<int32_t>(bi), (std::vector<int32_t>{1, 3, 0, 2}));
}

// ---------------------------------------------------------------- matmul

std::vector<double> naive_matmul(const std::vector<double>& a, const std::vector<double>& b,
                                 int64_t batch, int64_t m, int64_t k, int64_t n) {
  std::vector<double> c(batch * m * n, 0);
  for (int64_t z = 0; z < batch; ++z)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t q = 0; q < k; ++q) s += a[(z * m + i) * k + q] * b[(z * k + q) * n + j];
        c[(z * m + i) * n + j] = s;
      }
  return c;
}

TEST(CpuKernels, MatmulFloats) {
  struct Case {
    int64_t batch, m, k, n;
  };
  for (Case cs : {Case{1, 1, 1, 1}, Case{1, 7, 5, 3}, Case{4, 16, 33, 9}, Case{1, 130, 70, 90}}) {
    auto av = random_values(cs.batch * cs.m * cs.k, 3);
    auto bv = random_values(cs.batch * cs.k * cs.n, 4);
    Shape as{cs.batch, cs.m, cs.k}, bs{cs.batch, cs.k, cs.n};
    auto want = naive_matmul(av, bv, cs.batch, cs.m, cs.k, cs.n);
    Tensor a64 = make<double>(av, as), b64 = make<double>(bv, bs);
    Tensor c64 = be().matmul(a64, b64);
    EXPECT_EQ(c64.shape(), (Shape{cs.batch, cs.m, cs.n}));
    expect_near_all(get<double>(c64), want, 1e-12);
    Tensor c32 = be().matmul(be().cast(a64, DType::Float32), be().cast(b64, DType::Float32));
    expect_near_all(as_double(c32), want, 1e-4);
    Tensor c16 = be().matmul(be().cast(a64, DType::BFloat16), be().cast(b64, DType::BFloat16));
    EXPECT_EQ(c16.dtype(), DType::BFloat16);
    expect_near_all(as_double(c16), want, 0.15);
  }
  // 2-D operands, K = 0
  Tensor z =
      be().matmul(be().full({2, 0}, DType::Float32, 0), be().full({0, 3}, DType::Float32, 0));
  EXPECT_EQ(get<float>(z), (std::vector<float>(6, 0.f)));
}

TEST(CpuKernels, MatmulIntegersAndBool) {
  Tensor a = make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = make<int32_t>({1, -1, 2, 0, 0, 3}, {3, 2});
  EXPECT_EQ(get<int32_t>(be().matmul(a, b)), (std::vector<int32_t>{5, 8, 14, 14}));
  Tensor a8 = make<uint8_t>({200, 2}, {1, 2});
  Tensor b8 = make<uint8_t>({2, 3}, {2, 1});
  EXPECT_EQ(get<uint8_t>(be().matmul(a8, b8))[0], static_cast<uint8_t>(406));
  Tensor p = make_bool({1, 0, 0, 0}, {2, 2});
  Tensor q = make_bool({0, 1, 1, 0}, {2, 2});
  EXPECT_EQ(get_bool(be().matmul(p, q)), (std::vector<uint8_t>{0, 1, 0, 0}));
  expect_error<ValueError>([&] { be().matmul(a, a); }, {"matmul", "(2, 3)"});
}

// ---------------------------------------------------------------- conv / pool / softmax

// Sum of elementwise products (for adjoint checks).
double dot(const Tensor& a, const Tensor& b) {
  auto x = as_double(a), y = as_double(b);
  double s = 0;
  for (size_t i = 0; i < x.size(); ++i) s += x[i] * y[i];
  return s;
}

struct ConvCase {
  Shape x, k;
  backend::ConvParams p;
};

std::vector<ConvCase> conv_cases() {
  using P = backend::ConvParams;
  return {
      {{2, 9, 3}, {3, 3, 4}, P{{1}, {1}, {{1, 1}}, 1}},
      {{1, 10, 4}, {3, 2, 6}, P{{2}, {2}, {{0, 3}}, 2}},
      {{2, 7, 6, 3}, {3, 2, 3, 5}, P{{1, 2}, {1, 1}, {{1, 1}, {0, 1}}, 1}},
      {{1, 8, 8, 4}, {3, 3, 1, 4}, P{{1, 1}, {2, 2}, {{2, 2}, {2, 2}}, 4}},  // depthwise, dilated
      {{1, 5, 4, 6, 2}, {2, 2, 3, 2, 3}, P{{1, 1, 2}, {1, 1, 1}, {{0, 1}, {1, 0}, {1, 1}}, 1}},
  };
}

// A direct float64 reference for the forward conv.
std::vector<double> reference_conv(const std::vector<double>& x, const std::vector<double>& w,
                                   const ConvCase& c, Shape& out_shape) {
  int nsp = c.x.rank() - 2;
  int64_t cin = c.x.back(), cout = c.k.back(), g = c.p.groups;
  int64_t cg = cin / g, og = cout / g;
  std::vector<int64_t> out(nsp);
  out_shape = Shape{c.x[0]};
  for (int d = 0; d < nsp; ++d) {
    int64_t span = c.p.dilation[d] * (c.k[d] - 1) + 1;
    out[d] =
        (c.x[d + 1] + c.p.padding[d].first + c.p.padding[d].second - span) / c.p.strides[d] + 1;
    out_shape.push_back(out[d]);
  }
  out_shape.push_back(cout);
  std::vector<double> y(out_shape.num_elements(), 0);
  std::vector<int64_t> xs = {1}, ks = {1};
  int64_t osz = 1, ksz = 1, isz = 1;
  for (int d = 0; d < nsp; ++d) osz *= out[d], ksz *= c.k[d], isz *= c.x[d + 1];
  for (int64_t n = 0; n < c.x[0]; ++n)
    for (int64_t o = 0; o < osz; ++o)
      for (int64_t kk = 0; kk < ksz; ++kk) {
        int64_t orem = o, krem = kk, iflat = 0;
        bool in = true;
        std::vector<int64_t> oi(nsp), ki(nsp);
        for (int d = nsp - 1; d >= 0; --d) {
          oi[d] = orem % out[d], orem /= out[d];
          ki[d] = krem % c.k[d], krem /= c.k[d];
        }
        for (int d = 0; d < nsp; ++d) {
          int64_t i = oi[d] * c.p.strides[d] - c.p.padding[d].first + ki[d] * c.p.dilation[d];
          if (i < 0 || i >= c.x[d + 1]) in = false;
          iflat = iflat * c.x[d + 1] + i;
        }
        if (!in) continue;
        for (int64_t co = 0; co < cout; ++co) {
          int64_t grp = co / og;
          for (int64_t ci = 0; ci < cg; ++ci)
            y[(n * osz + o) * cout + co] +=
                x[(n * isz + iflat) * cin + grp * cg + ci] * w[(kk * cg + ci) * cout + co];
        }
      }
  return y;
}

TEST(CpuKernels, ConvForwardAndAdjoints) {
  int seed = 10;
  for (const ConvCase& c : conv_cases()) {
    auto xv = random_values(c.x.num_elements(), seed++);
    auto wv = random_values(c.k.num_elements(), seed++);
    Shape ys;
    auto want = reference_conv(xv, wv, c, ys);
    for (DType dt : {DType::Float64, DType::Float32}) {
      SCOPED_TRACE(std::string(dtype_name(dt)) + " x " + c.x.to_string());
      Tensor x = be().cast(make<double>(xv, c.x), dt);
      Tensor w = be().cast(make<double>(wv, c.k), dt);
      Tensor y = be().conv(x, w, c.p);
      ASSERT_EQ(y.shape(), ys);
      expect_near_all(as_double(y), want, dt == DType::Float64 ? 1e-12 : 1e-4);
      // <conv(x, w), dy> == <x, conv_backprop_input(dy, w)> == <w, conv_backprop_filter(x, dy)>
      Tensor dy = be().cast(make<double>(random_values(ys.num_elements(), seed++), ys), dt);
      Tensor dx = be().conv_backprop_input(dy, w, c.x, c.p);
      Tensor dw = be().conv_backprop_filter(x, dy, c.k, c.p);
      ASSERT_EQ(dx.shape(), c.x);
      ASSERT_EQ(dw.shape(), c.k);
      double lhs = dot(y, dy);
      double tol = dt == DType::Float64 ? 1e-10 : 1e-3;
      EXPECT_NEAR(dot(x, dx), lhs, tol * (1 + std::fabs(lhs)));
      EXPECT_NEAR(dot(w, dw), lhs, tol * (1 + std::fabs(lhs)));
    }
    // float16 goes through float32
    Tensor yh = be().conv(be().cast(make<double>(xv, c.x), DType::Float16),
                          be().cast(make<double>(wv, c.k), DType::Float16), c.p);
    EXPECT_EQ(yh.dtype(), DType::Float16);
    expect_near_all(as_double(yh), want, 0.05);
  }
  expect_error<ValueError>(
      [] {
        be().conv(be().full({1, 5, 3}, DType::Float32, 0), be().full({2, 4, 2}, DType::Float32, 0),
                  backend::ConvParams{{1}, {1}, {{0, 0}}, 1});
      },
      {"conv"});
}

TEST(CpuKernels, Pooling) {
  // 1 x 4 x 4 x 1 image 0..15, 2x2 windows, stride 2, no padding
  Tensor x = be().reshape(be().arange(0, 1, 16, DType::Float32), {1, 4, 4, 1});
  backend::PoolParams p{{2, 2}, {2, 2}, {{0, 0}, {0, 0}}};
  EXPECT_EQ(get<float>(be().max_pool(x, p)), (std::vector<float>{5, 7, 13, 15}));
  EXPECT_EQ(get<float>(be().avg_pool(x, p)), (std::vector<float>{2.5, 4.5, 10.5, 12.5}));
  // "same" padding: 3x3 windows, stride 1, pad 1 -> corners average 4 elements
  backend::PoolParams same{{3, 3}, {1, 1}, {{1, 1}, {1, 1}}};
  for (DType dt : {DType::Float32, DType::Float64, DType::BFloat16}) {
    SCOPED_TRACE(std::string(dtype_name(dt)));
    Tensor xd = be().cast(x, dt);
    auto avg = as_double(be().avg_pool(xd, same));
    EXPECT_NEAR(avg[0], (0 + 1 + 4 + 5) / 4.0, 1e-2);
    EXPECT_NEAR(avg[5], 5, 1e-2);
    auto mx = as_double(be().max_pool(xd, same));
    EXPECT_EQ(mx[0], 5);
    EXPECT_EQ(mx[15], 15);
  }
  // Backward passes: float32 (oneDNN) against float64 (direct loop), plus adjoint for avg.
  std::vector<std::pair<Shape, backend::PoolParams>> cases{
      {{2, 7, 3}, {{3}, {2}, {{1, 1}}}},
      {{2, 6, 5, 3}, {{3, 2}, {2, 1}, {{1, 1}, {0, 1}}}},
      {{1, 4, 5, 3, 2}, {{2, 2, 2}, {1, 2, 1}, {{0, 1}, {1, 0}, {0, 1}}}},
  };
  int seed = 50;
  for (auto& [shape, pp] : cases) {
    SCOPED_TRACE(shape.to_string());
    auto xv = random_values(shape.num_elements(), seed++);
    Tensor x64 = make<double>(xv, shape);
    Tensor x32 = be().cast(x64, DType::Float32);
    Tensor y64 = be().max_pool(x64, pp);
    expect_near_all(as_double(be().max_pool(x32, pp)), get<double>(y64), 1e-6);
    expect_near_all(as_double(be().avg_pool(x32, pp)), get<double>(be().avg_pool(x64, pp)), 1e-6);
    Tensor dy64 = make<double>(random_values(y64.size(), seed++), y64.shape());
    Tensor dy32 = be().cast(dy64, DType::Float32);
    expect_near_all(as_double(be().max_pool_backward(x32, dy32, pp)),
                    get<double>(be().max_pool_backward(x64, dy64, pp)), 1e-6);
    Tensor ga64 = be().avg_pool_backward(dy64, shape, pp);
    expect_near_all(as_double(be().avg_pool_backward(dy32, shape, pp)), get<double>(ga64), 1e-6);
    EXPECT_NEAR(dot(be().avg_pool(x64, pp), dy64), dot(x64, ga64), 1e-10);
  }
}

TEST(CpuKernels, SoftmaxAndLogSoftmax) {
  auto v = random_values(4 * 5 * 6, 77, -10, 10);
  v[3] = 1000;  // large values must not overflow
  Tensor x64 = make<double>(v, {4, 5, 6});
  for (int axis : {0, 1, 2}) {
    SCOPED_TRACE(axis);
    auto s = get<double>(be().softmax(x64, axis));
    auto ls = get<double>(be().log_softmax(x64, axis));
    // reference
    auto ref_sum =
        be().reduce(ReduceOp::Sum, be().softmax(x64, axis), std::vector<int>{axis}, false);
    for (double t : get<double>(ref_sum)) EXPECT_NEAR(t, 1, 1e-12);
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] > 1e-300) EXPECT_NEAR(std::log(s[i]), ls[i], 1e-9 * (1 + std::fabs(ls[i])));
      EXPECT_FALSE(std::isnan(s[i]));
    }
    Tensor x32 = be().cast(x64, DType::Float32);
    expect_near_all(as_double(be().softmax(x32, axis)), s, 1e-6);
    auto l32 = as_double(be().log_softmax(x32, axis));
    for (size_t i = 0; i < ls.size(); ++i)
      EXPECT_NEAR(l32[i], ls[i], 1e-4 * (1 + std::fabs(ls[i])));
    expect_near_all(as_double(be().softmax(be().cast(x64, DType::Float16), axis)), s, 2e-3);
  }
  expect_error<TypeError>(
      [] {
        be().softmax(make<int32_t>({1, 2}, {2}), 0);
      },
      {"softmax", "int32"});
}

}  // namespace
}  // namespace keras
