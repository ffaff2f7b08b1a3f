// graph::remove_identity_reshapes and graph::remove_dead_nodes (passes.hpp): clean-ups that let
// the other passes see through the step's bookkeeping.
#include "graph/pass_utils.hpp"
#include "keras/graph/passes.hpp"

namespace keras::graph {

int remove_identity_reshapes(Graph& g) {
  // The value a reshape to its own input's shape stands for (the same elements, same shape).
  auto source = [&](int id) {
    while (id >= 0 && g.values[id].kind == Value::Kind::NodeOutput && g.values[id].producer >= 0) {
      const Node& producer = g.nodes[g.values[id].producer];
      if (producer.kernel != "reshape" || g.values[producer.inputs[0]].shape != g.values[id].shape)
        break;
      id = producer.inputs[0];
    }
    return id;
  };
  int rewired = 0;
  auto rewire = [&](int& id) {
    if (int s = source(id); s != id) {
      id = s;
      ++rewired;
    }
  };
  for (Node& node : g.nodes)
    for (int& id : node.inputs) rewire(id);
  for (int& id : g.outputs) rewire(id);
  return rewired;
}

int remove_dead_nodes(Graph& g) {
  std::vector<bool> read(g.values.size(), false);
  for (int id : g.outputs)
    if (id >= 0) read[id] = true;
  std::vector<bool> live(g.nodes.size(), false);
  for (size_t k = g.nodes.size(); k-- > 0;) {
    for (int id : g.nodes[k].outputs)
      if (id >= 0 && read[id]) live[k] = true;
    if (live[k])
      for (int id : g.nodes[k].inputs)
        if (id >= 0) read[id] = true;
  }
  std::vector<bool> removed(g.nodes.size());
  for (size_t k = 0; k < g.nodes.size(); ++k) removed[k] = !live[k];
  size_t before = g.nodes.size();
  detail::remove_nodes(g, removed);
  return static_cast<int>(before - g.nodes.size());
}

}  // namespace keras::graph
