#pragma once
// The recurrent sequence kernels as differentiable ops (not a public header): what Keras's
// backend.lstm / backend.gru are to its LSTM and GRU layers. The layers call them when the backend
// has a native kernel and the layer's options fit it; otherwise they run their step loop.
#include "keras/backend/backend.hpp"
#include "keras/core/tensor.hpp"

namespace keras::ops::detail {

struct LstmSequence {
  Tensor outputs;  // (T, B, U), time-major
  Tensor h, c;     // the last states (B, U)
};

// Whether the sequence op can run x: a concrete float32/float64 (T, B, I) tensor with no empty
// dimension on a backend with the native `kernel` (FusedKernel::Lstm or Gru).
bool sequence_kernel_available(const Tensor& x, int64_t units, backend::FusedKernel kernel);

// x (T, B, I) time-major, h0 and c0 (B, U), kernel (I, 4U), recurrent_kernel (U, 4U), bias (4U)
// or undefined (no bias); gates (i, f, c, o), sigmoid gates and tanh activations. Gradients flow
// to every input; second-order gradients are not implemented (NotImplementedError).
LstmSequence lstm_sequence(const Tensor& x, const Tensor& h0, const Tensor& c0,
                           const Tensor& kernel, const Tensor& recurrent_kernel,
                           const Tensor& bias);

struct GruSequence {
  Tensor outputs;  // (T, B, U), time-major
  Tensor h;        // the last state (B, U)
};

// GRU in Keras's reset_after form: x (T, B, I), h0 (B, U), kernel (I, 3U), recurrent_kernel
// (U, 3U), input_bias and recurrent_bias (3U each, or undefined: no bias); gates (z, r, h),
// sigmoid gates and tanh candidate. Gradients as lstm_sequence's.
GruSequence gru_sequence(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                         const Tensor& recurrent_kernel, const Tensor& input_bias,
                         const Tensor& recurrent_bias);

}  // namespace keras::ops::detail
