// graph::fold_transposes (passes.hpp): matmul(transpose(x), y) -> matmul[transpose_a](x, y).
#include <tuple>

#include "keras/backend/graph_compiler.hpp"
#include "keras/graph/passes.hpp"

namespace keras::graph {

namespace {

// Whether a transpose node (its recorded permutation) swaps the last two axes and nothing else.
bool swaps_last_two(const Node& transpose) {
  const auto* args = std::any_cast<std::tuple<std::vector<int>>>(&transpose.args);
  if (!args) return false;
  const std::vector<int>& perm = std::get<0>(*args);
  int r = static_cast<int>(perm.size());
  if (r < 2 || perm[r - 2] != r - 1 || perm[r - 1] != r - 2) return false;
  for (int d = 0; d < r - 2; ++d)
    if (perm[d] != d) return false;
  return true;
}

// The value a matmul operand `id` is the transpose (last two axes) of; -1 when it is not one.
// (optimize() has already taken the identity reshapes out of the way.)
int transposed_source(const Graph& g, int id) {
  if (id < 0 || g.values[id].kind != Value::Kind::NodeOutput) return -1;
  const Node& producer = g.nodes[g.values[id].producer];
  return producer.kernel == "transpose" && swaps_last_two(producer) ? producer.inputs[0] : -1;
}

}  // namespace

int fold_transposes(Graph& g) {
  int folded = 0;
  for (Node& node : g.nodes) {
    if (node.kernel != "matmul" || !std::any_cast<std::tuple<>>(&node.args) ||
        node.inputs.size() != 2)
      continue;
    const backend::GraphCompiler* compiler = backend::graph_compiler(node.backend->name());
    if (!compiler || !compiler->matmul_transposed) continue;
    int a = transposed_source(g, node.inputs[0]);
    int b = transposed_source(g, node.inputs[1]);
    if (a < 0 && b < 0) continue;
    if (a >= 0) node.inputs[0] = a;
    if (b >= 0) node.inputs[1] = b;
    node.attrs = std::string("transpose_a=") + (a >= 0 ? "true" : "false") +
                 ", transpose_b=" + (b >= 0 ? "true" : "false");
    node.args = std::tuple{a >= 0, b >= 0};
    node.fn = compiler->matmul_transposed(a >= 0, b >= 0);
    folded += (a >= 0) + (b >= 0);
  }
  return folded;
}

}  // namespace keras::graph
