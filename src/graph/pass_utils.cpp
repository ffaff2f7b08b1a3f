#include "graph/pass_utils.hpp"

namespace keras::graph::detail {

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

}  // namespace keras::graph::detail
