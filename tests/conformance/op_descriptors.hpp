#pragma once
// The op registry of the backend matrix (backend_matrix_test.cpp): one descriptor per op case,
// so adding an op to the matrix is one line in op_descriptors.cpp.
#include <functional>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::testing {

// Where an op's inputs are drawn from. Floats get values spread over the range; integer dtypes get
// the integers of the range (Unit has none, so ops on Unit take float dtypes only).
enum class Domain {
  Real,         // [-2, 2]; ints -4..4
  Positive,     // [0.25, 2]; ints 1..5
  Unit,         // [-0.9, 0.9] (arcsin, arctanh, erfinv)
  AboveOne,     // [1.1, 3]; ints 2..5 (arccosh)
  NonZero,      // +-[0.5, 2]; ints +-1..4 (divisors)
  Probability,  // [0.05, 0.95]; ints 0..1 (cross-entropy targets and outputs)
};

struct OpDescriptor {
  std::string name;           // "sum(axis=1)": the op and what is special about the case
  std::vector<Shape> shapes;  // one per input
  std::function<Tensor(const std::vector<Tensor>&)> fn;
  std::vector<DType> dtypes;         // the dtypes to try (every input gets the same one)
  bool differentiable = true;        // check the VJP against finite differences in float64
  std::vector<Domain> domains = {};  // per input; default Real for every input
  double tolerance_scale = 1.0;      // widens the per-dtype tolerance for ill-conditioned ops
};

const std::vector<OpDescriptor>& op_descriptors();

}  // namespace keras::testing
