#include "trainers/compiled_function.hpp"

#include "keras/core/variable_observer.hpp"
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

bool contains(const std::vector<Variable>& variables, const Variable& v) {
  for (const Variable& x : variables)
    if (x.is(v)) return true;
  return false;
}

std::vector<Tensor> graph_inputs(const std::vector<Tensor>& batch,
                                 const std::vector<Variable>& variables) {
  std::vector<Tensor> inputs = batch;
  for (const Variable& v : variables) inputs.push_back(v.value());
  return inputs;
}

// An eager run: adds each variable the step uses to `state`.
class StateFinder final : public VariableObserver {
 public:
  explicit StateFinder(std::vector<Variable>& state) : state_(state) {}
  void used(const Variable& v, bool) override {
    if (!contains(state_, v)) state_.push_back(v);
  }

 private:
  std::vector<Variable>& state_;
};

// A traced run: a variable outside `state` would become a constant of the graph (or an
// assignment the replays skip), so its use ends the trace; it is noted in `unknown`.
class StateCheck final : public VariableObserver {
 public:
  explicit StateCheck(const std::vector<Variable>& state) : state_(state) {}
  void used(const Variable& v, bool) override {
    if (contains(state_, v)) return;
    unknown = v;
    throw graph::TraceError("the step uses variable '" + v.path() +
                            "', which its earlier runs did not use");
  }
  Variable unknown;

 private:
  const std::vector<Variable>& state_;
};

// How often a signature is traced again after its step used a variable its earlier runs did not
// (a variable made lazily on a later call); then it stays eager.
constexpr int kMaxTraces = 3;

}  // namespace

std::vector<Tensor> CompiledFunction::operator()(const JitCompile& mode,
                                                 const std::vector<Tensor>& batch,
                                                 const std::vector<Variable>& variables,
                                                 const std::function<std::vector<Tensor>()>& step,
                                                 const std::string& key,
                                                 std::vector<std::string>* labels) {
  if (mode.is_off()) return step();
  for (const Tensor& x : batch)
    if (!x.defined() || x.is_symbolic()) return step();  // eager reports what is wrong
  Entry& entry = entries_[key + "|" + signature(batch, variables)];
  if (!same_variables(entry.variables, variables))
    entry = Entry{.variables = variables, .state = variables};
  if (entry.eager) return step();
  if (!entry.graph) {
    if (entry.seen) return trace(entry, mode, batch, step, labels);
    entry.seen = true;
    return run_eagerly(entry, step);
  }
  std::vector<Tensor> out = entry.graph->run(graph_inputs(batch, entry.state));
  size_t n = out.size() - entry.state.size();
  for (size_t i = 0; i < entry.state.size(); ++i)
    if (entry.changed[i]) entry.state[i].assign(out[n + i]);
  out.resize(n);
  if (labels) *labels = entry.labels;
  return out;
}

std::vector<Tensor> CompiledFunction::run_eagerly(
    Entry& entry, const std::function<std::vector<Tensor>()>& step) {
  StateFinder finder(entry.state);
  VariableObserverScope scope(&finder);
  return step();
}

void CompiledFunction::give_up(Entry& entry, const JitCompile& mode, const std::string& why) {
  if (mode.is_on())
    throw ValueError(name_ + ": jit_compile=true, but the step cannot be compiled: " + why +
                     ". Use jit_compile=\"auto\" (compiled where possible) or false.");
  if (!warned_)
    std::cerr << "keras-cpp: warning: " << name_ << " runs eagerly: it cannot be compiled (" << why
              << ")\n";
  warned_ = true;
  entry.eager = true;
}

std::vector<Tensor> CompiledFunction::trace(Entry& entry, const JitCompile& mode,
                                            const std::vector<Tensor>& batch,
                                            const std::function<std::vector<Tensor>()>& step,
                                            std::vector<std::string>* labels) {
  const std::vector<Variable>& state = entry.state;
  std::vector<Tensor> inputs = graph_inputs(batch, state);
  std::vector<Tensor> out;
  graph::Graph g;
  StateCheck check(state);
  ++entry.traces;
  try {
    VariableObserverScope scope(&check);
    g = graph::trace(
        inputs,
        [&] {
          std::vector<Tensor> y = step();
          for (const Variable& v : state) y.push_back(v.value());
          return y;
        },
        &out);
  } catch (const graph::TraceError& e) {
    // The step stopped part-way: put back what it assigned, then run it whole, eagerly.
    for (size_t i = 0; i < state.size(); ++i)
      if (state[i].value().impl() != inputs[batch.size() + i].impl())
        Variable(state[i]).assign(inputs[batch.size() + i]);
    if (!check.unknown.defined() || entry.traces >= kMaxTraces) give_up(entry, mode, e.what());
    // Otherwise the variable joins the state (with any other this run finds) and the next call
    // traces again.
    if (entry.eager) return step();
    entry.state.push_back(check.unknown);
    return run_eagerly(entry, step);
  }
  size_t n = out.size() - state.size();
  entry.changed.assign(state.size(), false);
  for (size_t i = 0; i < state.size(); ++i)
    entry.changed[i] = g.outputs[n + i] != g.inputs[batch.size() + i];
  graph::optimize(g);
  graph::maybe_dump(g, name_);
  entry.graph = std::make_shared<graph::Graph>(std::move(g));
  entry.labels = labels ? *labels : std::vector<std::string>{};
  out.resize(n);
  return out;
}

}  // namespace detail

}  // namespace keras
