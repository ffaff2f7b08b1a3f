// The cpu backend's graph compiler: its fused elementwise kernel and transposed matmul.
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
  return c;
}

}  // namespace keras::backend::cpu
