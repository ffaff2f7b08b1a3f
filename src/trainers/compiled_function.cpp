#include "trainers/compiled_function.hpp"

#include "keras/graph/passes.hpp"

#include <iostream>

namespace keras {

JitCompile::JitCompile(const char* mode) : mode_(Mode::Auto) {
  if (std::string(mode ? mode : "") != "auto")
    throw ValueError("jit_compile: expected true, false or \"auto\", got \"" +
                     std::string(mode ? mode : "") + "\"");
}

namespace detail {

namespace {

// What a graph is specialized for: each batch tensor's shape, dtype and backend, and each
// variable's (identity is checked against the entry).
std::string signature(const std::vector<Tensor>& batch, const std::vector<Variable>& variables) {
  std::string s;
  for (const Tensor& x : batch)
    s += x.defined() ? x.shape().to_string() + std::string(dtype_name(x.dtype())) + "@" +
                           std::string(x.backend_name()) + ";"
                     : "none;";
  s += "|";
  for (const Variable& v : variables)
    s += v.shape().to_string() + std::string(dtype_name(v.dtype())) + ";";
  return s;
}

bool same_variables(const std::vector<Variable>& a, const std::vector<Variable>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!a[i].is(b[i])) return false;
  return true;
}

std::vector<Tensor> graph_inputs(const std::vector<Tensor>& batch,
                                 const std::vector<Variable>& variables) {
  std::vector<Tensor> inputs = batch;
  for (const Variable& v : variables) inputs.push_back(v.value());
  return inputs;
}

}  // namespace

std::vector<Tensor> CompiledFunction::operator()(const JitCompile& mode,
                                                 const std::vector<Tensor>& batch,
                                                 const std::vector<Variable>& variables,
                                                 const std::function<std::vector<Tensor>()>& step,
                                                 const std::string& key) {
  if (mode.is_off()) return step();
  for (const Tensor& x : batch)
    if (!x.defined() || x.is_symbolic()) return step();  // eager reports what is wrong
  Entry& entry = entries_[key + "|" + signature(batch, variables)];
  if (!same_variables(entry.variables, variables)) entry = Entry{.variables = variables};
  if (entry.eager) return step();
  if (!entry.graph) {
    if (entry.seen) return trace(entry, mode, batch, variables, step);
    entry.seen = true;
    return step();
  }
  std::vector<Tensor> out = entry.graph->run(graph_inputs(batch, variables));
  size_t n = out.size() - variables.size();
  for (size_t i = 0; i < variables.size(); ++i)
    if (entry.changed[i]) Variable(variables[i]).assign(out[n + i]);
  out.resize(n);
  return out;
}

std::vector<Tensor> CompiledFunction::trace(Entry& entry, const JitCompile& mode,
                                            const std::vector<Tensor>& batch,
                                            const std::vector<Variable>& variables,
                                            const std::function<std::vector<Tensor>()>& step) {
  std::vector<Tensor> inputs = graph_inputs(batch, variables);
  std::vector<Tensor> out;
  graph::Graph g;
  try {
    g = graph::trace(
        inputs,
        [&] {
          std::vector<Tensor> y = step();
          for (const Variable& v : variables) y.push_back(v.value());
          return y;
        },
        &out);
  } catch (const graph::TraceError& e) {
    // The step stopped part-way: put back what it assigned, then run it whole, eagerly.
    for (size_t i = 0; i < variables.size(); ++i)
      if (variables[i].value().impl() != inputs[batch.size() + i].impl())
        Variable(variables[i]).assign(inputs[batch.size() + i]);
    if (mode.is_on())
      throw ValueError(name_ + ": jit_compile=true, but the step cannot be compiled: " + e.what() +
                       ". Use jit_compile=\"auto\" (compiled where possible) or false.");
    if (!warned_)
      std::cerr << "keras-cpp: warning: " << name_ << " runs eagerly: it cannot be compiled ("
                << e.what() << ")\n";
    warned_ = true;
    entry.eager = true;
    return step();
  }
  size_t n = out.size() - variables.size();
  entry.changed.assign(variables.size(), false);
  for (size_t i = 0; i < variables.size(); ++i)
    entry.changed[i] = g.outputs[n + i] != g.inputs[batch.size() + i];
  graph::optimize(g);
  graph::maybe_dump(g, name_);
  entry.graph = std::make_shared<graph::Graph>(std::move(g));
  out.resize(n);
  return out;
}

}  // namespace detail

}  // namespace keras
