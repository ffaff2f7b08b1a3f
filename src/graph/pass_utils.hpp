#pragma once
// Helpers shared by the graph passes (src/graph/*.cpp).
#include <functional>
#include <vector>

#include "keras/graph/graph.hpp"

namespace keras::graph::detail {

// Folds nodes into the only node reading their output: for each node with one output that
// exactly one other node reads (on the same backend) and the graph does not return, calls
// fold(index, node, reader); when it returns true (having changed nothing otherwise), `node` has
// taken on the reader's work: it gets the reader's outputs and the reader is removed. Returns the
// number of folds.
int fold_into_sole_reader(
    Graph& g, const std::function<bool(int index, Node& node, const Node& reader)>& fold);

// Drops the nodes marked in `removed` and renumbers every value's producer.
void remove_nodes(Graph& g, const std::vector<bool>& removed);

}  // namespace keras::graph::detail
