#pragma once
// Checks reverse-mode gradients against central finite differences in float64.
#include <functional>
#include <vector>

#include "keras/ops/ops.hpp"

namespace keras::testing {

using TensorFn = std::function<Tensor(const std::vector<Tensor>&)>;

struct GradCheckOptions {
  double eps = 1e-6;
  double atol = 1e-6;
  double rtol = 1e-5;
};

// Computes L(x) = sum(f(x) * w) for fixed pseudo-random weights w (so every output element
// matters differently), then compares dL/dx from GradientTape with central differences on each
// element of each float64 input. Reports failures through GoogleTest with the op description.
void expect_gradients_match(const TensorFn& f, const std::vector<Tensor>& inputs,
                            const std::string& what, GradCheckOptions options = {});

// Also checks second derivatives: applies expect_gradients_match to x -> sum(grad(L)(x) * v).
void expect_second_gradients_match(const TensorFn& f, const std::vector<Tensor>& inputs,
                                   const std::string& what, GradCheckOptions options = {});

// A float64 tensor of `shape` with values from a fixed generator in [lo, hi].
Tensor test_values(const Shape& shape, double lo = -1.0, double hi = 1.0, uint64_t seed = 1);

}  // namespace keras::testing
