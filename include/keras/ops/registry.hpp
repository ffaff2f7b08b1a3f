#pragma once
// A catalogue of the public keras::ops functions: name, Keras family (the Python module it comes
// from), porting tier (1 = needed first, as in the project's API inventory) and the optional fused
// backend kernels the op uses when a backend has them. Used by `keras-cpp info` and the
// conformance suite; it does not dispatch anything.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "keras/backend/backend.hpp"

namespace keras::ops {

struct OpInfo {
  std::string_view name;    // "sum", as in keras.ops
  std::string_view family;  // "core", "numpy", "nn", "math", "linalg"
  int tier = 1;
  std::vector<backend::FusedKernel> fused;  // empty: only required primitive kernels
};

// Every public op, sorted by family then name.
std::span<const OpInfo> op_registry();
// The entry called `name`, or null.
const OpInfo* find_op(std::string_view name);

// How one backend runs the registered ops. Every op runs on every backend: each is written over
// the required primitive kernels, and a fused kernel a backend lacks falls back to a composite of
// primitives. `native` counts the ops whose fused kernels are all implemented natively.
struct OpCoverage {
  int total = 0;            // registered ops
  int primitives_only = 0;  // ops that need no fused kernel
  int with_fused = 0;       // ops that use at least one fused kernel
  int native = 0;           // of those, ops whose fused kernels this backend implements natively
};
OpCoverage op_coverage(const backend::Backend& backend);

}  // namespace keras::ops
