#include "keras/core/shape.hpp"

#include <algorithm>

#include "keras/core/errors.hpp"

namespace keras {

int64_t Shape::num_elements() const {
  int64_t n = 1;
  for (int64_t d : *this) {
    if (d < 0) throw ValueError("Shape " + to_string() + " has unknown dimensions");
    // Shapes come from configs and files too: a product past int64 is an error, not UB.
    if (__builtin_mul_overflow(n, d, &n))
      throw ValueError("Shape " + to_string() + " has more than 2**63 - 1 elements");
  }
  return n;
}

bool Shape::is_fully_defined() const {
  return std::all_of(begin(), end(), [](int64_t d) { return d >= 0; });
}

std::string Shape::to_string() const {
  std::string s = "(";
  for (size_t i = 0; i < size(); ++i) {
    if (i) s += ", ";
    s += (*this)[i] == kNone ? "None" : std::to_string((*this)[i]);
  }
  if (size() == 1) s += ",";
  return s + ")";
}

int normalize_axis(int64_t axis, int rank, const char* op, const Shape& shape) {
  if (axis < -rank || axis >= rank) {
    throw ValueError(std::string(op) + ": axis " + std::to_string(axis) +
                     " is out of bounds for a tensor of rank " + std::to_string(rank) + " (shape " +
                     shape.to_string() + ")");
  }
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  int rank = std::max(a.rank(), b.rank());
  Shape out(std::vector<int64_t>(rank, 1));
  for (int i = 0; i < rank; ++i) {
    int ia = i - (rank - a.rank()), ib = i - (rank - b.rank());
    int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    if (da == db) {
      out[i] = da;
    } else if (da == 1) {
      out[i] = db;
    } else if (db == 1) {
      out[i] = da;
    } else if (da == Shape::kNone || db == Shape::kNone) {
      // Unknown against known: the known one wins unless it is 1 (handled above).
      out[i] = da == Shape::kNone ? db : da;
    } else {
      throw ValueError(std::string(op) + ": shapes " + a.to_string() + " and " + b.to_string() +
                       " cannot be broadcast together (dimension " + std::to_string(i) + ": " +
                       std::to_string(da) + " vs " + std::to_string(db) + ")");
    }
  }
  return out;
}

}  // namespace keras
