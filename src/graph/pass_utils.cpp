#include "graph/pass_utils.hpp"

namespace keras::graph::detail {

namespace {

// Per value: how many node inputs read it (plus 2 when the graph returns it, so that a returned
// value never counts as read once) and the index of the last node reading it (-1: none).
struct Readers {
  std::vector<int> count;
  std::vector<int> last;
};
Readers readers_of(const Graph& g) {
  Readers r{std::vector<int>(g.values.size(), 0), std::vector<int>(g.values.size(), -1)};
  for (size_t k = 0; k < g.nodes.size(); ++k)
    for (int id : g.nodes[k].inputs)
      if (id >= 0) {
        ++r.count[id];
        r.last[id] = static_cast<int>(k);
      }
  for (int id : g.outputs)
    if (id >= 0) r.count[id] += 2;
  return r;
}

}  // namespace

void remove_nodes(Graph& g, const std::vector<bool>& removed) {
  // A kept node may have taken over a removed one's outputs: removed nodes go first.
  for (size_t k = 0; k < g.nodes.size(); ++k)
    if (removed[k])
      for (int id : g.nodes[k].outputs)
        if (id >= 0) g.values[id].producer = -1;
  std::vector<Node> nodes;
  for (size_t k = 0; k < g.nodes.size(); ++k)
    if (!removed[k]) nodes.push_back(std::move(g.nodes[k]));
  g.nodes = std::move(nodes);
  for (size_t j = 0; j < g.nodes.size(); ++j)
    for (int id : g.nodes[j].outputs)
      if (id >= 0) g.values[id].producer = static_cast<int>(j);
}

int fold_into_sole_reader(
    Graph& g, const std::function<bool(int index, Node& node, const Node& reader)>& fold) {
  Readers readers = readers_of(g);
  std::vector<bool> removed(g.nodes.size(), false);
  int folded = 0;
  for (size_t k = 0; k < g.nodes.size(); ++k) {
    Node& node = g.nodes[k];
    if (removed[k] || node.outputs.size() != 1 || node.outputs[0] < 0) continue;
    int y = node.outputs[0];
    if (readers.count[y] != 1) continue;
    int r = readers.last[y];
    if (removed[r] || g.nodes[r].backend != node.backend ||
        !fold(static_cast<int>(k), node, g.nodes[r]))
      continue;
    node.outputs = g.nodes[r].outputs;
    removed[r] = true;
    ++folded;
  }
  if (folded) remove_nodes(g, removed);
  return folded;
}

}  // namespace keras::graph::detail
