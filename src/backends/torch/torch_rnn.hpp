#pragma once
// What the torch backend's sequence kernels (torch_lstm.cpp, torch_gru.cpp) share. (Not a public
// header.)
#include <array>
#include <string>

#include "backends/torch/torch_common.hpp"

namespace keras::backend::torch_backend {

// The sequence kernels take float32 and float64 only.
inline void check_float_dtype(const char* op, DType dt) {
  if (dt != DType::Float32 && dt != DType::Float64)
    throw TypeError(std::string("torch backend: ") + op + " supports float32 and float64, got " +
                    std::string(dtype_name(dt)));
}

// What every backward pass ends with, as the cpu backend's (src/backends/cpu/rnn_kernels.hpp):
// given dxp (T, B, G), the gradient of the input projection x kernel, and drp (T, B, G), that of
// the recurrent projection h_prev recurrent_kernel, returns (dx = dxp kernel^T, dkernel = x^T dxp,
// drecurrent = [h0; outputs of steps 0..T-2]^T drp).
inline std::array<at::Tensor, 3> projection_gradients(const at::Tensor& x, const at::Tensor& h0,
                                                      const at::Tensor& kernel,
                                                      const at::Tensor& outputs,
                                                      const at::Tensor& dxp,
                                                      const at::Tensor& drp) {
  const int64_t steps = x.size(0), batch = x.size(1), in = x.size(2), u = h0.size(1);
  const int64_t g = kernel.size(1);
  at::Tensor dxp2 = dxp.reshape({steps * batch, g});
  at::Tensor dx = at::mm(dxp2, kernel.t()).view({steps, batch, in});
  at::Tensor dk = at::mm(x.reshape({steps * batch, in}).t(), dxp2);
  at::Tensor dr = at::mm(h0.t(), drp[0]);
  if (steps > 1)
    dr.addmm_(outputs.narrow(0, 0, steps - 1).reshape({(steps - 1) * batch, u}).t(),
              drp.narrow(0, 1, steps - 1).reshape({(steps - 1) * batch, g}));
  return {dx, dk, dr};
}

}  // namespace keras::backend::torch_backend
