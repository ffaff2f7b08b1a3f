// The torch backend's graph compiler: matmul of transposed views (ATen hands the strides to the
// BLAS as transpose flags).
#include "backends/torch/torch_graph_compiler.hpp"

#include "backends/torch/torch_backend.hpp"
#include "backends/torch/torch_common.hpp"

namespace keras::backend::torch_backend {

namespace {

Tensor matmul_transposed(TorchBackend& be, const Tensor& a, const Tensor& b, bool transpose_a,
                         bool transpose_b) {
  if (a.dtype() != DType::Float32 || b.dtype() != DType::Float32 || a.ndim() < 2 ||
      b.ndim() != a.ndim()) {  // as traced: transposes, then the matmul kernel
    auto swapped = [](const Tensor& x) {
      std::vector<int> perm(x.ndim());
      for (int d = 0; d < x.ndim(); ++d) perm[d] = d;
      std::swap(perm[x.ndim() - 2], perm[x.ndim() - 1]);
      return perm;
    };
    return be.matmul(transpose_a ? be.transpose(a, swapped(a)) : a,
                     transpose_b ? be.transpose(b, swapped(b)) : b);
  }
  return guarded("ops::matmul", [&] {
    at::Tensor x = aten(a, "ops::matmul");
    at::Tensor y = aten(b, "ops::matmul");
    if (transpose_a) x = x.transpose(-1, -2);
    if (transpose_b) y = y.transpose(-1, -2);
    return be.wrap(at::matmul(x, y), DType::Float32);
  });
}

}  // namespace

GraphCompiler make_graph_compiler() {
  GraphCompiler c;
  c.matmul_transposed = [](bool transpose_a, bool transpose_b) -> KernelFn {
    return [transpose_a, transpose_b](Backend& be, std::span<const Tensor> in) {
      return std::vector<Tensor>{matmul_transposed(static_cast<TorchBackend&>(be), in[0], in[1],
                                                   transpose_a, transpose_b)};
    };
  };
  return c;
}

}  // namespace keras::backend::torch_backend
