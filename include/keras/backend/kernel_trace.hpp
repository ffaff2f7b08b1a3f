#pragma once
// The hook through which a compiled step records backend kernel calls (keras/graph/graph.hpp).
// While a KernelRecorder is active on a thread, each public Backend kernel (backend.hpp) hands its
// call to the recorder, which runs the kernel and keeps the call as a graph node. A kernel's own
// calls to other kernels (a fallback composite, one kernel built on another) are not recorded:
// the recorder is inactive while it runs a kernel. The memory kernels that make tensors from host
// values (from_host, full, arange) are not recorded either: what they make is a constant of the
// graph. Reading a value back to the host (to_host) cannot be part of a graph: it ends the trace.
#include <any>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::backend {

class Backend;

// A recorded kernel call with its non-tensor arguments bound: runs the kernel again on new
// inputs (an undefined tensor stands for an absent optional input).
using KernelFn = std::function<std::vector<Tensor>(Backend&, std::span<const Tensor>)>;

class KernelRecorder {
 public:
  virtual ~KernelRecorder() = default;
  // Runs `fn` on `inputs` now (the recorder is inactive meanwhile) and records the call as one
  // node named `kernel`, with `attrs` describing its arguments for dumps and `args` holding them
  // (a std::tuple of their types, spans as std::vectors) for graph passes; returns the outputs.
  virtual std::vector<Tensor> record(Backend& backend, std::string_view kernel, std::string attrs,
                                     std::vector<Tensor> inputs, KernelFn fn, std::any args) = 0;
  // Something that a graph cannot hold happens (a host read, host-side random numbers): the
  // recorder ends the trace, by throwing.
  virtual void untraceable(std::string_view what) = 0;
};

namespace trace_detail {
extern thread_local KernelRecorder* active;
}
// The thread's active recorder, or null (the common case: kernels run directly).
inline KernelRecorder* active_recorder() { return trace_detail::active; }
// Tells the active recorder, if any, that `what` cannot be traced.
inline void check_traceable(std::string_view what) {
  if (KernelRecorder* r = trace_detail::active) r->untraceable(what);
}

// Makes `recorder` (may be null: none) the thread's active recorder for the scope's lifetime.
class RecorderScope {
 public:
  explicit RecorderScope(KernelRecorder* recorder) : saved_(trace_detail::active) {
    trace_detail::active = recorder;
  }
  ~RecorderScope() { trace_detail::active = saved_; }
  RecorderScope(const RecorderScope&) = delete;
  RecorderScope& operator=(const RecorderScope&) = delete;

 private:
  KernelRecorder* saved_;
};

}  // namespace keras::backend
