// graph::trace: a KernelRecorder (backend/kernel_trace.hpp) that turns the kernel calls of one run
// of a function into a Graph.
#include <map>
#include <unordered_map>

#include "keras/backend/backend.hpp"
#include "keras/graph/graph.hpp"

namespace keras::graph {

namespace {

class Tracer final : public backend::KernelRecorder {
 public:
  Graph graph;

  void add_input(const Tensor& x) {
    if (!x.defined() || x.is_symbolic())
      throw ValueError("graph::trace: input " + std::to_string(graph.inputs.size()) +
                       " must be a concrete tensor");
    int id = add_value(Value{.kind = Value::Kind::Input, .shape = x.shape(), .dtype = x.dtype()});
    graph.inputs.push_back(id);
    by_impl_[x.impl().get()] = id;
    // Two inputs over the same data (e.g. two variables made from one tensor) are told apart by
    // their tensor objects only; a tensor derived from one of them (same data, new object) could
    // be either, so it is refused below rather than guessed.
    auto [it, fresh] = by_data_.try_emplace(data_key(x), id);
    if (!fresh) it->second = kAmbiguous;
    keep_.push_back(x);
  }

  // The value `x` is in the graph: an input, a node output, or else a constant.
  int value_of(const Tensor& x) {
    if (!x.defined()) return -1;
    if (x.is_symbolic()) throw ValueError("graph::trace: a kernel received a symbolic tensor");
    if (auto it = by_impl_.find(x.impl().get()); it != by_impl_.end()) return it->second;
    if (auto it = by_data_.find(data_key(x)); it != by_data_.end()) {
      if (it->second == kAmbiguous)
        throw TraceError(
            "a tensor shares its data with two of the traced function's inputs, so the graph "
            "cannot tell which one it reads");
      return it->second;
    }
    int id = add_value(Value{
        .kind = Value::Kind::Constant, .shape = x.shape(), .dtype = x.dtype(), .constant = x});
    remember(x, id);
    return id;
  }

  std::vector<Tensor> record(backend::Backend& be, std::string_view kernel, std::string attrs,
                             std::vector<Tensor> inputs, backend::KernelFn fn,
                             std::any args) override {
    Node node{.kernel = std::string(kernel),
              .attrs = std::move(attrs),
              .args = std::move(args),
              .backend = &be};
    for (const Tensor& x : inputs) node.inputs.push_back(value_of(x));
    std::vector<Tensor> outputs;
    {
      backend::RecorderScope pause(nullptr);  // the kernel's own kernel calls are its business
      outputs = fn(be, inputs);
    }
    int index = static_cast<int>(graph.nodes.size());
    for (const Tensor& y : outputs) {
      if (!y.defined()) {
        node.outputs.push_back(-1);
        continue;
      }
      int id = add_value(Value{.kind = Value::Kind::NodeOutput,
                               .shape = y.shape(),
                               .dtype = y.dtype(),
                               .producer = index});
      node.outputs.push_back(id);
      remember(y, id);
    }
    node.fn = std::move(fn);
    graph.nodes.push_back(std::move(node));
    return outputs;
  }

  void untraceable(std::string_view what) override { throw TraceError(std::string(what)); }

 private:
  static constexpr int kAmbiguous = -2;

  // Tensors over the same storage with the same shape and dtype hold the same data (kernels never
  // write into their inputs): how a tensor re-wrapped outside the kernels (stop_gradient, a
  // variable's assign) is still recognized.
  static std::string data_key(const Tensor& x) {
    return std::to_string(reinterpret_cast<uintptr_t>(x.impl()->storage.get())) + "/" +
           x.shape().to_string() + "/" + std::to_string(static_cast<int>(x.dtype()));
  }
  int add_value(Value v) {
    graph.values.push_back(std::move(v));
    return static_cast<int>(graph.values.size()) - 1;
  }
  void remember(const Tensor& x, int id) {
    by_impl_[x.impl().get()] = id;
    by_data_[data_key(x)] = id;
    keep_.push_back(x);  // keeps every storage alive, so no address is reused while tracing
  }

  std::unordered_map<const TensorImpl*, int> by_impl_;
  std::map<std::string, int> by_data_;
  std::vector<Tensor> keep_;
};

}  // namespace

Graph trace(std::span<const Tensor> inputs, const std::function<std::vector<Tensor>()>& fn,
            std::vector<Tensor>* outputs_now) {
  // A trace inside a trace would hide the inner function's kernels from the outer graph.
  if (backend::active_recorder())
    throw TraceError("a compiled function was called while another one was being traced");
  Tracer tracer;
  for (const Tensor& x : inputs) tracer.add_input(x);
  std::vector<Tensor> outputs;
  {
    backend::RecorderScope scope(&tracer);
    outputs = fn();
  }
  for (const Tensor& y : outputs) tracer.graph.outputs.push_back(tracer.value_of(y));
  tracer.graph.finalize();
  if (outputs_now) *outputs_now = std::move(outputs);
  return std::move(tracer.graph);
}

}  // namespace keras::graph
