#pragma once
// Shape: a list of dimensions. A dimension of Shape::kNone (-1) is unknown (Python's None), which
// only symbolic tensors (keras::Input, Functional construction) have.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace keras {

class Shape : public std::vector<int64_t> {
 public:
  static constexpr int64_t kNone = -1;

  Shape() = default;
  Shape(std::initializer_list<int64_t> dims) : std::vector<int64_t>(dims) {}
  explicit Shape(std::vector<int64_t> dims) : std::vector<int64_t>(std::move(dims)) {}
  template <class It>
  Shape(It first, It last) : std::vector<int64_t>(first, last) {}

  int rank() const { return static_cast<int>(size()); }
  // Product of the dimensions (1 for a scalar); throws ValueError if a dimension is unknown.
  int64_t num_elements() const;
  bool is_fully_defined() const;
  // "(2, 3)", "(None, 28, 28, 1)", "()", "(5,)": Python's tuple notation, as in Keras messages.
  std::string to_string() const;
};

// Normalizes `axis` (which may be negative) against `rank`; throws ValueError naming `op` if out of
// range, e.g. "ops::sum: axis 3 is out of bounds for a tensor of rank 2 (shape (4, 5))".
int normalize_axis(int64_t axis, int rank, const char* op, const Shape& shape);

// NumPy broadcasting of two shapes; throws ValueError naming `op` and both shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

}  // namespace keras
