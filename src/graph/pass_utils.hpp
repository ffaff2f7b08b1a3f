#pragma once
// Helpers shared by the graph passes (src/graph/*.cpp).
#include <vector>

#include "keras/graph/graph.hpp"

namespace keras::graph::detail {

// Per value: how many node inputs read it (plus 2 when the graph returns it, so that a returned
// value never counts as read once) and the index of the last node reading it (-1: none).
struct Readers {
  std::vector<int> count;
  std::vector<int> last;
};
Readers readers_of(const Graph& g);

// Drops the nodes marked in `removed` and renumbers every value's producer.
void remove_nodes(Graph& g, const std::vector<bool>& removed);

}  // namespace keras::graph::detail
