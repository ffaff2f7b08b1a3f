// The cpu backend's graph compiler: its fused elementwise kernel, transposed matmul, matmul
// and conv with bias and relu, and max-pool gradient with the relu mask.
#include "backends/cpu/graph_compiler.hpp"

namespace keras::backend::cpu {

GraphCompiler make_graph_compiler() {
  GraphCompiler c;
  c.can_fuse = can_fuse_elementwise;
  c.fused_elementwise = fused_elementwise_kernel;
  c.matmul_transposed = [](bool transpose_a, bool transpose_b) -> KernelFn {
    return [transpose_a, transpose_b](Backend& be, std::span<const Tensor> in) {
      return std::vector<Tensor>{
          matmul_transposed(static_cast<CpuBackend&>(be), in[0], in[1], transpose_a, transpose_b)};
    };
  };
  c.matmul_bias_activation = [](bool relu) -> KernelFn {
    return [relu](Backend& be, std::span<const Tensor> in) {
      return std::vector<Tensor>{
          matmul_bias_activation(static_cast<CpuBackend&>(be), in[0], in[1], in[2], relu)};
    };
  };
  c.conv_bias_activation = [](const ConvParams& p, bool relu) -> KernelFn {
    return [p, relu](Backend& be, std::span<const Tensor> in) {
      return std::vector<Tensor>{
          conv_bias_activation(static_cast<CpuBackend&>(be), in[0], in[1], in[2], p, relu)};
    };
  };
  c.max_pool_backward_relu = [](const PoolParams& p) -> KernelFn {
    return [p](Backend& be, std::span<const Tensor> in) {
      return std::vector<Tensor>{
          max_pool_backward_relu(static_cast<CpuBackend&>(be), in[0], in[1], p)};
    };
  };
  return c;
}

}  // namespace keras::backend::cpu
