#pragma once
// Helpers shared by the elementwise, comparison and creation ops (not a public header).
#include <functional>
#include <string>
#include <vector>

#include "ops/internal.hpp"

namespace keras::ops::detail {

// Keras's result_type(x1.dtype, x2.dtype, float): the promoted type if it is floating, else floatx
// (divide, arctan2, logaddexp, ... of ints and bool).
DType float_promote(const Tensor& a, const Tensor& b);

// The dtype Keras gives hypot/heaviside/cbrt of an integer type: floatx for the small ints and
// bool, float64 for the 64-bit ones, the type itself for floats.
DType float_or_f64(DType dtype);

// True when x can receive a gradient: floating and not a weak scalar (a C++ literal).
inline bool needs_grad(const Tensor& x) { return is_floating(x.dtype()) && !x.impl()->weak; }

// A weak scalar re-made as a strong 0-d tensor on like's backend in like's dtype; any other tensor
// is returned unchanged. VJP rules use it so that `b - 1` never combines two weak scalars (which
// would land on the default backend, maybe not the one the gradient lives on).
Tensor strong(const Tensor& x, const Tensor& like);

// A strong 0-d constant on x's backend (the default one for symbolic x) in `dtype`.
Tensor constant_like(const Tensor& x, double value, DType dtype);

using CompositeForward = std::function<Tensor(const std::vector<Tensor>& xs)>;
// Gradient of a composite op: receives the inputs, the output and the output's gradient, returns
// one gradient per input of the output's shape (undefined for none); unbroadcasting and casting to
// each input's shape and dtype is done by the caller.
using CompositeVjp = std::function<std::vector<Tensor>(const std::vector<Tensor>& xs,
                                                       const Tensor& y, const Tensor& g)>;

// Runs `forward` (a composition of ops) as one op `op`: while a tape records, the inner ops run on
// untracked copies of the inputs and `vjp` is recorded as the whole op's gradient. For ops whose
// composed gradient would be wrong or unstable (hypot, logaddexp, clip, ...).
Tensor composite(const char* op, const std::vector<Tensor>& xs, const CompositeForward& forward,
                 CompositeVjp vjp);

// "ops::name".
inline std::string op_name(const char* op) { return std::string("ops::") + op; }

}  // namespace keras::ops::detail
