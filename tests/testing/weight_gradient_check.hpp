#pragma once
// Checks gradients with respect to a layer's weights against central finite differences.
#include <functional>
#include <string>
#include <vector>

#include "keras/core/variable.hpp"
#include "testing/gradient_check.hpp"

namespace keras::testing {

// Checks d loss() / d vars from GradientTape against central differences, obtained by assigning
// perturbed values to each element of each (float64) variable in turn; `loss` returns a scalar.
void expect_weight_gradients_match(std::vector<Variable> vars, const std::function<Tensor()>& loss,
                                   const std::string& what, GradCheckOptions options = {});

}  // namespace keras::testing
