// The composite fallbacks of the optional fused kernels (Backend::conv, ...) against each
// backend's native kernels, called directly on the backend object: both paths must agree for
// strides, dilation, groups, asymmetric padding, 1D/2D/3D and pooling windows.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"

namespace keras {
namespace {

using backend::Backend;
using backend::ConvParams;
using backend::PoolParams;
namespace ops = keras::ops;

class FallbacksTest : public testing::BackendTest {
 protected:
  Backend& be() { return backend::get_backend(backend_name()); }
};

void expect_same(const Tensor& fallback, const Tensor& native, double tol,
                 const std::string& what) {
  ASSERT_EQ(fallback.shape(), native.shape()) << what;
  EXPECT_EQ(fallback.dtype(), native.dtype()) << what;
  std::vector<double> a = fallback.to_vector<double>(), b = native.to_vector<double>();
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isinf(b[i]))
      EXPECT_EQ(a[i], b[i]) << what << " [" << i << "]";
    else
      EXPECT_NEAR(a[i], b[i], tol * (1 + std::fabs(b[i]))) << what << " [" << i << "]";
  }
}

struct ConvCase {
  std::string name;
  Shape x, k;
  ConvParams p;
};

std::vector<ConvCase> conv_cases() {
  return {
      {"1d", {2, 9, 3}, {3, 3, 4}, {{1}, {1}, {{0, 0}}, 1}},
      {"1d strided dilated padded", {2, 10, 2}, {3, 2, 3}, {{2}, {2}, {{2, 1}}, 1}},
      {"2d asymmetric padding", {2, 6, 5, 3}, {3, 2, 3, 4}, {{1, 2}, {1, 1}, {{1, 0}, {0, 2}}, 1}},
      {"2d groups", {1, 5, 6, 6}, {3, 3, 2, 9}, {{2, 1}, {1, 1}, {{1, 1}, {1, 1}}, 3}},
      {"2d dilation", {1, 8, 7, 2}, {2, 3, 2, 2}, {{1, 1}, {3, 2}, {{0, 0}, {2, 2}}, 1}},
      {"2d depthwise", {2, 5, 5, 4}, {3, 3, 1, 8}, {{2, 2}, {1, 1}, {{1, 1}, {1, 1}}, 4}},
      {"2d stride leaves a tail",
       {1, 7, 7, 1},
       {2, 2, 1, 2},
       {{3, 3}, {1, 1}, {{0, 0}, {0, 0}}, 1}},
      {"3d", {1, 4, 5, 3, 2}, {2, 3, 2, 2, 3}, {{1, 2, 1}, {1, 1, 1}, {{0, 1}, {1, 1}, {1, 0}}, 1}},
      {"3d groups strided",
       {1, 5, 4, 4, 4},
       {3, 2, 2, 2, 4},
       {{2, 1, 2}, {1, 2, 1}, {{1, 1}, {0, 1}, {1, 0}}, 2}},
  };
}

Shape conv_out(const ConvCase& c) {
  Shape s{c.x[0]};
  int nd = c.x.rank() - 2;
  for (int i = 0; i < nd; ++i) {
    int64_t padded = c.x[1 + i] + c.p.padding[i].first + c.p.padding[i].second;
    int64_t k_eff = (c.k[i] - 1) * c.p.dilation[i] + 1;
    s.push_back((padded - k_eff) / c.p.strides[i] + 1);
  }
  s.push_back(c.k.back());
  return s;
}

TEST_P(FallbacksTest, ConvKernelsMatchNative) {
  Backend& b = be();
  for (DType dt : {DType::Float64, DType::Float32}) {
    double tol = dt == DType::Float64 ? 1e-12 : 2e-5;
    for (const auto& c : conv_cases()) {
      std::string what = c.name + " " + std::string(dtype_name(dt));
      Tensor x = ops::cast(testing::test_values(c.x, -1, 1, 1), dt);
      Tensor k = ops::cast(testing::test_values(c.k, -1, 1, 2), dt);
      Tensor g = ops::cast(testing::test_values(conv_out(c), -1, 1, 3), dt);
      expect_same(b.Backend::conv(x, k, c.p), b.conv(x, k, c.p), tol, what + " conv");
      expect_same(b.Backend::conv_backprop_input(g, k, c.x, c.p),
                  b.conv_backprop_input(g, k, c.x, c.p), tol, what + " backprop_input");
      expect_same(b.Backend::conv_backprop_filter(x, g, c.k, c.p),
                  b.conv_backprop_filter(x, g, c.k, c.p), tol, what + " backprop_filter");
    }
  }
}

struct PoolCase {
  std::string name;
  Shape x;
  PoolParams p;
};

std::vector<PoolCase> pool_cases() {
  return {
      {"1d valid", {2, 9, 3}, {{2}, {2}, {{0, 0}}}},
      {"1d same overlapping", {1, 8, 2}, {{3}, {1}, {{1, 1}}}},
      {"2d valid strided", {2, 6, 7, 3}, {{2, 3}, {2, 2}, {{0, 0}, {0, 0}}}},
      {"2d same asymmetric", {1, 5, 5, 2}, {{2, 2}, {2, 2}, {{0, 1}, {0, 1}}}},
      {"2d overlapping padded", {1, 6, 5, 2}, {{3, 3}, {2, 1}, {{1, 1}, {1, 1}}}},
      {"3d same", {1, 4, 5, 3, 2}, {{2, 3, 2}, {2, 2, 1}, {{0, 0}, {1, 1}, {0, 1}}}},
      {"3d valid", {2, 4, 4, 4, 1}, {{2, 2, 2}, {2, 2, 2}, {{0, 0}, {0, 0}, {0, 0}}}},
      // Windows tiling the input (the cpu backend's one-pass max-pool gradient), with trailing
      // rows/columns no window reads and more channels than its 64-channel blocks.
      {"2d tiled", {2, 5, 7, 70}, {{2, 2}, {2, 2}, {{0, 0}, {0, 0}}}},
  };
}

Shape pool_out(const PoolCase& c) {
  Shape s{c.x[0]};
  for (size_t i = 0; i < c.p.pool_size.size(); ++i) {
    int64_t padded = c.x[1 + i] + c.p.padding[i].first + c.p.padding[i].second;
    s.push_back((padded - c.p.pool_size[i]) / c.p.strides[i] + 1);
  }
  s.push_back(c.x.back());
  return s;
}

TEST_P(FallbacksTest, PoolKernelsMatchNative) {
  Backend& b = be();
  for (DType dt : {DType::Float64, DType::Float32}) {
    double tol = dt == DType::Float64 ? 1e-12 : 1e-6;
    for (const auto& c : pool_cases()) {
      std::string what = c.name + " " + std::string(dtype_name(dt));
      // Distinct values, so the maximum of every window is unique.
      Tensor x = ops::cast(testing::test_values(c.x, -3, 3, 5), dt);
      Tensor g = ops::cast(testing::test_values(pool_out(c), -1, 1, 6), dt);
      expect_same(b.Backend::max_pool(x, c.p), b.max_pool(x, c.p), tol, what + " max_pool");
      expect_same(b.Backend::avg_pool(x, c.p), b.avg_pool(x, c.p), tol, what + " avg_pool");
      expect_same(b.Backend::max_pool_backward(x, g, c.p), b.max_pool_backward(x, g, c.p), tol,
                  what + " max_pool_backward");
      expect_same(b.Backend::avg_pool_backward(g, c.x, c.p), b.avg_pool_backward(g, c.x, c.p), tol,
                  what + " avg_pool_backward");
    }
  }
}

TEST_P(FallbacksTest, MaxPoolOnIntegersAndTies) {
  Backend& b = be();
  PoolParams p{{2}, {1}, {{0, 1}}};
  Tensor xi = ops::convert_to_tensor(std::vector<int32_t>{3, -7, 3, 9, -2}, Shape{1, 5, 1});
  Tensor fi = b.Backend::max_pool(xi, p);
  EXPECT_EQ(fi.dtype(), DType::Int32);
  EXPECT_EQ(fi.to_vector<int32_t>(), (std::vector<int32_t>{3, 3, 9, 9, -2}));
  // Ties: the gradient goes to the first maximum of each window.
  Tensor x = ops::convert_to_tensor(std::vector<double>{1, 4, 4, 2}, Shape{1, 4, 1});
  Tensor g = ops::convert_to_tensor(std::vector<double>{1, 10, 100}, Shape{1, 3, 1});
  PoolParams q{{2}, {1}, {{0, 0}}};
  EXPECT_EQ(b.Backend::max_pool_backward(x, g, q).to_vector<double>(),
            (std::vector<double>{0, 11, 100, 0}));
}

TEST_P(FallbacksTest, SoftmaxKernelsMatchNative) {
  Backend& b = be();
  for (DType dt : {DType::Float64, DType::Float32}) {
    double tol = dt == DType::Float64 ? 1e-14 : 4e-6;
    Tensor x = ops::cast(testing::test_values({3, 4, 5}, -5, 5, 9), dt);
    for (int axis : {0, 1, 2}) {
      std::string what = std::string(dtype_name(dt)) + " axis " + std::to_string(axis);
      expect_same(b.Backend::softmax(x, axis), b.softmax(x, axis), tol, what + " softmax");
      expect_same(b.Backend::log_softmax(x, axis), b.log_softmax(x, axis), tol,
                  what + " log_softmax");
    }
  }
  // Large and -inf entries.
  Tensor big =
      ops::convert_to_tensor(std::vector<float>{1000, 1000, -1000, -INFINITY, 0, 88}, Shape{2, 3});
  expect_same(b.Backend::softmax(big, 1), b.softmax(big, 1), 4e-6, "softmax extremes");
  expect_same(b.Backend::log_softmax(big, 1), b.log_softmax(big, 1), 4e-6, "log_softmax extremes");
}

KERAS_INSTANTIATE_BACKEND_TEST(FallbacksTest);

}  // namespace
}  // namespace keras
