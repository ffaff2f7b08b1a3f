// The torch backend's kernels, called directly (no ops layer): dtype coverage, the edge cases the
// Backend interface pins down, and agreement with the cpu backend where it is built.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iostream>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "keras/backend/backend.hpp"

namespace keras::backend {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool has_backend(const std::string& name) {
  auto names = available_backends();
  return std::find(names.begin(), names.end(), name) != names.end();
}

class TorchKernels : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_backend("torch")) GTEST_SKIP() << "the torch backend is not built";
    be = &get_backend("torch");
  }

  template <class T>
  Tensor make(const std::vector<T>& v, Shape shape) {
    return be->from_host(v.data(), shape, dtype_of<T>());
  }
  template <class T>
  Tensor make(const std::vector<T>& v) {
    return make(v, Shape{static_cast<int64_t>(v.size())});
  }
  Tensor make_bool(const std::vector<uint8_t>& v, Shape shape) {
    return be->from_host(v.data(), shape, DType::Bool);
  }
  Tensor make_f(const std::vector<double>& v, Shape shape, DType dtype) {
    return be->cast(make(v, shape), dtype);
  }
  template <class T>
  std::vector<T> get(const Tensor& t) {
    EXPECT_EQ(t.dtype(), dtype_of<T>());
    std::vector<T> out(static_cast<size_t>(t.size()));
    if (!out.empty()) be->to_host(t, out.data());
    return out;
  }
  std::vector<uint8_t> get_bool(const Tensor& t) {
    EXPECT_EQ(t.dtype(), DType::Bool);
    std::vector<uint8_t> out(static_cast<size_t>(t.size()));
    if (!out.empty()) be->to_host(t, out.data());
    return out;
  }
  std::vector<double> get_d(const Tensor& t) { return get<double>(be->cast(t, DType::Float64)); }

  Backend* be = nullptr;
};

void expect_close(const std::vector<double>& got, const std::vector<double>& want,
                  double tol = 1e-6) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "at " << i << ": got " << got[i];
    } else if (std::isinf(want[i])) {
      EXPECT_EQ(got[i], want[i]) << "at " << i;
    } else {
      EXPECT_NEAR(got[i], want[i], tol * std::max(1.0, std::abs(want[i]))) << "at " << i;
    }
  }
}

std::vector<double> random_values(size_t n, uint32_t seed, double lo = -2.0, double hi = 2.0) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<double> v(n);
  for (auto& x : v) x = dist(gen);
  return v;
}

// ---- info ----

TEST_F(TorchKernels, InfoAndNativeKernels) {
  EXPECT_EQ(be->name(), "torch");
  BackendInfo info = be->info();
  EXPECT_EQ(info.name, "torch");
  EXPECT_EQ(info.device.rfind("CPU (LibTorch 1.13", 0), 0u) << info.device;
  EXPECT_NE(info.libraries.find("(ATen)"), std::string::npos) << info.libraries;
  EXPECT_GE(info.num_threads, 1);
  // ATen 1.13 has no scaled_dot_product_attention: attention runs the composite kernels.
  for (int k = 0; k < kNumFusedKernels; ++k) {
    auto kernel = static_cast<FusedKernel>(k);
    bool attention = kernel == FusedKernel::DotProductAttention ||
                     kernel == FusedKernel::DotProductAttentionBackward;
    EXPECT_EQ(be->has_native(kernel), !attention) << k;
  }
}

// ---- memory and casts ----

TEST_F(TorchKernels, RoundTripsEveryDtype) {
  EXPECT_EQ(get<int8_t>(make<int8_t>({-128, 0, 127})), (std::vector<int8_t>{-128, 0, 127}));
  EXPECT_EQ(get<int16_t>(make<int16_t>({-32768, 7})), (std::vector<int16_t>{-32768, 7}));
  EXPECT_EQ(get<int32_t>(make<int32_t>({INT32_MIN, INT32_MAX})),
            (std::vector<int32_t>{INT32_MIN, INT32_MAX}));
  EXPECT_EQ(get<int64_t>(make<int64_t>({INT64_MIN, INT64_MAX})),
            (std::vector<int64_t>{INT64_MIN, INT64_MAX}));
  EXPECT_EQ(get<uint8_t>(make<uint8_t>({0, 255})), (std::vector<uint8_t>{0, 255}));
  EXPECT_EQ(get<uint16_t>(make<uint16_t>({0, 65535})), (std::vector<uint16_t>{0, 65535}));
  EXPECT_EQ(get<uint32_t>(make<uint32_t>({0, 4294967295u})),
            (std::vector<uint32_t>{0, 4294967295u}));
  EXPECT_EQ(get<uint64_t>(make<uint64_t>({0, UINT64_MAX, 1ull << 63})),
            (std::vector<uint64_t>{0, UINT64_MAX, 1ull << 63}));
  std::vector<float16_t> h{float16_t(1.5f), float16_t(-65504.0f)};
  auto hb = get<float16_t>(make(h));
  EXPECT_EQ(hb[0].bits, h[0].bits);
  EXPECT_EQ(hb[1].bits, h[1].bits);
  std::vector<bfloat16_t> bf{bfloat16_t(3.0f), bfloat16_t(-0.25f)};
  auto bb = get<bfloat16_t>(make(bf));
  EXPECT_EQ(bb[1].bits, bf[1].bits);
  EXPECT_EQ(get<float>(make<float>({1.25f})), (std::vector<float>{1.25f}));
  // Bool: any non-zero byte is true.
  EXPECT_EQ(get_bool(make_bool({0, 1, 7}, {3})), (std::vector<uint8_t>{0, 1, 1}));
  // Scalars and empty tensors.
  Tensor s = make<double>({2.5}, Shape{});
  EXPECT_EQ(s.shape(), Shape{});
  EXPECT_EQ(get<double>(s), (std::vector<double>{2.5}));
  Tensor e = make<float>({}, Shape{0, 3});
  EXPECT_EQ(e.shape(), (Shape{0, 3}));
  EXPECT_TRUE(get<float>(e).empty());
}

TEST_F(TorchKernels, FullAndArange) {
  EXPECT_EQ(get<int32_t>(be->full({2}, DType::Int32, 3.7)), (std::vector<int32_t>{3, 3}));
  EXPECT_EQ(get<int32_t>(be->full({1}, DType::Int32, -3.7)), (std::vector<int32_t>{-3}));
  EXPECT_EQ(get<uint8_t>(be->full({1}, DType::UInt8, -5)), (std::vector<uint8_t>{0}));
  EXPECT_EQ(get<uint64_t>(be->full({1}, DType::UInt64, 1.8e19)),
            (std::vector<uint64_t>{18000000000000000000ull}));
  EXPECT_EQ(get<uint16_t>(be->full({1}, DType::UInt16, 65535)), (std::vector<uint16_t>{65535}));
  EXPECT_EQ(get_bool(be->full({2}, DType::Bool, 0.5)), (std::vector<uint8_t>{1, 1}));
  Tensor f = be->full({2, 3}, DType::Float16, 0.1);
  EXPECT_EQ(f.shape(), (Shape{2, 3}));
  EXPECT_EQ(get<float16_t>(f)[5].bits, float16_t(0.1f).bits);
  expect_close(get_d(be->arange(1.0, 0.5, 4, DType::Float32)), {1.0, 1.5, 2.0, 2.5});
  EXPECT_EQ(get<int64_t>(be->arange(0, 0.6, 4, DType::Int64)),
            (std::vector<int64_t>{0, 0, 1, 1}));  // 0, .6, 1.2, 1.8 truncated
  EXPECT_EQ(be->arange(0, 1, 0, DType::Float32).size(), 0);
}

TEST_F(TorchKernels, CastSemantics) {
  Tensor x = make<double>({kNaN, 1e20, -1e20, -2.7, 2.7, 300.0, -1.0});
  EXPECT_EQ(get<int32_t>(be->cast(x, DType::Int32)),
            (std::vector<int32_t>{0, INT32_MAX, INT32_MIN, -2, 2, 300, -1}));
  EXPECT_EQ(get<uint8_t>(be->cast(x, DType::UInt8)),
            (std::vector<uint8_t>{0, 255, 0, 0, 2, 255, 0}));
  EXPECT_EQ(get<int64_t>(be->cast(x, DType::Int64)),
            (std::vector<int64_t>{0, INT64_MAX, INT64_MIN, -2, 2, 300, -1}));
  EXPECT_EQ(get<uint64_t>(be->cast(make<double>({1.5e19, 1e30}), DType::UInt64)),
            (std::vector<uint64_t>{15000000000000000000ull, UINT64_MAX}));
  EXPECT_EQ(get<uint32_t>(be->cast(make<float>({4e9f, -3.0f}), DType::UInt32)),
            (std::vector<uint32_t>{4000000000u, 0}));
  EXPECT_EQ(get_bool(be->cast(x, DType::Bool)), (std::vector<uint8_t>{1, 1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(get_bool(be->cast(make<float>({0.0f, -0.0f}), DType::Bool)),
            (std::vector<uint8_t>{0, 0}));
  // Integer -> integer is modular.
  EXPECT_EQ(get<int8_t>(be->cast(make<int32_t>({300, -129}), DType::Int8)),
            (std::vector<int8_t>{44, 127}));
  EXPECT_EQ(get<uint16_t>(be->cast(make<int32_t>({-1, 70000}), DType::UInt16)),
            (std::vector<uint16_t>{65535, 4464}));
  EXPECT_EQ(get<uint32_t>(be->cast(make<int64_t>({-1}), DType::UInt32)),
            (std::vector<uint32_t>{4294967295u}));
  EXPECT_EQ(get<uint64_t>(be->cast(make<int8_t>({-1}), DType::UInt64)),
            (std::vector<uint64_t>{UINT64_MAX}));
  EXPECT_EQ(get<int32_t>(be->cast(make<uint64_t>({UINT64_MAX}), DType::Int32)),
            (std::vector<int32_t>{-1}));
  // Unsigned 64 -> float reads the bits as unsigned.
  EXPECT_EQ(get<double>(be->cast(make<uint64_t>({UINT64_MAX, 1ull << 63}), DType::Float64)),
            (std::vector<double>{18446744073709551616.0, 9223372036854775808.0}));
  // Bool in and out.
  EXPECT_EQ(get<float>(be->cast(make_bool({1, 0}, {2}), DType::Float32)),
            (std::vector<float>{1.0f, 0.0f}));
  // Float narrowing rounds to nearest even.
  EXPECT_EQ(get<float16_t>(be->cast(make<double>({1.0 + 1.0 / 2048}), DType::Float16))[0].bits,
            float16_t(1.0f).bits);
  // Float16 to int goes through the same saturating path.
  EXPECT_EQ(get<int8_t>(be->cast(make_f({1000.0, -7.9}, {2}, DType::Float16), DType::Int8)),
            (std::vector<int8_t>{127, -7}));
  // Same dtype: the same tensor.
  EXPECT_EQ(be->cast(x, DType::Float64).impl(), x.impl());
}

// ---- elementwise ----

TEST_F(TorchKernels, UnaryFloating) {
  Tensor r = be->unary(UnaryOp::Round, make<float>({0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 2.6f}));
  EXPECT_EQ(get<float>(r), (std::vector<float>{0.0f, 2.0f, 2.0f, -0.0f, -2.0f, 3.0f}));
  auto sign = get<double>(be->unary(UnaryOp::Sign, make<double>({kNaN, -2.0, 0.0, 3.0})));
  EXPECT_TRUE(std::isnan(sign[0]));
  EXPECT_EQ(sign[1], -1.0);
  EXPECT_EQ(sign[2], 0.0);
  EXPECT_EQ(sign[3], 1.0);
  expect_close(get_d(be->unary(UnaryOp::Softplus, make<double>({-800.0, 0.0, 30.0, 800.0, kNaN}))),
               {0.0, std::log(2.0), 30.0 + std::log1p(std::exp(-30.0)), 800.0, kNaN}, 1e-15);
  expect_close(get_d(be->unary(UnaryOp::GeluExact, make<double>({1.0, -1.0}))),
               {0.8413447460685429, -0.15865525393145707}, 1e-12);
  expect_close(get_d(be->unary(UnaryOp::GeluTanh, make<double>({1.0}))), {0.8411919906082768},
               1e-12);
  expect_close(get_d(be->unary(UnaryOp::Erfinv, make<double>({0.5, 0.0}))),
               {0.4769362762044699, 0.0}, 1e-12);
  expect_close(get_d(be->unary(UnaryOp::Exp2, make<float>({3.0f, -1.0f}))), {8.0, 0.5});
  expect_close(get_d(be->unary(UnaryOp::LogSigmoid, make<double>({-100.0, 0.0}))),
               {-100.0, -std::log(2.0)}, 1e-12);
  expect_close(get_d(be->unary(UnaryOp::Sigmoid, make<float>({0.0f, 100.0f}))), {0.5, 1.0});
  expect_close(get_d(be->unary(UnaryOp::Silu, make<double>({1.0}))), {1.0 / (1.0 + std::exp(-1.0))},
               1e-12);
  expect_close(get_d(be->unary(UnaryOp::Rsqrt, make<double>({4.0}))), {0.5}, 1e-15);
  expect_close(get_d(be->unary(UnaryOp::Arccosh, make<double>({1.0}))), {0.0}, 1e-15);
  // float16/bfloat16 go through float32: ATen 1.13 has no CPU half exp.
  Tensor h = be->unary(UnaryOp::Exp, make_f({0.0, 1.0}, {2}, DType::Float16));
  EXPECT_EQ(h.dtype(), DType::Float16);
  expect_close(get_d(h), {1.0, 2.71875}, 1e-3);
  Tensor b = be->unary(UnaryOp::Tanh, make_f({0.5}, {1}, DType::BFloat16));
  EXPECT_EQ(b.dtype(), DType::BFloat16);
  expect_close(get_d(b), {std::tanh(0.5)}, 1e-2);
  // Floating-only ops refuse integers.
  EXPECT_THROW(be->unary(UnaryOp::Sqrt, make<int32_t>({4})), TypeError);
  // Predicates return bool.
  Tensor nan_test = be->unary(UnaryOp::IsNan, make<float>({1.0f, NAN}));
  EXPECT_EQ(get_bool(nan_test), (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(get_bool(be->unary(UnaryOp::IsFinite, make<double>({kInf, 1.0, kNaN}))),
            (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(get_bool(be->unary(UnaryOp::IsInf, make<int32_t>({1}))), (std::vector<uint8_t>{0}));
}

TEST_F(TorchKernels, UnaryIntegerAndBool) {
  EXPECT_EQ(get<int8_t>(be->unary(UnaryOp::Abs, make<int8_t>({-128, -3, 4}))),
            (std::vector<int8_t>{-128, 3, 4}));
  EXPECT_EQ(get<int32_t>(be->unary(UnaryOp::Sign, make<int32_t>({-5, 0, 9}))),
            (std::vector<int32_t>{-1, 0, 1}));
  EXPECT_EQ(get<uint32_t>(be->unary(UnaryOp::Negative, make<uint32_t>({1, 0}))),
            (std::vector<uint32_t>{4294967295u, 0}));
  EXPECT_EQ(get<uint16_t>(be->unary(UnaryOp::BitwiseNot, make<uint16_t>({0, 65535}))),
            (std::vector<uint16_t>{65535, 0}));
  EXPECT_EQ(get<uint64_t>(be->unary(UnaryOp::BitwiseNot, make<uint64_t>({0}))),
            (std::vector<uint64_t>{UINT64_MAX}));
  EXPECT_EQ(get<uint16_t>(be->unary(UnaryOp::Square, make<uint16_t>({300}))),
            (std::vector<uint16_t>{static_cast<uint16_t>(90000 % 65536)}));
  EXPECT_EQ(get<int32_t>(be->unary(UnaryOp::Reciprocal, make<int32_t>({1, -1, 2, 0}))),
            (std::vector<int32_t>{1, -1, 0, 0}));
  EXPECT_EQ(get<int64_t>(be->unary(UnaryOp::Floor, make<int64_t>({INT64_MAX}))),
            (std::vector<int64_t>{INT64_MAX}));
  EXPECT_EQ(get_bool(be->unary(UnaryOp::LogicalNot, make<int32_t>({0, 2}))),
            (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(get_bool(be->unary(UnaryOp::BitwiseNot, make_bool({0, 1}, {2}))),
            (std::vector<uint8_t>{1, 0}));
  EXPECT_THROW(be->unary(UnaryOp::BitwiseNot, make<float>({1.0f})), TypeError);
}

TEST_F(TorchKernels, BinaryDivisionFollowsPython) {
  Tensor a = make<int32_t>({7, -7, 7, -7, 5, INT32_MIN, 0});
  Tensor b = make<int32_t>({2, 2, -2, -2, 0, -1, 0});
  EXPECT_EQ(get<int32_t>(be->binary(BinaryOp::FloorDivide, a, b)),
            (std::vector<int32_t>{3, -4, -4, 3, 0, INT32_MIN, 0}));
  EXPECT_EQ(get<int32_t>(be->binary(BinaryOp::Mod, a, b)),
            (std::vector<int32_t>{1, 1, -1, -1, 0, 0, 0}));
  EXPECT_EQ(get<int32_t>(be->binary(BinaryOp::Fmod, a, b)),
            (std::vector<int32_t>{1, -1, 1, -1, 0, 0, 0}));
  Tensor a64 = make<int64_t>({INT64_MIN, 9});
  Tensor b64 = make<int64_t>({-1, 0});
  EXPECT_EQ(get<int64_t>(be->binary(BinaryOp::FloorDivide, a64, b64)),
            (std::vector<int64_t>{INT64_MIN, 0}));
  EXPECT_EQ(
      get<int8_t>(be->binary(BinaryOp::FloorDivide, make<int8_t>({-128}), make<int8_t>({-1}))),
      (std::vector<int8_t>{-128}));
  Tensor fa = make<double>({7.0, -7.0, 7.0, -7.0, 1.0, 0.0});
  Tensor fb = make<double>({2.0, 2.0, -2.0, -2.0, 0.0, 0.0});
  auto fd = get<double>(be->binary(BinaryOp::FloorDivide, fa, fb));
  expect_close(std::vector<double>(fd.begin(), fd.begin() + 5), {3.0, -4.0, -4.0, 3.0, kInf});
  EXPECT_TRUE(std::isnan(fd[5]));
  auto md = get<double>(be->binary(BinaryOp::Mod, fa, fb));
  expect_close(std::vector<double>(md.begin(), md.begin() + 4), {1.0, 1.0, -1.0, -1.0});
  EXPECT_TRUE(std::isnan(md[4]));
  expect_close(
      get<double>(be->binary(BinaryOp::Fmod, make<double>({-7.0, 7.0}), make<double>({2.0, -2.0}))),
      {-1.0, 1.0});
  // Unsigned: plain division, including values >= 2^63 for uint64.
  EXPECT_EQ(get<uint64_t>(be->binary(BinaryOp::FloorDivide, make<uint64_t>({UINT64_MAX, 9}),
                                     make<uint64_t>({2, 0}))),
            (std::vector<uint64_t>{UINT64_MAX / 2, 0}));
  EXPECT_EQ(
      get<uint64_t>(be->binary(BinaryOp::Mod, make<uint64_t>({UINT64_MAX}), make<uint64_t>({10}))),
      (std::vector<uint64_t>{UINT64_MAX % 10}));
  EXPECT_EQ(get<uint16_t>(
                be->binary(BinaryOp::FloorDivide, make<uint16_t>({65535}), make<uint16_t>({2}))),
            (std::vector<uint16_t>{32767}));
  EXPECT_THROW(be->binary(BinaryOp::Divide, make<int32_t>({1}), make<int32_t>({1})), TypeError);
}

TEST_F(TorchKernels, BinaryArithmeticAndPower) {
  // Broadcasting (2, 1) with (3,).
  Tensor s = be->binary(BinaryOp::Add, make<float>({1, 2}, {2, 1}), make<float>({10, 20, 30}));
  EXPECT_EQ(s.shape(), (Shape{2, 3}));
  EXPECT_EQ(get<float>(s), (std::vector<float>{11, 21, 31, 12, 22, 32}));
  // Wrapping unsigned arithmetic.
  EXPECT_EQ(get<uint16_t>(be->binary(BinaryOp::Add, make<uint16_t>({65535}), make<uint16_t>({2}))),
            (std::vector<uint16_t>{1}));
  EXPECT_EQ(get<uint32_t>(be->binary(BinaryOp::Subtract, make<uint32_t>({0}), make<uint32_t>({1}))),
            (std::vector<uint32_t>{4294967295u}));
  EXPECT_EQ(get<uint32_t>(
                be->binary(BinaryOp::Multiply, make<uint32_t>({65536}), make<uint32_t>({65537}))),
            (std::vector<uint32_t>{65536}));
  EXPECT_EQ(get<int8_t>(be->binary(BinaryOp::Add, make<int8_t>({127}), make<int8_t>({1}))),
            (std::vector<int8_t>{-128}));
  // Integer powers: negative exponents give 0 except for bases +-1.
  EXPECT_EQ(get<int32_t>(be->binary(BinaryOp::Power, make<int32_t>({2, 1, -1, -1, 0, 3, 2}),
                                    make<int32_t>({-1, -3, -3, -2, -1, 2, 31}))),
            (std::vector<int32_t>{0, 1, -1, 1, 0, 9, INT32_MIN}));
  EXPECT_EQ(get<uint8_t>(be->binary(BinaryOp::Power, make<uint8_t>({2}), make<uint8_t>({9}))),
            (std::vector<uint8_t>{0}));
  EXPECT_EQ(
      get<uint64_t>(be->binary(BinaryOp::Power, make<uint64_t>({3}), make<uint64_t>({1ull << 63}))),
      (std::vector<uint64_t>{1}));  // 3^(2^63) mod 2^64
  expect_close(
      get_d(be->binary(BinaryOp::Power, make<float>({2.0f, 4.0f}), make<float>({-1.0f, 0.5f}))),
      {0.5, 2.0});
  // Max/min propagate NaN.
  auto mx = get<double>(be->binary(BinaryOp::Maximum, make<double>({kNaN, 1.0, 2.0}),
                                   make<double>({0.0, kNaN, 1.0})));
  EXPECT_TRUE(std::isnan(mx[0]));
  EXPECT_TRUE(std::isnan(mx[1]));
  EXPECT_EQ(mx[2], 2.0);
  auto mn = get<double>(be->binary(BinaryOp::Minimum, make<double>({kNaN}), make<double>({0.0})));
  EXPECT_TRUE(std::isnan(mn[0]));
  EXPECT_EQ(get<uint64_t>(be->binary(BinaryOp::Maximum, make<uint64_t>({UINT64_MAX, 1}),
                                     make<uint64_t>({1, 2}))),
            (std::vector<uint64_t>{UINT64_MAX, 2}));
  // Bool: + is or, * is and, ** is x || !y; - is refused, as in NumPy.
  Tensor t = make_bool({1, 1, 0, 0}, {4});
  Tensor u = make_bool({1, 0, 1, 0}, {4});
  EXPECT_EQ(get_bool(be->binary(BinaryOp::Add, t, u)), (std::vector<uint8_t>{1, 1, 1, 0}));
  EXPECT_THROW(be->binary(BinaryOp::Subtract, t, u), TypeError);
  EXPECT_THROW(be->binary(BinaryOp::FloorDivide, t, u), TypeError);
  EXPECT_THROW(be->binary(BinaryOp::LeftShift, t, u), TypeError);
  EXPECT_THROW(be->unary(UnaryOp::Negative, t), TypeError);
  EXPECT_EQ(get_bool(be->binary(BinaryOp::Multiply, t, u)), (std::vector<uint8_t>{1, 0, 0, 0}));
  EXPECT_EQ(get_bool(be->binary(BinaryOp::Power, t, u)), (std::vector<uint8_t>{1, 1, 0, 1}));
  // Half precision computes in float and rounds once.
  Tensor h = be->binary(BinaryOp::Divide, make_f({1.0}, {1}, DType::Float16),
                        make_f({3.0}, {1}, DType::Float16));
  EXPECT_EQ(get<float16_t>(h)[0].bits, float16_t(1.0f / 3.0f).bits);
  expect_close(get_d(be->binary(BinaryOp::Arctan2, make<double>({1.0}), make<double>({-1.0}))),
               {3.0 * std::atan(1.0)}, 1e-15);
}

TEST_F(TorchKernels, BinaryComparisonsLogicalAndBits) {
  Tensor a = make<float>({1.0f, NAN, 3.0f});
  Tensor b = make<float>({1.0f, NAN, 2.0f});
  EXPECT_EQ(get_bool(be->binary(BinaryOp::Equal, a, b)), (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_EQ(get_bool(be->binary(BinaryOp::NotEqual, a, b)), (std::vector<uint8_t>{0, 1, 1}));
  EXPECT_EQ(get_bool(be->binary(BinaryOp::Greater, a, b)), (std::vector<uint8_t>{0, 0, 1}));
  EXPECT_EQ(get_bool(be->binary(BinaryOp::LessEqual, a, b)), (std::vector<uint8_t>{1, 0, 0}));
  // uint64 compares as unsigned.
  EXPECT_EQ(get_bool(be->binary(BinaryOp::Less, make<uint64_t>({1, UINT64_MAX}),
                                make<uint64_t>({UINT64_MAX, 1}))),
            (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(get_bool(be->binary(BinaryOp::GreaterEqual, make<uint64_t>({1ull << 63}),
                                make<uint64_t>({5}))),
            (std::vector<uint8_t>{1}));
  EXPECT_EQ(get_bool(be->binary(BinaryOp::LogicalXor, make<int32_t>({0, 2, 3}),
                                make<int32_t>({0, 0, 1}))),
            (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(
      get<int32_t>(be->binary(BinaryOp::BitwiseXor, make<int32_t>({12}), make<int32_t>({10}))),
      (std::vector<int32_t>{6}));
  // Shifts: counts outside [0, width) give 0 (left) or the sign (right).
  EXPECT_EQ(get<int32_t>(be->binary(BinaryOp::LeftShift, make<int32_t>({1, 1, -1, 3}),
                                    make<int32_t>({31, 32, 40, -1}))),
            (std::vector<int32_t>{INT32_MIN, 0, 0, 0}));
  EXPECT_EQ(get<int32_t>(be->binary(BinaryOp::RightShift, make<int32_t>({8, -8, 8, -1}),
                                    make<int32_t>({1, 40, 40, 3}))),
            (std::vector<int32_t>{4, -1, 0, -1}));
  EXPECT_EQ(get<uint8_t>(be->binary(BinaryOp::LeftShift, make<uint8_t>({255}), make<uint8_t>({4}))),
            (std::vector<uint8_t>{240}));
  EXPECT_EQ(get<uint16_t>(be->binary(BinaryOp::LeftShift, make<uint16_t>({65535, 1}),
                                     make<uint16_t>({8, 16}))),
            (std::vector<uint16_t>{65280, 0}));
  EXPECT_EQ(
      get<uint64_t>(be->binary(BinaryOp::RightShift, make<uint64_t>({UINT64_MAX, UINT64_MAX, 8}),
                               make<uint64_t>({60, 0, 64}))),
      (std::vector<uint64_t>{15, UINT64_MAX, 0}));
  EXPECT_THROW(be->binary(BinaryOp::BitwiseAnd, a, b), TypeError);
}

TEST_F(TorchKernels, Where) {
  Tensor c = make_bool({1, 0}, {2, 1});
  Tensor r = be->where(c, make<int32_t>({1, 2, 3}), make<int32_t>({-1}, Shape{}));
  EXPECT_EQ(r.shape(), (Shape{2, 3}));
  EXPECT_EQ(get<int32_t>(r), (std::vector<int32_t>{1, 2, 3, -1, -1, -1}));
  Tensor h = be->where(make_bool({0}, {1}), make_f({1.0}, {1}, DType::Float16),
                       make_f({2.0}, {1}, DType::Float16));
  EXPECT_EQ(get_d(h), (std::vector<double>{2.0}));
}

// ---- reductions ----

TEST_F(TorchKernels, Reductions) {
  Tensor x = make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor same = be->reduce(ReduceOp::Sum, x, {}, false);
  EXPECT_EQ(same.impl(), x.impl());
  std::vector<int> a0{0}, a1{1}, a01{0, 1};
  EXPECT_EQ(get<float>(be->reduce(ReduceOp::Sum, x, a0, false)), (std::vector<float>{5, 7, 9}));
  Tensor kd = be->reduce(ReduceOp::Prod, x, a1, true);
  EXPECT_EQ(kd.shape(), (Shape{2, 1}));
  EXPECT_EQ(get<float>(kd), (std::vector<float>{6, 120}));
  Tensor all = be->reduce(ReduceOp::Prod, x, a01, false);
  EXPECT_EQ(all.shape(), Shape{});
  EXPECT_EQ(get<float>(all), (std::vector<float>{720}));
  Tensor all_kd = be->reduce(ReduceOp::Max, x, a01, true);
  EXPECT_EQ(all_kd.shape(), (Shape{1, 1}));
  EXPECT_EQ(get<float>(all_kd), (std::vector<float>{6}));
  // Sum keeps small integer and bool dtypes (modular / != 0).
  Tensor i8 = be->reduce(ReduceOp::Sum, make<int8_t>({100, 100}), a0, false);
  EXPECT_EQ(get<int8_t>(i8), (std::vector<int8_t>{-56}));
  EXPECT_EQ(get<uint16_t>(be->reduce(ReduceOp::Sum, make<uint16_t>({65535, 2}), a0, false)),
            (std::vector<uint16_t>{1}));
  EXPECT_EQ(get_bool(be->reduce(ReduceOp::Sum, make_bool({0, 1, 1}, {3}), a0, false)),
            (std::vector<uint8_t>{1}));
  EXPECT_EQ(get<int32_t>(be->reduce(ReduceOp::Prod, make<int32_t>({1 << 16, 1 << 16}), a0, false)),
            (std::vector<int32_t>{0}));
  // Empty reductions.
  Tensor empty = make<float>({}, {0, 2});
  EXPECT_EQ(get<float>(be->reduce(ReduceOp::Sum, empty, a0, false)), (std::vector<float>{0, 0}));
  EXPECT_EQ(get<float>(be->reduce(ReduceOp::Prod, empty, a0, false)), (std::vector<float>{1, 1}));
  EXPECT_EQ(be->reduce(ReduceOp::Max, empty, a1, false).shape(), Shape{0});
  try {
    be->reduce(ReduceOp::Max, empty, a0, false);
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("ops::max"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(0, 2)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(be->reduce(ReduceOp::Min, empty, a01, false), ValueError);
  // NaN propagates through max/min.
  auto m = get<double>(be->reduce(ReduceOp::Min, make<double>({1.0, kNaN, -1.0}), a0, false));
  EXPECT_TRUE(std::isnan(m[0]));
  EXPECT_EQ(get<uint64_t>(be->reduce(ReduceOp::Max, make<uint64_t>({1, UINT64_MAX, 2}), a0, false)),
            (std::vector<uint64_t>{UINT64_MAX}));
  EXPECT_EQ(get<uint64_t>(be->reduce(ReduceOp::Min, make<uint64_t>({UINT64_MAX, 2}), a0, false)),
            (std::vector<uint64_t>{2}));
  // Any / All return bool; NaN is true.
  Tensor y = make<float>({0, NAN, 0, 0}, {2, 2});
  EXPECT_EQ(get_bool(be->reduce(ReduceOp::Any, y, a1, false)), (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(get_bool(be->reduce(ReduceOp::All, y, a0, true)), (std::vector<uint8_t>{0, 0}));
  EXPECT_EQ(get_bool(be->reduce(ReduceOp::All, make<float>({}, {0}), a0, false)),
            (std::vector<uint8_t>{1}));
  // Half sums in float32.
  Tensor h = be->reduce(ReduceOp::Sum, make_f({0.1, 0.2, 0.3}, {3}, DType::Float16), a0, false);
  EXPECT_EQ(h.dtype(), DType::Float16);
  expect_close(get_d(h), {0.6}, 1e-3);
  // Three axes out of four, not adjacent.
  Tensor z = be->arange(0, 1, 24, DType::Int64);
  z = be->reshape(z, {2, 3, 2, 2});
  std::vector<int> a023{0, 2, 3};
  EXPECT_EQ(get<int64_t>(be->reduce(ReduceOp::Prod,
                                    be->binary(BinaryOp::Add, z, be->full({}, DType::Int64, 1)),
                                    a023, false))[0],
            1LL * 2 * 3 * 4 * 13 * 14 * 15 * 16);
}

TEST_F(TorchKernels, ArgReduce) {
  Tensor x = make<float>({1, 5, 5, NAN, 2, NAN}, {2, 3});
  Tensor am = be->arg_reduce(ArgReduceOp::ArgMax, x, 1, false);
  EXPECT_EQ(am.dtype(), DType::Int32);
  EXPECT_EQ(get<int32_t>(am), (std::vector<int32_t>{1, 0}));  // first max; NaN is the max
  EXPECT_EQ(get<int32_t>(be->arg_reduce(ArgReduceOp::ArgMin, x, 1, false)),
            (std::vector<int32_t>{0, 0}));
  Tensor kd = be->arg_reduce(ArgReduceOp::ArgMax, x, 0, true);
  EXPECT_EQ(kd.shape(), (Shape{1, 3}));
  EXPECT_EQ(get<int32_t>(kd), (std::vector<int32_t>{1, 0, 1}));
  EXPECT_EQ(get<int32_t>(be->arg_reduce(ArgReduceOp::ArgMax, make_bool({0, 1, 1}, {3}), 0, false)),
            (std::vector<int32_t>{1}));
  EXPECT_EQ(
      get<int32_t>(be->arg_reduce(ArgReduceOp::ArgMax, make<uint64_t>({1, UINT64_MAX}), 0, false)),
      (std::vector<int32_t>{1}));
  EXPECT_THROW(be->arg_reduce(ArgReduceOp::ArgMin, make<float>({}, {2, 0}), 1, false), ValueError);
}

TEST_F(TorchKernels, Cumulative) {
  Tensor x = make<int32_t>({1, 2, 3, 4});
  EXPECT_EQ(get<int32_t>(be->cumulative(CumulativeOp::Sum, x, 0, false)),
            (std::vector<int32_t>{1, 3, 6, 10}));
  EXPECT_EQ(get<int32_t>(be->cumulative(CumulativeOp::Sum, x, 0, true)),
            (std::vector<int32_t>{10, 9, 7, 4}));
  EXPECT_EQ(get<int32_t>(be->cumulative(CumulativeOp::Prod, x, 0, true)),
            (std::vector<int32_t>{24, 24, 12, 4}));
  Tensor y = make<double>({1, kNaN, 3, 0});
  auto cm = get<double>(be->cumulative(CumulativeOp::Max, y, 0, false));
  EXPECT_EQ(cm[0], 1.0);
  EXPECT_TRUE(std::isnan(cm[1]) && std::isnan(cm[3]));
  EXPECT_EQ(
      get<float>(be->cumulative(CumulativeOp::Min, make<float>({3, 1, 2, 0}, {2, 2}), 1, true)),
      (std::vector<float>{1, 1, 0, 0}));
  EXPECT_EQ(get<int8_t>(be->cumulative(CumulativeOp::Sum, make<int8_t>({100, 100}), 0, false)),
            (std::vector<int8_t>{100, -56}));
  EXPECT_EQ(get_bool(be->cumulative(CumulativeOp::Sum, make_bool({0, 1, 0}, {3}), 0, false)),
            (std::vector<uint8_t>{0, 1, 1}));
  EXPECT_EQ(get_bool(be->cumulative(CumulativeOp::Prod, make_bool({1, 0, 1}, {3}), 0, false)),
            (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_EQ(get<uint64_t>(
                be->cumulative(CumulativeOp::Max, make<uint64_t>({1, UINT64_MAX, 2}), 0, false)),
            (std::vector<uint64_t>{1, UINT64_MAX, UINT64_MAX}));
  expect_close(
      get_d(be->cumulative(CumulativeOp::Sum, make_f({1, 2, 3}, {3}, DType::Float16), 0, false)),
      {1, 3, 6});
}

// ---- movement ----

TEST_F(TorchKernels, ReshapeTransposeBroadcast) {
  Tensor x = be->arange(0, 1, 6, DType::Float32);
  Tensor r = be->reshape(x, {2, 3});
  EXPECT_EQ(r.shape(), (Shape{2, 3}));
  std::vector<int> perm{1, 0};
  Tensor t = be->transpose(r, perm);
  EXPECT_EQ(t.shape(), (Shape{3, 2}));
  EXPECT_EQ(get<float>(t), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  Tensor b = be->broadcast_to(make<int16_t>({1, 2}, {2, 1}), {3, 2, 2});
  EXPECT_EQ(get<int16_t>(b), (std::vector<int16_t>{1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2}));
  EXPECT_THROW(be->reshape(x, {4, 2}), RuntimeError);  // ATen's error, translated
}

TEST_F(TorchKernels, SliceAndSliceUpdate) {
  Tensor x = be->reshape(be->arange(0, 1, 12, DType::Int32), {3, 4});
  std::vector<int64_t> start{2, 3}, step{-1, -2};
  Tensor s = be->slice(x, start, step, {3, 2});
  EXPECT_EQ(get<int32_t>(s), (std::vector<int32_t>{11, 9, 7, 5, 3, 1}));
  std::vector<int64_t> start2{0, 1}, step2{2, 2};
  EXPECT_EQ(get<int32_t>(be->slice(x, start2, step2, {2, 2})), (std::vector<int32_t>{1, 3, 9, 11}));
  std::vector<int64_t> start3{1, 0}, step3{1, 1};
  EXPECT_EQ(be->slice(x, start3, step3, {0, 4}).shape(), (Shape{0, 4}));
  Tensor u =
      be->slice_update(x, std::vector<int64_t>{1, 2}, make<int32_t>({-1, -2, -3, -4}, {2, 2}));
  EXPECT_EQ(get<int32_t>(u), (std::vector<int32_t>{0, 1, 2, 3, 4, 5, -1, -2, 8, 9, -3, -4}));
  EXPECT_EQ(get<int32_t>(x)[6], 6);  // the input is untouched
}

TEST_F(TorchKernels, Pad) {
  Tensor x = make<float>({1, 2, 3});
  std::vector<std::pair<int64_t, int64_t>> p{{2, 3}};
  EXPECT_EQ(get<float>(be->pad(x, p, PadMode::Constant, 9)),
            (std::vector<float>{9, 9, 1, 2, 3, 9, 9, 9}));
  EXPECT_EQ(get<float>(be->pad(x, p, PadMode::Reflect, 0)),
            (std::vector<float>{3, 2, 1, 2, 3, 2, 1, 2}));
  EXPECT_EQ(get<float>(be->pad(x, p, PadMode::Symmetric, 0)),
            (std::vector<float>{2, 1, 1, 2, 3, 3, 2, 1}));
  // Wider than the axis: NumPy's repeated reflection.
  std::vector<std::pair<int64_t, int64_t>> wide{{5, 4}};
  EXPECT_EQ(get<float>(be->pad(x, wide, PadMode::Reflect, 0)),
            (std::vector<float>{2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3}));
  EXPECT_EQ(get<float>(be->pad(x, wide, PadMode::Symmetric, 0)),
            (std::vector<float>{2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1}));
  // Rank 4 (ATen's own reflect padding stops at 3 dims), mixed axes.
  Tensor y = be->reshape(be->arange(0, 1, 8, DType::Int64), {1, 2, 2, 2});
  std::vector<std::pair<int64_t, int64_t>> p4{{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  Tensor r = be->pad(y, p4, PadMode::Reflect, 0);
  EXPECT_EQ(r.shape(), (Shape{1, 3, 3, 4}));
  auto rv = get<int64_t>(r);
  // r[0, 0] is y[0, 1] (reflected), rows reflected: y[0,1,0], y[0,1,1], y[0,1,0]
  EXPECT_EQ(std::vector<int64_t>(rv.begin(), rv.begin() + 12),
            (std::vector<int64_t>{5, 4, 5, 4, 7, 6, 7, 6, 5, 4, 5, 4}));
  Tensor c = be->pad(make<uint64_t>({1}), std::vector<std::pair<int64_t, int64_t>>{{1, 0}},
                     PadMode::Constant, 1.8e19);
  EXPECT_EQ(get<uint64_t>(c), (std::vector<uint64_t>{18000000000000000000ull, 1}));
  EXPECT_THROW(be->pad(make<float>({}, {0}), p, PadMode::Reflect, 0), ValueError);
}

TEST_F(TorchKernels, Concatenate) {
  std::vector<Tensor> xs{make<uint16_t>({1, 2}, {1, 2}), make<uint16_t>({3, 4, 5, 6}, {2, 2})};
  Tensor c = be->concatenate(xs, 0);
  EXPECT_EQ(c.shape(), (Shape{3, 2}));
  EXPECT_EQ(get<uint16_t>(c), (std::vector<uint16_t>{1, 2, 3, 4, 5, 6}));
}

// ---- gather / scatter ----

TEST_F(TorchKernels, Take) {
  Tensor x = be->reshape(be->arange(0, 1, 6, DType::Float32), {2, 3});
  Tensor t = be->take(x, make<int32_t>({-1, 0, 2, 1}, {2, 2}), 1);
  EXPECT_EQ(t.shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(get<float>(t), (std::vector<float>{2, 0, 2, 1, 5, 3, 5, 4}));
  Tensor s = be->take(x, make<int64_t>({1}, Shape{}), 0);
  EXPECT_EQ(s.shape(), (Shape{3}));
  EXPECT_EQ(get<float>(s), (std::vector<float>{3, 4, 5}));
  try {
    be->take(x, make<int32_t>({0, 3, -5}), 1);
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("take"), std::string::npos) << m;
    EXPECT_NE(m.find("index 3"), std::string::npos) << m;
    EXPECT_NE(m.find("size 3"), std::string::npos) << m;
  }
  EXPECT_THROW(be->take(x, make<int32_t>({-4}), 1), IndexError);
}

TEST_F(TorchKernels, TakeAlongAxisAndAdjoints) {
  Tensor x = make<float>({10, 20, 30, 40, 50, 60}, {2, 3});
  Tensor idx = make<int32_t>({2, -3, 1, 1}, {2, 2});
  EXPECT_EQ(get<float>(be->take_along_axis(x, idx, 1)), (std::vector<float>{30, 10, 50, 50}));
  EXPECT_THROW(be->take_along_axis(x, make<int32_t>({3, 0, 0, 0}, {2, 2}), 1), IndexError);
  Tensor base = be->full({2, 3}, DType::Float32, 0);
  EXPECT_EQ(get<float>(be->scatter_add_along_axis(base, 1, idx, make<float>({1, 2, 3, 4}, {2, 2}))),
            (std::vector<float>{2, 0, 1, 0, 7, 0}));
  Tensor ia = be->index_add(base, 1, make<int64_t>({0, 2, 0, -1}),
                            make<float>({1, 2, 3, 4, 5, 6, 7, 8}, {2, 4}));
  EXPECT_EQ(get<float>(ia), (std::vector<float>{4, 0, 6, 12, 0, 14}));
  EXPECT_THROW(be->index_add(base, 0, make<int64_t>({2}), make<float>({1, 1, 1}, {1, 3})),
               IndexError);
}

TEST_F(TorchKernels, ScatterNd) {
  Tensor base = be->full({3, 2}, DType::Float32, 1);
  Tensor idx = make<int32_t>({0, 2, 0, -1}, {4, 1});
  Tensor upd = make<float>({1, 2, 3, 4, 5, 6, 7, 8}, {4, 2});
  EXPECT_EQ(get<float>(be->scatter_nd(base, idx, upd, ScatterReduction::Set)),
            (std::vector<float>{5, 6, 1, 1, 7, 8}));  // duplicates: the last wins
  EXPECT_EQ(get<float>(be->scatter_nd(base, idx, upd, ScatterReduction::Add)),
            (std::vector<float>{7, 9, 1, 1, 11, 13}));
  EXPECT_EQ(get<float>(be->scatter_nd(base, idx, upd, ScatterReduction::Max)),
            (std::vector<float>{5, 6, 1, 1, 7, 8}));
  EXPECT_EQ(get<float>(be->scatter_nd(base, idx, upd, ScatterReduction::Min)),
            (std::vector<float>{1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(get<float>(be->scatter_nd(base, idx, upd, ScatterReduction::Multiply)),
            (std::vector<float>{5, 12, 1, 1, 21, 32}));
  // Full-rank indices (k = rank): element updates.
  Tensor e = be->scatter_nd(be->full({2, 2}, DType::Int32, 0), make<int64_t>({1, 0, 1, 0}, {2, 2}),
                            make<int32_t>({3, 4}), ScatterReduction::Set);
  EXPECT_EQ(get<int32_t>(e), (std::vector<int32_t>{0, 0, 4, 0}));
  EXPECT_EQ(get<uint64_t>(be->scatter_nd(make<uint64_t>({5, 5}), make<int32_t>({0, 1}, {2, 1}),
                                         make<uint64_t>({UINT64_MAX, 1}), ScatterReduction::Max)),
            (std::vector<uint64_t>{UINT64_MAX, 5}));
  EXPECT_EQ(get_bool(be->scatter_nd(make_bool({0, 1}, {2}), make<int32_t>({0, 1}, {2, 1}),
                                    make_bool({1, 0}, {2}), ScatterReduction::Add)),
            (std::vector<uint8_t>{1, 1}));
  try {
    be->scatter_nd(base, make<int32_t>({3}, {1, 1}), make<float>({1, 1}, {1, 2}),
                   ScatterReduction::Set);
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("index 3"), std::string::npos) << e.what();
  }
}

TEST_F(TorchKernels, Sort) {
  Tensor x = make<float>({3, NAN, 1, NAN, -1, 1});
  auto [v, i] = be->sort(x, 0, false);
  auto vv = get<float>(v);
  EXPECT_EQ(std::vector<float>(vv.begin(), vv.begin() + 4), (std::vector<float>{-1, 1, 1, 3}));
  EXPECT_TRUE(std::isnan(vv[4]) && std::isnan(vv[5]));
  EXPECT_EQ(i.dtype(), DType::Int32);
  EXPECT_EQ(get<int32_t>(i), (std::vector<int32_t>{4, 2, 5, 0, 1, 3}));
  auto [dv, di] = be->sort(make<int32_t>({1, 0, 1, 0, 2}), 0, true);
  EXPECT_EQ(get<int32_t>(dv), (std::vector<int32_t>{2, 1, 1, 0, 0}));
  EXPECT_EQ(get<int32_t>(di), (std::vector<int32_t>{4, 0, 2, 1, 3}));  // stable
  auto [uv, ui] = be->sort(make<uint64_t>({UINT64_MAX, 0, 1ull << 63}), 0, false);
  EXPECT_EQ(get<uint64_t>(uv), (std::vector<uint64_t>{0, 1ull << 63, UINT64_MAX}));
  auto [bv, bi] = be->sort(make_bool({1, 0, 1, 0}, {2, 2}), 1, false);
  EXPECT_EQ(get_bool(bv), (std::vector<uint8_t>{0, 1, 0, 1}));
  EXPECT_EQ(get<int32_t>(bi), (std::vector<int32_t>{1, 0, 1, 0}));
  auto [hv, hi] = be->sort(make_f({2, -1}, {2}, DType::Float16), 0, false);
  EXPECT_EQ(hv.dtype(), DType::Float16);
  EXPECT_EQ(get_d(hv), (std::vector<double>{-1, 2}));
}

TEST_F(TorchKernels, Matmul) {
  Tensor a = be->reshape(be->arange(0, 1, 12, DType::Float64), {2, 2, 3});
  Tensor b = be->reshape(be->arange(0, 1, 12, DType::Float64), {2, 3, 2});
  Tensor c = be->matmul(a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(get<double>(c), (std::vector<double>{10, 13, 28, 40, 172, 193, 244, 274}));
  EXPECT_EQ(get<int32_t>(be->matmul(make<int32_t>({1, 2}, {1, 2}), make<int32_t>({3, 4}, {2, 1}))),
            (std::vector<int32_t>{11}));
  EXPECT_EQ(
      get<uint8_t>(be->matmul(make<uint8_t>({16, 16}, {1, 2}), make<uint8_t>({8, 8}, {2, 1}))),
      (std::vector<uint8_t>{0}));
  Tensor h =
      be->matmul(make_f({1, 2}, {1, 2}, DType::Float16), make_f({3, 4}, {2, 1}, DType::Float16));
  EXPECT_EQ(h.dtype(), DType::Float16);
  EXPECT_EQ(get_d(h), (std::vector<double>{11}));
  EXPECT_EQ(get_bool(be->matmul(make_bool({1, 0}, {1, 2}), make_bool({0, 1}, {2, 1}))),
            (std::vector<uint8_t>{0}));
  EXPECT_THROW(be->matmul(make<float>({1, 2}, {1, 2}), make<float>({1, 2, 3}, {3, 1})),
               RuntimeError);
}

// ---- fused kernels ----

// Row-major multi-index iteration over `shape`.
bool next_index(std::vector<int64_t>& idx, const std::vector<int64_t>& shape) {
  for (size_t d = shape.size(); d-- > 0;) {
    if (++idx[d] < shape[d]) return true;
    idx[d] = 0;
  }
  return false;
}
int64_t offset(const std::vector<int64_t>& idx, const std::vector<int64_t>& shape) {
  int64_t o = 0;
  for (size_t d = 0; d < shape.size(); ++d) o = o * shape[d] + idx[d];
  return o;
}

// Direct channels_last convolution in double.
std::vector<double> reference_conv(const std::vector<double>& x, const Shape& xs,
                                   const std::vector<double>& w, const Shape& ws,
                                   const ConvParams& p, Shape* out_shape) {
  const size_t n = xs.size() - 2;
  const int64_t cin = xs.back(), cout = ws.back(), g = p.groups;
  const int64_t cin_g = cin / g, cout_g = cout / g;
  Shape os{xs[0]};
  for (size_t i = 0; i < n; ++i) {
    int64_t padded = xs[i + 1] + p.padding[i].first + p.padding[i].second;
    os.push_back((padded - p.dilation[i] * (ws[i] - 1) - 1) / p.strides[i] + 1);
  }
  os.push_back(cout);
  *out_shape = os;
  std::vector<double> out(static_cast<size_t>(os.num_elements()), 0.0);
  std::vector<int64_t> oi(os.size(), 0);
  do {
    const int64_t co = oi.back(), grp = co / cout_g;
    double acc = 0;
    std::vector<int64_t> ks(ws.begin(), ws.begin() + static_cast<int64_t>(n));
    std::vector<int64_t> ki(n, 0);
    do {
      std::vector<int64_t> xi{oi[0]};
      bool inside = true;
      for (size_t i = 0; i < n; ++i) {
        int64_t pos = oi[i + 1] * p.strides[i] + ki[i] * p.dilation[i] - p.padding[i].first;
        if (pos < 0 || pos >= xs[i + 1]) inside = false;
        xi.push_back(pos);
      }
      if (inside)
        for (int64_t c = 0; c < cin_g; ++c) {
          xi.push_back(grp * cin_g + c);
          std::vector<int64_t> wi(ki);
          wi.push_back(c);
          wi.push_back(co);
          acc += x[static_cast<size_t>(offset(xi, xs))] * w[static_cast<size_t>(offset(wi, ws))];
          xi.pop_back();
        }
    } while (n > 0 && next_index(ki, ks));
    out[static_cast<size_t>(offset(oi, os))] = acc;
  } while (next_index(oi, os));
  return out;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

struct ConvCase {
  Shape x_shape, w_shape;
  ConvParams p;
};

TEST_F(TorchKernels, ConvMatchesDirectLoopsAndGradientsAreAdjoint) {
  std::vector<ConvCase> cases{
      {{2, 7, 3}, {3, 3, 4}, {{1}, {1}, {{1, 1}}, 1}},
      {{1, 9, 4}, {2, 2, 6}, {{2}, {2}, {{0, 1}}, 2}},  // 1-D, groups, dilation, asymmetric
      {{2, 5, 6, 2}, {3, 2, 2, 3}, {{1, 2}, {1, 1}, {{1, 1}, {0, 1}}, 1}},
      {{1, 6, 6, 4}, {3, 3, 1, 4}, {{2, 2}, {1, 1}, {{0, 1}, {1, 0}}, 4}},  // depthwise
      {{1, 4, 5, 3, 2}, {2, 3, 2, 2, 3}, {{1, 2, 1}, {1, 1, 2}, {{0, 1}, {1, 1}, {1, 0}}, 1}},
  };
  uint32_t seed = 1;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.x_shape.to_string() + " * " + c.w_shape.to_string());
    auto xv = random_values(static_cast<size_t>(c.x_shape.num_elements()), seed++);
    auto wv = random_values(static_cast<size_t>(c.w_shape.num_elements()), seed++);
    Shape os;
    auto want = reference_conv(xv, c.x_shape, wv, c.w_shape, c.p, &os);
    Tensor x = make(xv, c.x_shape), w = make(wv, c.w_shape);
    Tensor y = be->conv(x, w, c.p);
    ASSERT_EQ(y.shape(), os);
    expect_close(get<double>(y), want, 1e-12);
    // float32 too.
    Tensor y32 = be->conv(be->cast(x, DType::Float32), be->cast(w, DType::Float32), c.p);
    EXPECT_EQ(y32.dtype(), DType::Float32);
    expect_close(get_d(y32), want, 1e-5);
    // <conv(x, w), g> == <x, dx(g)> == <w, dw(x, g)>
    auto gv = random_values(static_cast<size_t>(os.num_elements()), seed++);
    Tensor g = make(gv, os);
    Tensor dx = be->conv_backprop_input(g, w, c.x_shape, c.p);
    Tensor dw = be->conv_backprop_filter(x, g, c.w_shape, c.p);
    ASSERT_EQ(dx.shape(), c.x_shape);
    ASSERT_EQ(dw.shape(), c.w_shape);
    const double yg = dot(want, gv);
    EXPECT_NEAR(dot(xv, get<double>(dx)), yg, 1e-9 * (1 + std::abs(yg)));
    EXPECT_NEAR(dot(wv, get<double>(dw)), yg, 1e-9 * (1 + std::abs(yg)));
  }
}

std::vector<double> reference_pool(const std::vector<double>& x, const Shape& xs,
                                   const PoolParams& p, bool max, Shape* out_shape) {
  const size_t n = xs.size() - 2;
  Shape os{xs[0]};
  for (size_t i = 0; i < n; ++i)
    os.push_back(
        (xs[i + 1] + p.padding[i].first + p.padding[i].second - p.pool_size[i]) / p.strides[i] + 1);
  os.push_back(xs.back());
  *out_shape = os;
  std::vector<double> out;
  std::vector<int64_t> oi(os.size(), 0);
  do {
    double acc = max ? -kInf : 0.0;
    int64_t count = 0;
    std::vector<int64_t> ki(n, 0);
    std::vector<int64_t> ks(p.pool_size.begin(), p.pool_size.end());
    do {
      std::vector<int64_t> xi{oi[0]};
      bool inside = true;
      for (size_t i = 0; i < n; ++i) {
        int64_t pos = oi[i + 1] * p.strides[i] + ki[i] - p.padding[i].first;
        if (pos < 0 || pos >= xs[i + 1]) inside = false;
        xi.push_back(pos);
      }
      xi.push_back(oi.back());
      if (!inside) continue;
      double v = x[static_cast<size_t>(offset(xi, xs))];
      acc = max ? std::max(acc, v) : acc + v;
      ++count;
    } while (next_index(ki, ks));
    out.push_back(max ? acc : acc / static_cast<double>(count));
  } while (next_index(oi, os));
  return out;
}

TEST_F(TorchKernels, PoolingMatchesDirectLoops) {
  std::vector<std::pair<Shape, PoolParams>> cases{
      {{2, 7, 3}, {{2}, {2}, {{0, 1}}}},  // 1-D "same" with stride 2
      {{1, 5, 5, 2}, {{3, 3}, {1, 1}, {{1, 1}, {1, 1}}}},
      {{2, 6, 5, 1}, {{2, 3}, {2, 2}, {{0, 0}, {1, 1}}}},
      {{1, 4, 4, 2}, {{2, 2}, {2, 2}, {{0, 0}, {0, 0}}}},  // "valid"
      {{1, 3, 4, 5, 2}, {{2, 2, 3}, {1, 2, 2}, {{0, 1}, {0, 0}, {1, 1}}}},
  };
  uint32_t seed = 100;
  for (const auto& [xs, p] : cases) {
    SCOPED_TRACE(xs.to_string());
    auto xv = random_values(static_cast<size_t>(xs.num_elements()), seed++);
    Tensor x = make(xv, xs);
    for (bool is_max : {true, false}) {
      Shape os;
      auto want = reference_pool(xv, xs, p, is_max, &os);
      Tensor y = is_max ? be->max_pool(x, p) : be->avg_pool(x, p);
      ASSERT_EQ(y.shape(), os);
      expect_close(get<double>(y), want, 1e-12);
      expect_close(get_d(is_max ? be->max_pool(be->cast(x, DType::Float32), p)
                                : be->avg_pool(be->cast(x, DType::Float32), p)),
                   want, 1e-5);
      auto gv = random_values(static_cast<size_t>(os.num_elements()), seed++);
      Tensor g = make(gv, os);
      Tensor dx = is_max ? be->max_pool_backward(x, g, p) : be->avg_pool_backward(g, xs, p);
      ASSERT_EQ(dx.shape(), xs);
      auto dxv = get<double>(dx);
      if (!is_max) {  // linear: adjoint identity
        EXPECT_NEAR(dot(xv, dxv), dot(want, gv), 1e-9);
      } else {  // locally linear: the gradient sums to the sum of g, placed on maxima
        EXPECT_NEAR(std::accumulate(dxv.begin(), dxv.end(), 0.0),
                    std::accumulate(gv.begin(), gv.end(), 0.0), 1e-9);
        EXPECT_NEAR(dot(xv, dxv), dot(want, gv), 1e-9);
      }
    }
  }
}

TEST_F(TorchKernels, MaxPoolGradientGoesToTheFirstMaximum) {
  PoolParams p{{2}, {2}, {{0, 0}}};
  Tensor x = make<float>({3, 3, 1, 2}, {1, 4, 1});
  Tensor dx = be->max_pool_backward(x, make<float>({10, 20}, {1, 2, 1}), p);
  EXPECT_EQ(get<float>(dx), (std::vector<float>{10, 0, 0, 20}));
}

TEST_F(TorchKernels, SoftmaxAndLogSoftmax) {
  Tensor x = make<double>({1, 2, 3, 1000, 1000, -kInf}, {2, 3});
  auto s = get<double>(be->softmax(x, 1));
  double e = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  expect_close(s, {std::exp(1.0) / e, std::exp(2.0) / e, std::exp(3.0) / e, 0.5, 0.5, 0.0}, 1e-14);
  auto ls = get<double>(be->log_softmax(x, 0));
  expect_close(std::vector<double>{ls[0], ls[3]}, {1.0 - 1000.0, 0.0}, 1e-12);
  Tensor h = be->softmax(make_f({0, 0}, {2}, DType::Float16), 0);
  EXPECT_EQ(h.dtype(), DType::Float16);
  EXPECT_EQ(get_d(h), (std::vector<double>{0.5, 0.5}));
}

TEST_F(TorchKernels, AtenErrorsAreKerasErrors) {
  try {
    be->concatenate(std::vector<Tensor>{make<float>({1}, {1, 1}), make<float>({1, 2}, {1, 2})}, 0);
    FAIL() << "expected an error";
  } catch (const keras::Error& e) {
    EXPECT_NE(std::string(e.what()).find("concatenate"), std::string::npos) << e.what();
  }
}

// ---- agreement with the cpu backend ----

class TorchVsCpu : public TorchKernels {
 protected:
  void SetUp() override {
    TorchKernels::SetUp();
    if (IsSkipped()) return;
    if (!has_backend("cpu")) GTEST_SKIP() << "the cpu backend is not built";
    cpu = &get_backend("cpu");
  }
  // Runs f on both backends with the same host inputs; compares as float64 (integers exactly).
  void compare(const std::string& what, const std::vector<Tensor>& torch_inputs,
               const std::function<Tensor(Backend&, const std::vector<Tensor>&)>& f, double tol) {
    SCOPED_TRACE(what);
    std::vector<Tensor> cpu_inputs;
    for (const Tensor& t : torch_inputs) {
      std::vector<unsigned char> raw(static_cast<size_t>(t.size()) * dtype_size(t.dtype()));
      if (!raw.empty()) be->to_host(t, raw.data());
      cpu_inputs.push_back(cpu->from_host(raw.data(), t.shape(), t.dtype()));
    }
    Tensor want;
    try {
      want = f(*cpu, cpu_inputs);
    } catch (const NotImplementedError&) {
      ++skipped;  // not (yet) on the cpu backend
      return;
    } catch (const TypeError&) {
      // A dtype the cpu backend refuses: the torch backend must refuse it the same way.
      EXPECT_THROW(f(*be, torch_inputs), TypeError);
      ++refused;
      return;
    }
    ++compared;
    Tensor got = f(*be, torch_inputs);
    ASSERT_EQ(got.dtype(), want.dtype());
    ASSERT_EQ(got.shape(), want.shape());
    std::vector<unsigned char> a(static_cast<size_t>(got.size()) * dtype_size(got.dtype()));
    std::vector<unsigned char> b(a.size());
    if (!a.empty()) {
      be->to_host(got, a.data());
      cpu->to_host(want, b.data());
    }
    if (!is_floating(got.dtype())) {
      EXPECT_EQ(a, b);
      return;
    }
    std::vector<double> ga(static_cast<size_t>(got.size())), gb(ga.size());
    detail::convert_elements(a.data(), got.dtype(), ga.data(), DType::Float64, got.size());
    detail::convert_elements(b.data(), got.dtype(), gb.data(), DType::Float64, got.size());
    expect_close(ga, gb, tol);
  }
  void TearDown() override {
    if (cpu != nullptr)
      std::cout << "[ compared " << compared << " kernel calls; both refused " << refused
                << "; not on cpu " << skipped << " ]\n";
  }
  Backend* cpu = nullptr;
  int compared = 0, refused = 0, skipped = 0;
};

const std::vector<double> kSpecials{0.0,  -0.0, 0.5,   1.5, 2.5,  -2.5,  1e30,   -1e30,
                                    kNaN, kInf, -kInf, 3.7, -3.7, 100.0, -100.0, 1e-8};

TEST_F(TorchVsCpu, ElementwiseAgree) {
  for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16, DType::Int8,
                   DType::Int16, DType::Int32, DType::Int64, DType::UInt8, DType::UInt16,
                   DType::UInt32, DType::UInt64, DType::Bool}) {
    auto v = random_values(48, 7, -6, 6);
    v.insert(v.end(), kSpecials.begin(), kSpecials.end());
    if (!is_floating(dt)) {
      for (auto& x : v)
        if (std::isnan(x) || std::isinf(x) || std::abs(x) > 1e6) x = -3;
    }
    Tensor a = make_f(v, {static_cast<int64_t>(v.size())}, dt);
    std::vector<double> w(v.rbegin(), v.rend());
    Tensor b = make_f(w, {static_cast<int64_t>(w.size())}, dt);
    const double tol = dt == DType::Float16 || dt == DType::BFloat16 ? 1e-2
                       : dt == DType::Float32                        ? 1e-5
                                                                     : 1e-12;
    for (int k = 0; k < kNumUnaryOps; ++k) {
      UnaryOp op = static_cast<UnaryOp>(k);
      bool floating_only = op >= UnaryOp::Sqrt && op <= UnaryOp::LogSigmoid;
      if (floating_only && !is_floating(dt)) continue;
      if (op == UnaryOp::BitwiseNot && is_floating(dt)) continue;
      compare(
          std::string(dtype_name(dt)) + " " + std::string(unary_op_name(op)), {a},
          [op](Backend& be, const std::vector<Tensor>& in) { return be.unary(op, in[0]); }, tol);
    }
    for (int k = 0; k < kNumBinaryOps; ++k) {
      BinaryOp op = static_cast<BinaryOp>(k);
      if ((op == BinaryOp::Divide || op == BinaryOp::Arctan2) && !is_floating(dt)) continue;
      if (op >= BinaryOp::BitwiseAnd && is_floating(dt)) continue;
      compare(
          std::string(dtype_name(dt)) + " " + std::string(binary_op_name(op)), {a, b},
          [op](Backend& be, const std::vector<Tensor>& in) { return be.binary(op, in[0], in[1]); },
          tol);
    }
    for (DType to : {DType::Bool, DType::Int8, DType::UInt8, DType::Int32, DType::UInt32,
                     DType::Int64, DType::UInt64, DType::Float16, DType::Float32}) {
      compare(
          std::string(dtype_name(dt)) + " cast to " + std::string(dtype_name(to)), {a},
          [to](Backend& be, const std::vector<Tensor>& in) { return be.cast(in[0], to); }, tol);
    }
  }
}

TEST_F(TorchVsCpu, ReductionsSortAndMovementAgree) {
  for (DType dt : {DType::Float32, DType::Float64, DType::Int32, DType::UInt8, DType::Int64}) {
    auto v = random_values(60, 11, -5, 5);
    Tensor x = be->reshape(make_f(v, {60}, dt), {3, 4, 5});
    const double tol = dt == DType::Float32 ? 1e-5 : 1e-12;
    for (int r = 0; r < 6; ++r) {
      ReduceOp op = static_cast<ReduceOp>(r);
      for (std::vector<int> axes : {std::vector<int>{1}, std::vector<int>{0, 2}})
        compare(
            "reduce " + std::to_string(r), {x},
            [op, axes](Backend& be, const std::vector<Tensor>& in) {
              return be.reduce(op, in[0], axes, true);
            },
            tol);
    }
    for (int axis = 0; axis < 3; ++axis) {
      compare(
          "argmax", {x},
          [axis](Backend& be, const std::vector<Tensor>& in) {
            return be.arg_reduce(ArgReduceOp::ArgMax, in[0], axis, false);
          },
          0);
      compare(
          "argmin", {x},
          [axis](Backend& be, const std::vector<Tensor>& in) {
            return be.arg_reduce(ArgReduceOp::ArgMin, in[0], axis, true);
          },
          0);
      for (int c = 0; c < 4; ++c)
        compare(
            "cumulative " + std::to_string(c), {x},
            [axis, c](Backend& be, const std::vector<Tensor>& in) {
              return be.cumulative(static_cast<CumulativeOp>(c), in[0], axis, c % 2 == 1);
            },
            tol);
      compare(
          "sort values", {x},
          [axis](Backend& be, const std::vector<Tensor>& in) {
            return be.sort(in[0], axis, axis == 1).first;
          },
          0);
      compare(
          "sort indices", {x},
          [axis](Backend& be, const std::vector<Tensor>& in) {
            return be.sort(in[0], axis, axis == 1).second;
          },
          0);
    }
    compare(
        "pad reflect", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<std::pair<int64_t, int64_t>> p{{1, 2}, {0, 3}, {4, 1}};
          return be.pad(in[0], p, PadMode::Reflect, 0);
        },
        0);
    compare(
        "pad symmetric", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<std::pair<int64_t, int64_t>> p{{2, 2}, {1, 0}, {0, 5}};
          return be.pad(in[0], p, PadMode::Symmetric, 0);
        },
        0);
    compare(
        "slice", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<int64_t> start{2, 0, 4}, step{-1, 3, -2};
          return be.slice(in[0], start, step, {3, 2, 3});
        },
        0);
    compare(
        "transpose", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<int> perm{2, 0, 1};
          return be.transpose(in[0], perm);
        },
        0);
  }
}

TEST_F(TorchVsCpu, FusedKernelsAgree) {
  auto xv = random_values(2 * 7 * 6 * 4, 21);
  auto wv = random_values(3 * 3 * 2 * 6, 22);
  Tensor x = make_f(xv, {2, 7, 6, 4}, DType::Float32);
  Tensor w = make_f(wv, {3, 3, 2, 6}, DType::Float32);
  ConvParams p{{2, 1}, {1, 2}, {{1, 1}, {2, 1}}, 2};
  compare(
      "conv", {x, w},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.conv(in[0], in[1], p); }, 1e-4);
  PoolParams pp{{3, 2}, {2, 2}, {{1, 1}, {0, 1}}};
  compare(
      "max_pool", {x},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.max_pool(in[0], pp); }, 1e-6);
  compare(
      "avg_pool", {x},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.avg_pool(in[0], pp); }, 1e-5);
  compare(
      "softmax", {x},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.softmax(in[0], 3); }, 1e-5);
  compare(
      "log_softmax", {x},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.log_softmax(in[0], 1); }, 1e-5);
}

TEST_F(TorchVsCpu, IndexingScatterMatmulAndGradientsAgree) {
  for (DType dt : {DType::Float32, DType::Float64, DType::Int32, DType::UInt16, DType::Bool}) {
    const double tol = dt == DType::Float32 ? 1e-5 : 1e-12;
    Tensor x = be->reshape(make_f(random_values(24, 31, -4, 4), {24}, dt), {2, 3, 4});
    Tensor idx = make<int64_t>({3, -1, 0, 2, 2, -4}, {2, 3});
    compare(
        "take", {x, idx},
        [](Backend& be, const std::vector<Tensor>& in) { return be.take(in[0], in[1], 2); }, 0);
    Tensor along = make<int32_t>({0, 2, 1, -1, 0, 0, 2, 1, 1, 0, 2, 2}, {2, 3, 2});
    compare(
        "take_along_axis", {x, along},
        [](Backend& be, const std::vector<Tensor>& in) {
          return be.take_along_axis(in[0], in[1], 2);
        },
        0);
    Tensor src = be->reshape(make_f(random_values(12, 32, -4, 4), {12}, dt), {2, 3, 2});
    compare(
        "scatter_add_along_axis", {x, along, src},
        [](Backend& be, const std::vector<Tensor>& in) {
          return be.scatter_add_along_axis(in[0], 2, in[1], in[2]);
        },
        tol);
    Tensor src2 = be->reshape(make_f(random_values(16, 33, -4, 4), {16}, dt), {2, 2, 4});
    compare(
        "index_add", {x, make<int32_t>({2, 2}), src2},
        [](Backend& be, const std::vector<Tensor>& in) {
          return be.index_add(in[0], 1, in[1], in[2]);
        },
        tol);
    Tensor nd = make<int32_t>({1, 2, 0, 0, 1, 2, -1, 1}, {4, 2});
    Tensor upd = be->reshape(make_f(random_values(16, 34, -4, 4), {16}, dt), {4, 4});
    for (int r = 0; r < 5; ++r)
      compare(
          "scatter_nd " + std::to_string(r), {x, nd, upd},
          [r](Backend& be, const std::vector<Tensor>& in) {
            return be.scatter_nd(in[0], in[1], in[2], static_cast<ScatterReduction>(r));
          },
          tol);
    Tensor m1 = be->reshape(make_f(random_values(30, 35, -3, 3), {30}, dt), {2, 3, 5});
    Tensor m2 = be->reshape(make_f(random_values(20, 36, -3, 3), {20}, dt), {2, 5, 2});
    compare(
        "matmul", {m1, m2},
        [](Backend& be, const std::vector<Tensor>& in) { return be.matmul(in[0], in[1]); }, tol);
    compare(
        "pad constant", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<std::pair<int64_t, int64_t>> p{{1, 0}, {0, 2}, {3, 1}};
          return be.pad(in[0], p, PadMode::Constant, 2.5);
        },
        0);
    compare(
        "broadcast_to", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          return be.broadcast_to(in[0], {3, 2, 3, 4});
        },
        0);
    compare(
        "slice_update", {x, src},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<int64_t> start{0, 0, 1};
          return be.slice_update(in[0], start, in[1]);
        },
        0);
  }
  // Convolution and pooling gradients, 1-D to 3-D.
  ConvParams p1{{2}, {1}, {{1, 2}}, 1};
  Tensor x1 = make_f(random_values(2 * 9 * 4, 41), {2, 9, 4}, DType::Float32);
  Tensor w1 = make_f(random_values(3 * 4 * 5, 42), {3, 4, 5}, DType::Float32);
  Tensor g1 = be->conv(x1, w1, p1);
  Tensor gr = make_f(random_values(static_cast<size_t>(g1.size()), 43), g1.shape(), DType::Float32);
  compare(
      "conv_backprop_input", {gr, w1},
      [&](Backend& be, const std::vector<Tensor>& in) {
        return be.conv_backprop_input(in[0], in[1], x1.shape(), p1);
      },
      1e-4);
  compare(
      "conv_backprop_filter", {x1, gr},
      [&](Backend& be, const std::vector<Tensor>& in) {
        return be.conv_backprop_filter(in[0], in[1], w1.shape(), p1);
      },
      1e-4);
  ConvParams p3{{1, 2, 1}, {2, 1, 1}, {{2, 2}, {0, 1}, {1, 1}}, 2};
  Tensor x3 = make_f(random_values(1 * 5 * 4 * 3 * 4, 44), {1, 5, 4, 3, 4}, DType::Float64);
  Tensor w3 = make_f(random_values(2 * 2 * 3 * 2 * 6, 45), {2, 2, 3, 2, 6}, DType::Float64);
  compare(
      "conv 3-D", {x3, w3},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.conv(in[0], in[1], p3); }, 1e-12);
  for (auto [xs, pp] : std::vector<std::pair<Shape, PoolParams>>{
           {{2, 9, 3}, {{3}, {2}, {{1, 1}}}},
           {{1, 5, 6, 2}, {{2, 2}, {2, 2}, {{0, 1}, {0, 0}}}},
           {{1, 3, 4, 5, 2}, {{2, 2, 2}, {1, 2, 2}, {{0, 1}, {0, 0}, {0, 1}}}}}) {
    Tensor x =
        make_f(random_values(static_cast<size_t>(xs.num_elements()), 46), xs, DType::Float64);
    Tensor y = be->max_pool(x, pp);
    Tensor g = make_f(random_values(static_cast<size_t>(y.size()), 47), y.shape(), DType::Float64);
    compare(
        "max_pool_backward " + xs.to_string(), {x, g},
        [&](Backend& be, const std::vector<Tensor>& in) {
          return be.max_pool_backward(in[0], in[1], pp);
        },
        1e-12);
    compare(
        "avg_pool_backward " + xs.to_string(), {g},
        [&](Backend& be, const std::vector<Tensor>& in) {
          return be.avg_pool_backward(in[0], xs, pp);
        },
        1e-12);
    compare(
        "avg_pool " + xs.to_string(), {x},
        [&](Backend& be, const std::vector<Tensor>& in) { return be.avg_pool(in[0], pp); }, 1e-12);
  }
  for (DType dt : {DType::Float16, DType::Int32, DType::UInt64, DType::Float64}) {
    compare(
        "full", {},
        [dt](Backend& be, const std::vector<Tensor>&) {
          return be.full({2, 2}, dt, -7.6);
        },
        0);
    compare(
        "arange", {},
        [dt](Backend& be, const std::vector<Tensor>&) { return be.arange(-3.0, 0.7, 9, dt); }, 0);
  }
}

}  // namespace
}  // namespace keras::backend
