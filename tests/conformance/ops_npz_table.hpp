#pragma once
// The table that maps a Keras call from ops.npz ("ops.sum(x0, axis=1, keepdims=True)") to the
// keras::ops call that should give the same result. One entry per op name; each entry reads the
// positional and keyword arguments that Keras's signature allows.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "conformance/py_call.hpp"
#include "keras/core/tensor.hpp"

namespace keras::testing {

// Runs the call on `inputs` (x0, x1, ...) and returns every output the op gives.
using FixtureOp = std::function<std::vector<Tensor>(const PyCall&, const std::vector<Tensor>&)>;

const std::map<std::string, FixtureOp>& fixture_ops();

}  // namespace keras::testing
