#pragma once
// The LSTM sequence kernel as a differentiable op (not a public header): what Keras's
// backend.lstm is to its LSTM layer. The recurrent layers call it when the backend has a native
// kernel and the layer's options fit it; otherwise they run their step loop.
#include "keras/core/tensor.hpp"

namespace keras::ops::detail {

struct LstmSequence {
  Tensor outputs;  // (T, B, U), time-major
  Tensor h, c;     // the last states (B, U)
};

// Whether lstm_sequence can run x: concrete float32/float64 tensors on a backend with a native
// lstm kernel, no empty dimension.
bool lstm_sequence_available(const Tensor& x, int64_t units);

// x (T, B, I) time-major, h0 and c0 (B, U), kernel (I, 4U), recurrent_kernel (U, 4U), bias (4U)
// or undefined (no bias); gates (i, f, c, o), sigmoid gates and tanh activations. Gradients flow
// to every input; second-order gradients are not implemented (NotImplementedError).
LstmSequence lstm_sequence(const Tensor& x, const Tensor& h0, const Tensor& c0,
                           const Tensor& kernel, const Tensor& recurrent_kernel,
                           const Tensor& bias);

}  // namespace keras::ops::detail
