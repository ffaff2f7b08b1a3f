#pragma once
// The graph IR of a compiled step (docs/compiled-steps.md): the backend kernel calls one run of a
// function made, recorded once per input signature and replayed on new inputs.
//
//   graph::Graph g = graph::trace(inputs, [&] { return model_outputs(inputs); }, &outputs_now);
//   std::vector<Tensor> out = g.run(new_inputs);  // same shapes and dtypes as `inputs`
//
// Values are the graph's inputs, its constants (tensors the function used without making them
// from an input: weights it was not given as inputs, scalars, host data) and the kernels' outputs;
// each has a shape and dtype. A node is one backend kernel call with its non-tensor arguments
// bound. Replaying calls the kernels directly, without the ops layer's validation, dtype
// promotion and gradient tape, and frees every value after its last use.
#include <any>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "keras/backend/kernel_trace.hpp"
#include "keras/core/tensor.hpp"

namespace keras::graph {

struct Value {
  enum class Kind { Input, Constant, NodeOutput };
  Kind kind = Kind::NodeOutput;
  Shape shape;
  DType dtype = DType::Float32;
  Tensor constant;    // Kind::Constant: the tensor itself
  int producer = -1;  // Kind::NodeOutput: the node's index
};

struct Node {
  std::string kernel;  // the Backend function: "binary", "matmul", "conv", ...
  std::string attrs;   // its other arguments, for dumps: "Add", "[1], false", ...
  std::any args;       // the same arguments as a std::tuple of their types (spans as vectors);
                       // a fused node's: its program; a transposed matmul's: its flags
  backend::Backend* backend = nullptr;
  std::vector<int> inputs;   // value ids; -1: an absent optional tensor
  std::vector<int> outputs;  // value ids
  backend::KernelFn fn;
};

class Graph {
 public:
  std::vector<Value> values;
  std::vector<Node> nodes;
  std::vector<int> inputs;   // value ids, in the order trace() was given them
  std::vector<int> outputs;  // value ids, in the order the function returned them

  // Runs the recorded kernels on `inputs` (each the shape and dtype of the traced one; anything
  // else is a ValueError) and returns the outputs.
  std::vector<Tensor> run(std::span<const Tensor> inputs) const;
  // One line per input, constant and node:
  //   %0 = input float32[128, 784]
  //   %3 = matmul(%0, %1) -> float32[128, 512]  @cpu
  //   %4 = binary[add](%3, %2) -> float32[128, 512]  @cpu
  std::string dump() const;
  // Counts for messages and tests.
  size_t num_constants() const;

  // Called once recording ends: when each value is last used (run() frees it then).
  void finalize();

 private:
  std::vector<std::vector<int>> frees_after_;  // per node: the values last read by it
};

// Thrown by trace() when the function does something a graph cannot hold; what() names it.
class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs `fn` once, recording every backend kernel it calls into a graph whose inputs are `inputs`
// (tensors `fn` reads, e.g. a batch and the weights) and whose outputs are what `fn` returns.
// `outputs_now` receives what `fn` returned in this run. Throws TraceError, after `fn` has been
// interrupted, when `fn` reads a tensor's value back to the host or draws host-side random
// numbers: the caller then runs it eagerly instead. Other exceptions propagate unchanged.
Graph trace(std::span<const Tensor> inputs, const std::function<std::vector<Tensor>()>& fn,
            std::vector<Tensor>* outputs_now = nullptr);

// For code that keeps state between calls outside Variables (a stateful RNN's states, a custom
// layer's member tensors): while a step is being traced, ends the trace (the step then runs
// eagerly), since a replayed graph would not update that state. Does nothing otherwise.
inline void check_traceable(std::string_view what) { backend::check_traceable(what); }

// KERAS_DUMP_GRAPH=dir: writes `g.dump()` to dir/<name>.txt (a number is appended when the file
// exists). Does nothing when the variable is unset; an unwritable directory is a warning.
void maybe_dump(const Graph& g, const std::string& name);

}  // namespace keras::graph
