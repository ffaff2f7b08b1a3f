#pragma once
// A step function run compiled (docs/compiled-steps.md): traced into a graph::Graph once per input
// signature, replayed after. The graph's inputs are the step's batch tensors and the current
// values of the model's variables; its outputs are the step's results followed by the variables'
// values at the end of the step, assigned back after each replay where they changed (stateful
// layers).
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "keras/core/variable.hpp"
#include "keras/graph/graph.hpp"
#include "keras/trainers/trainer.hpp"

namespace keras::detail {

class CompiledFunction {
 public:
  explicit CompiledFunction(std::string name) : name_(std::move(name)) {}

  // Runs `step` (which reads `batch` and `variables`) as `mode` says: false runs it eagerly; true
  // and "auto" run the graph traced for this signature. A signature's first call runs eagerly
  // (it may build the model, create variables, fill caches) and notes every other variable the
  // step uses (a custom step's own trackers or optimizers): they are state too. Its second call
  // is traced, later ones replay the graph. A step that cannot be traced (it reads a value back
  // to the host, draws random numbers on the host) raises with true and, with "auto", runs
  // eagerly from then on after one warning. A step that uses a variable its earlier runs did not
  // runs eagerly once more and is traced again on the next call.
  // `key` adds what else the step's graph depends on (e.g. which variables are trainable).
  // `labels`, when given, are names the step gives its outputs while it runs; a replay sets them
  // to those of the traced run.
  std::vector<Tensor> operator()(const JitCompile& mode, const std::vector<Tensor>& batch,
                                 const std::vector<Variable>& variables,
                                 const std::function<std::vector<Tensor>()>& step,
                                 const std::string& key = "",
                                 std::vector<std::string>* labels = nullptr);

 private:
  struct Entry {
    std::vector<Variable> variables;      // what the entry was made for
    std::vector<Variable> state;          // `variables`, then the others the step uses
    int traces = 0;                       // tries so far
    bool seen = false;                    // ran once (eagerly)
    bool eager = false;                   // cannot be traced: always runs eagerly
    std::shared_ptr<graph::Graph> graph;  // the traced step
    std::vector<bool> changed;            // per state variable: the step assigns it
    std::vector<std::string> labels;      // the traced run's output labels
  };
  std::vector<Tensor> run_eagerly(Entry& entry, const std::function<std::vector<Tensor>()>& step);
  std::vector<Tensor> trace(Entry& entry, const JitCompile& mode, const std::vector<Tensor>& batch,
                            const std::function<std::vector<Tensor>()>& step,
                            std::vector<std::string>* labels);
  void give_up(Entry& entry, const JitCompile& mode, const std::string& why);

  std::string name_;
  std::map<std::string, Entry> entries_;  // by signature
  bool warned_ = false;
};

}  // namespace keras::detail
