#pragma once
// Which inputs of an op the running gradient computation needs a gradient for. While
// GradientTape::gradient runs a node's VJP, needs_input_gradient(i) tells whether input i is
// tracked by that tape; the gradient of an untracked input (the data batch feeding the first
// Conv2D, a constant) is thrown away, so a VJP may skip computing it and return an undefined
// Tensor there. Outside a VJP call it is true for every input. Used by VJPs whose per-input
// gradients are expensive kernels (conv_backprop_input).
#include <cstddef>

namespace keras::autodiff {

bool needs_input_gradient(size_t input_index);

}  // namespace keras::autodiff
