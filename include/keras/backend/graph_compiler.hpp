#pragma once
// What a backend offers the graph passes of compiled steps (keras/graph/passes.hpp), beyond
// replaying its kernels one by one: an optional capability, registered by the backend beside
// its factory (a backend without one runs its graphs unchanged).
//
// The capabilities today: a fused elementwise kernel (a chain of unary/binary/where/cast kernels
// over one shape becomes one ElementwiseProgram, run in a single pass over the elements, so the
// intermediate tensors are never written to memory), a matmul that reads an operand transposed
// (so the transposes of a matmul's gradient are never materialized), a matmul and a convolution
// that add their bias and apply relu as they write their output, and a max-pool gradient that
// applies the mask of the relu before it.
#include <array>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keras/backend/backend.hpp"
#include "keras/backend/kernel_trace.hpp"

namespace keras::backend {

// One instruction: register `num_inputs + i` of its program holds the result of code[i].
struct ElementwiseInstr {
  enum class Kind { Unary, Binary, Where, Cast };
  Kind kind = Kind::Unary;
  int op = 0;                           // Kind::Unary: a UnaryOp, Kind::Binary: a BinaryOp
  DType dtype = DType::Float32;         // the result's dtype (Kind::Cast: the target dtype)
  std::array<int, 3> args{-1, -1, -1};  // the registers read (unary/cast 1, binary 2, where 3)
};

struct ElementwiseProgram {
  Shape shape;  // the shape of every instruction's result
  // Registers 0..n-1. Each input has `shape`, or a single element (broadcast to every element),
  // or, with leading 1s dropped, the trailing dimensions of `shape` (repeated over the leading
  // ones, like a bias).
  std::vector<Shape> input_shapes;
  std::vector<DType> input_dtypes;
  std::vector<ElementwiseInstr> code;
  std::vector<int> outputs;  // the registers returned, in order

  int num_registers() const { return static_cast<int>(input_shapes.size() + code.size()); }
  DType dtype_of(int reg) const;
  // "r2 = subtract(r0, r1); r3 = square(r2) -> r3", for graph dumps.
  std::string describe() const;
};

struct GraphCompiler {
  // Whether the fused kernel computes `instr` (its arguments of `arg_dtypes`) over `shape` exactly
  // as the backend's own kernel for it does.
  std::function<bool(const ElementwiseInstr& instr, std::span<const DType> arg_dtypes,
                     const Shape& shape)>
      can_fuse;
  // The kernel running `program`: inputs in register order, outputs in `program.outputs` order.
  std::function<KernelFn(std::shared_ptr<const ElementwiseProgram> program)> fused_elementwise;
  // matmul(transpose_a ? swap_last_two_axes(a) : a, transpose_b ? ... b), given a and b as
  // stored; null when the backend has none.
  std::function<KernelFn(bool transpose_a, bool transpose_b)> matmul_transposed;
  // matmul(a, b) + bias (one value per output column), then relu when `relu`: inputs
  // (a, b, bias). Null when the backend has none.
  std::function<KernelFn(bool relu)> matmul_bias_activation;
  // conv(x, kernel, p) + bias (one value per output channel), then relu when `relu`: inputs
  // (x, kernel, bias). Null when the backend has none.
  std::function<KernelFn(const ConvParams& p, bool relu)> conv_bias_activation;
  // max_pool_backward(x, dy, p) * cast(x > 0): the gradient through max pooling and then through
  // the relu whose output x is; inputs (x, dy). Null when the backend has none.
  std::function<KernelFn(const PoolParams& p)> max_pool_backward_relu;
};

// Called by a backend's registration (e.g. register_cpu_backend).
void register_graph_compiler(const std::string& backend, GraphCompiler compiler);
// The backend's compiler, or null when it registered none.
const GraphCompiler* graph_compiler(std::string_view backend);

}  // namespace keras::backend
