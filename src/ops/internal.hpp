#pragma once
// Shared machinery of the ops implementation (not a public header).
//
// Every op follows the same four steps (see ARCHITECTURE.md):
//   1. validate: throw ValueError/TypeError naming "ops::<name>", the argument, shapes and dtypes;
//   2. infer the output shape and dtype; if any input is symbolic, return a symbolic tensor;
//   3. run the backend kernel on operands moved to one backend and cast to the compute dtype;
//   4. if a tape records, record the VJP (written with ops, so higher-order gradients work).
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "keras/autodiff/record.hpp"
#include "keras/backend/backend.hpp"
#include "keras/ops/ops.hpp"

namespace keras::ops::detail {

using backend::Backend;

// Throws ValueError if x is undefined: "ops::add: argument `x2` is an undefined Tensor".
void require_defined(const char* op, const Tensor& x, const char* arg);

bool any_symbolic(std::initializer_list<const Tensor*> xs);
bool any_symbolic(const std::vector<Tensor>& xs);

// The backend an op runs on: that of the first concrete non-weak operand (weak scalars follow the
// other operands), else the first concrete one, else the default backend. Concrete operands on
// two different backends are an error naming both: move one with convert_to_tensor(x, name).
Backend& pick_backend(const char* op, std::initializer_list<const Tensor*> xs);
Backend& pick_backend(const char* op, const std::vector<Tensor>& xs);

// x on backend `be` in dtype `dtype`. Weak scalars are re-created from their exact value.
Tensor prepare(const Tensor& x, Backend& be, DType dtype);

// Keras's result_type of two operands (weak scalars adopt the other operand's type).
DType promote(const Tensor& a, const Tensor& b);
DType promote(const std::vector<Tensor>& xs);

// "float32", for messages.
inline std::string dtype_str(const Tensor& x) { return std::string(dtype_name(x.dtype())); }
inline std::string shape_str(const Tensor& x) { return x.shape().to_string(); }

// Sorted unique normalized axes; none means all axes.
std::vector<int> normalize_axes(const Axis& axis, int rank, const char* op, const Shape& shape);

// The shape after reducing `axes` (sorted, normalized) with or without keepdims.
Shape reduced_shape(const Shape& shape, const std::vector<int>& axes, bool keepdims);

// Sums g over the dimensions that broadcasting added or stretched, to get back `shape`; casts to
// `dtype`. The standard last step of a broadcasting op's VJP.
Tensor unbroadcast(const Tensor& g, const Shape& shape, DType dtype);

// ---- elementwise building blocks ----
// VJP rules get the (original) inputs, the output and the output's gradient.
using UnaryVjp = Tensor (*)(const Tensor& x, const Tensor& y, const Tensor& g);
using BinaryVjp = std::pair<Tensor, Tensor> (*)(const Tensor& a, const Tensor& b, const Tensor& y,
                                                const Tensor& g);

// Runs a unary kernel computing in `compute_dtype` (the output has that dtype, or bool for
// predicates). vjp may be null (not differentiable: no gradient flows).
Tensor unary(const char* op, backend::UnaryOp kind, const Tensor& x, DType compute_dtype,
             UnaryVjp vjp);
// Same with Keras's usual dtype rule: floating ops compute ints and bool in floatx.
Tensor unary_float(const char* op, backend::UnaryOp kind, const Tensor& x, UnaryVjp vjp);

// Runs a broadcasting binary kernel with both operands cast to `compute_dtype`. The VJP returns
// gradients of the broadcast shape; unbroadcasting and casting back is done here.
Tensor binary(const char* op, backend::BinaryOp kind, const Tensor& a, const Tensor& b,
              DType compute_dtype, BinaryVjp vjp);

}  // namespace keras::ops::detail
