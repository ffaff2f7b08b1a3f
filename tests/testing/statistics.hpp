#pragma once
// Sample statistics, for tests of random values (initializers, random distributions).
#include <algorithm>
#include <cmath>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::testing {

// Mean, population standard deviation, min and max of the sample.
struct Moments {
  double mean = 0, stddev = 0, min = INFINITY, max = -INFINITY;
};

inline Moments moments(const std::vector<double>& v) {
  Moments m;
  for (double x : v) {
    m.mean += x;
    m.min = std::min(m.min, x);
    m.max = std::max(m.max, x);
  }
  m.mean /= static_cast<double>(v.size());
  for (double x : v) m.stddev += (x - m.mean) * (x - m.mean);
  m.stddev = std::sqrt(m.stddev / static_cast<double>(v.size()));
  return m;
}

inline Moments moments(const Tensor& t) { return moments(t.to_vector<double>()); }

}  // namespace keras::testing
