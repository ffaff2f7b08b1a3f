#pragma once
// The cpu backend's graph compiler (keras/backend/graph_compiler.hpp) and the kernels it offers.
#include "backends/cpu/cpu_backend.hpp"
#include "keras/backend/graph_compiler.hpp"

namespace keras::backend::cpu {

// What register_cpu_backend registers (graph_compiler.cpp).
GraphCompiler make_graph_compiler();

// fused_elementwise.cpp: a fused elementwise kernel over float32 and bool that runs a program
// chunk by chunk, each chunk staying in cache.
bool can_fuse_elementwise(const ElementwiseInstr& instr, std::span<const DType> arg_dtypes,
                          const Shape& shape);
KernelFn fused_elementwise_kernel(std::shared_ptr<const ElementwiseProgram> program);

// matmul.cpp: matmul with either operand stored with its last two axes swapped; float32 reads it
// in place (oneDNN layouts), other dtypes transpose first.
Tensor matmul_transposed(CpuBackend& be, const Tensor& a, const Tensor& b, bool transpose_a,
                         bool transpose_b);

// matmul.cpp: matmul(a, b) + bias (per output column), then relu when `relu`, in one oneDNN
// primitive for float32; other cases run the three kernels.
Tensor matmul_bias_activation(CpuBackend& be, const Tensor& a, const Tensor& b, const Tensor& bias,
                              bool relu);

// conv.cpp: conv(x, kernel) + bias (per output channel), then relu when `relu`, in one oneDNN
// primitive (bias and a relu post-op) for float32; other cases run the three kernels.
Tensor conv_bias_activation(CpuBackend& be, const Tensor& x, const Tensor& kernel,
                            const Tensor& bias, const ConvParams& p, bool relu);

// pool.cpp: max_pool_backward(x, grad) * cast(x > 0) in one pass for float32 windows that tile
// the input; other cases run the kernels one by one.
Tensor max_pool_backward_relu(CpuBackend& be, const Tensor& x, const Tensor& grad,
                              const PoolParams& p);

}  // namespace keras::backend::cpu
