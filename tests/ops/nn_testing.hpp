#pragma once
// Small helpers shared by the nn and math op tests.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"

namespace keras::nn_testing {

namespace ops = keras::ops;

inline Tensor f32(std::vector<float> v, Shape shape) { return ops::convert_to_tensor(v, shape); }
inline Tensor f32(std::vector<float> v) {
  Shape s{static_cast<int64_t>(v.size())};
  return ops::convert_to_tensor(v, s);
}
inline Tensor f64(std::vector<double> v, Shape shape) { return ops::convert_to_tensor(v, shape); }
inline Tensor f64(std::vector<double> v) {
  Shape s{static_cast<int64_t>(v.size())};
  return ops::convert_to_tensor(v, s);
}
inline Tensor i32(std::vector<int32_t> v, Shape shape) { return ops::convert_to_tensor(v, shape); }
inline Tensor i32(std::vector<int32_t> v) {
  Shape s{static_cast<int64_t>(v.size())};
  return ops::convert_to_tensor(v, s);
}

// Elementwise comparison with a relative+absolute tolerance; infinities and NaNs must match.
inline void expect_close(const Tensor& actual, const std::vector<double>& expected,
                         double tol = 1e-6, const std::string& what = "") {
  ASSERT_EQ(actual.size(), static_cast<int64_t>(expected.size())) << what;
  std::vector<double> a = actual.to_vector<double>();
  for (size_t i = 0; i < a.size(); ++i) {
    double e = expected[i];
    if (std::isnan(e)) {
      EXPECT_TRUE(std::isnan(a[i])) << what << " [" << i << "] = " << a[i] << ", expected nan";
    } else if (std::isinf(e)) {
      EXPECT_EQ(a[i], e) << what << " [" << i << "]";
    } else {
      EXPECT_NEAR(a[i], e, tol * (1.0 + std::fabs(e))) << what << " [" << i << "]";
    }
  }
}

// Expects fn to throw E whose message contains every fragment.
template <class E>
void expect_error(const std::function<void()>& fn, const std::vector<std::string>& fragments) {
  try {
    fn();
    ADD_FAILURE() << "expected an exception containing \"" << fragments.front() << "\"";
  } catch (const E& e) {
    std::string msg = e.what();
    for (const std::string& f : fragments)
      EXPECT_NE(msg.find(f), std::string::npos)
          << "message \"" << msg << "\" lacks \"" << f << "\"";
  }
}

// Row-major multi-index helpers for the reference loops.
inline std::vector<int64_t> strides_of(const Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (int i = s.rank() - 2; i >= 0; --i) st[i] = st[i + 1] * s[i + 1];
  return st;
}
inline std::vector<int64_t> unravel(int64_t flat, const Shape& s) {
  std::vector<int64_t> idx(s.size());
  for (int i = s.rank() - 1; i >= 0; --i) {
    idx[i] = s[i] ? flat % s[i] : 0;
    flat = s[i] ? flat / s[i] : 0;
  }
  return idx;
}
inline int64_t ravel(const std::vector<int64_t>& idx, const Shape& s) {
  int64_t flat = 0;
  for (size_t i = 0; i < idx.size(); ++i) flat = flat * s[i] + idx[i];
  return flat;
}

}  // namespace keras::nn_testing
