#pragma once
// The hook through which every differentiable op records itself on the active GradientTapes.
// An op calls record() after computing its outputs; the VJP closure receives the gradients of
// the outputs (an undefined Tensor never reaches it: missing output gradients are zeros) and
// returns one gradient per input, undefined where the input gets none (integer inputs, indices).
// VJPs are written with keras::ops, so they are themselves recorded by outer tapes, which is how
// gradients of gradients work.
#include <functional>
#include <initializer_list>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::autodiff {

using VjpFn = std::function<std::vector<Tensor>(const std::vector<Tensor>& output_grads)>;

namespace detail {
extern thread_local int active_tapes;  // tapes that are recording on this thread
}

// True when some tape on this thread is recording: ops skip building VJP closures otherwise.
inline bool is_recording() { return detail::active_tapes > 0; }

// Records an op whose inputs include a tensor some active tape tracks.
void record(const char* op_name, std::vector<Tensor> inputs, std::vector<Tensor> outputs,
            VjpFn vjp);

}  // namespace keras::autodiff
