#pragma once
// Ints: an argument Keras accepts either as one int or as a tuple of ints (kernel_size, strides,
// pool_size, dilation_rate, ...): `.kernel_size = 3` or `.kernel_size = {3, 5}`.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace keras {

class Ints : public std::vector<int64_t> {
 public:
  Ints() = default;
  Ints(int64_t value) : std::vector<int64_t>{value} {}  // NOLINT: implicit, like Python's int
  Ints(int value) : std::vector<int64_t>{value} {}      // NOLINT
  Ints(std::initializer_list<int64_t> values) : std::vector<int64_t>(values) {}
  Ints(std::vector<int64_t> values) : std::vector<int64_t>(std::move(values)) {}  // NOLINT

  // n values: one value is repeated n times, n values are returned as they are; anything else
  // throws ValueError naming `where` and `arg`, e.g. "Conv2D: strides must have 1 or 2 values".
  std::vector<int64_t> expand(size_t n, const std::string& where, const char* arg) const;
};

}  // namespace keras
