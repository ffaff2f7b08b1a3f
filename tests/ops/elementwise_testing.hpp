#pragma once
// Small helpers shared by the op tests (elementwise, creation, shape, indexing, linalg, reduction).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"

namespace keras::testing {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A tensor of `dtype` from double values (on the backend under test).
inline Tensor arr(const std::vector<double>& values, const Shape& shape,
                  DType dtype = DType::Float32) {
  return ops::convert_to_tensor(values, shape, {.dtype = dtype});
}
inline Tensor arr(const std::vector<double>& values, DType dtype = DType::Float32) {
  return arr(values, Shape{static_cast<int64_t>(values.size())}, dtype);
}

// A symbolic tensor (a Keras input) of `shape`; N stands for an unknown dimension.
inline constexpr int64_t N = Shape::kNone;
inline Tensor sym(Shape shape, DType dtype = DType::Float32) {
  return Tensor::symbolic(shape, dtype);
}

// 0, 1, 2, ... in `shape`.
inline Tensor iota(const Shape& s, DType dtype = DType::Float32) {
  std::vector<double> v(static_cast<size_t>(s.num_elements()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i);
  return arr(v, s, dtype);
}

// Expects x's values (as doubles) to match `expected` within `tol` (NaN matches NaN, infinities
// must be equal).
inline void expect_values(const Tensor& x, const std::vector<double>& expected, double tol = 1e-6,
                          const std::string& what = "") {
  ASSERT_TRUE(x.defined()) << what;
  std::vector<double> got = x.to_vector<double>();
  ASSERT_EQ(got.size(), expected.size()) << what << " (shape " << x.shape().to_string() << ")";
  for (size_t i = 0; i < got.size(); ++i) {
    double e = expected[i], g = got[i];
    if (std::isnan(e)) {
      EXPECT_TRUE(std::isnan(g)) << what << " element " << i << ": got " << g << ", want NaN";
    } else if (std::isinf(e)) {
      EXPECT_EQ(g, e) << what << " element " << i;
    } else {
      EXPECT_NEAR(g, e, tol * (1 + std::fabs(e))) << what << " element " << i;
    }
  }
}

// Expects `fn` to throw E whose message contains every string in `parts`.
template <class E, class F>
void expect_error(F&& fn, const std::vector<std::string>& parts) {
  try {
    fn();
    ADD_FAILURE() << "expected an exception mentioning " << (parts.empty() ? "" : parts[0]);
  } catch (const E& e) {
    std::string msg = e.what();
    for (const std::string& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos)
          << "message \"" << msg << "\" lacks \"" << p << "\"";
  }
}

}  // namespace keras::testing
