// What only the cpu backend promises, beyond the contract suite (tests/backend/contract/): the
// libraries it is built on, its native fused kernels, and its exception types and handles.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "keras/backend/backend.hpp"

namespace keras::backend {
namespace {

Backend& cpu() { return get_backend("cpu"); }

TEST(CpuSpecific, InfoNamesOneDnnAndOpenBlas) {
  BackendInfo info = cpu().info();
  EXPECT_NE(info.device.find("CPU"), std::string::npos) << info.device;
  EXPECT_NE(info.libraries.find("oneDNN 2."), std::string::npos) << info.libraries;
  EXPECT_NE(info.libraries.find("OpenBLAS"), std::string::npos) << info.libraries;
  EXPECT_TRUE(cpu().has_native(FusedKernel::Conv));
  EXPECT_TRUE(cpu().has_native(FusedKernel::LogSoftmax));
}

TEST(CpuSpecific, CastToTheSameDtypeIsANewHandle) {
  Tensor x = cpu().arange(0, 1, 3, DType::Float64);
  Tensor s = cpu().cast(x, DType::Float64);
  EXPECT_NE(s.id(), x.id());
  EXPECT_EQ(s.impl()->storage, x.impl()->storage);
}

TEST(CpuSpecific, ReshapeSharesStorage) {
  Tensor x = cpu().arange(0, 1, 6, DType::Float32);
  EXPECT_EQ(cpu().reshape(x, {2, 3}).impl()->storage, x.impl()->storage);
}

// The torch backend reports these as RuntimeError (ATen's error, translated).
TEST(CpuSpecific, ShapeErrorsAreValueErrors) {
  EXPECT_THROW(cpu().reshape(cpu().arange(0, 1, 6, DType::Float32), {4}), ValueError);
  Tensor b = cpu().full({2, 1, 3}, DType::Float64, 0);
  EXPECT_THROW(cpu().binary(BinaryOp::Add, b, cpu().full({2}, DType::Float64, 0)), ValueError);
  EXPECT_THROW(cpu().broadcast_to(cpu().full({3, 1}, DType::Int8, 0), {2, 3}), ValueError);
  std::vector<Tensor> mismatched{cpu().full({2, 2}, DType::Int16, 0),
                                 cpu().full({3, 1}, DType::Int16, 0)};
  EXPECT_THROW(cpu().concatenate(mismatched, 1), ValueError);
  EXPECT_THROW(
      cpu().conv(cpu().full({1, 5, 3}, DType::Float32, 0), cpu().full({2, 4, 2}, DType::Float32, 0),
                 ConvParams{{1}, {1}, {{0, 0}}, 1}),
      ValueError);
  Tensor a = cpu().reshape(cpu().arange(0, 1, 6, DType::Int32), {2, 3});
  try {
    cpu().matmul(a, a);
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("(2, 3)"), std::string::npos) << e.what();
  }
}

// Stronger than the contract: ATen refuses relu on integers, flushes this float32 sigmoid to 0,
// rounds tanh differently in its vectorized loops and loses precision in erfinv's tails.
TEST(CpuSpecific, UnaryPrecisionBeyondTheContract) {
  std::vector<int32_t> iv{-3, 4};
  int32_t relu[2];
  cpu().to_host(cpu().unary(UnaryOp::Relu, cpu().from_host(iv.data(), {2}, DType::Int32)), relu);
  EXPECT_EQ(relu[0], 0);
  EXPECT_EQ(relu[1], 4);
  float xf = -100.f, sig;
  cpu().to_host(cpu().unary(UnaryOp::Sigmoid, cpu().from_host(&xf, {}, DType::Float32)), &sig);
  EXPECT_NEAR(sig, 3.7200760e-44f, 1e-45f);  // subnormal, not flushed or NaN
  std::vector<double> v(200001);
  std::mt19937 gen(7);
  std::uniform_real_distribution<double> dist(-5, 5);
  for (auto& e : v) e = dist(gen);
  std::vector<double> t(v.size());
  cpu().to_host(cpu().unary(UnaryOp::Tanh, cpu().from_host(v.data(), {200001}, DType::Float64)),
                t.data());
  for (size_t i = 0; i < v.size(); i += 997) EXPECT_EQ(t[i], std::tanh(v[i]));  // bit for bit
  std::vector<double> ys{-0.999999999, -0.9999, -0.7, 0.9, 0.99, 0.999999, 1 - 1e-15};
  std::vector<double> x(ys.size());
  cpu().to_host(cpu().unary(UnaryOp::Erfinv, cpu().from_host(ys.data(), {7}, DType::Float64)),
                x.data());
  for (size_t i = 0; i < ys.size(); ++i) {
    double tail = 1 - std::fabs(ys[i]);
    EXPECT_NEAR(std::erfc(std::fabs(x[i])), tail, 1e-14 * tail) << ys[i];
  }
}

}  // namespace
}  // namespace keras::backend
