// graph::fold_transposes (passes.hpp): matmul(transpose(x), y) -> matmul[transpose_a](x, y).
#include <cstdlib>

#include "keras/backend/graph_compiler.hpp"
#include "keras/graph/passes.hpp"

namespace keras::graph {

namespace {

// The permutation a transpose node was recorded with (its dump text "[0, 2, 1]").
std::vector<int> perm_of(const Node& node) {
  std::vector<int> perm;
  const char* p = node.attrs.c_str();
  while (*p) {
    char* end = nullptr;
    long v = std::strtol(p, &end, 10);
    if (end == p) {
      ++p;
      continue;
    }
    perm.push_back(static_cast<int>(v));
    p = end;
  }
  return perm;
}

bool swaps_last_two(const std::vector<int>& perm) {
  int r = static_cast<int>(perm.size());
  if (r < 2 || perm[r - 2] != r - 1 || perm[r - 1] != r - 2) return false;
  for (int d = 0; d < r - 2; ++d)
    if (perm[d] != d) return false;
  return true;
}

// The value a matmul operand `id` is the transpose (last two axes) of, looking through reshapes
// that keep the shape; -1 when it is not one.
int transposed_source(const Graph& g, int id) {
  while (id >= 0 && g.values[id].kind == Value::Kind::NodeOutput) {
    const Node& producer = g.nodes[g.values[id].producer];
    if (producer.kernel == "reshape" && g.values[producer.inputs[0]].shape == g.values[id].shape) {
      id = producer.inputs[0];
      continue;
    }
    if (producer.kernel == "transpose" && swaps_last_two(perm_of(producer)))
      return producer.inputs[0];
    return -1;
  }
  return -1;
}

}  // namespace

int fold_transposes(Graph& g) {
  int folded = 0;
  for (Node& node : g.nodes) {
    if (node.kernel != "matmul" || !node.attrs.empty() || node.inputs.size() != 2) continue;
    const backend::GraphCompiler* compiler = backend::graph_compiler(node.backend->name());
    if (!compiler || !compiler->matmul_transposed) continue;
    int a = transposed_source(g, node.inputs[0]);
    int b = transposed_source(g, node.inputs[1]);
    if (a < 0 && b < 0) continue;
    if (a >= 0) node.inputs[0] = a;
    if (b >= 0) node.inputs[1] = b;
    node.attrs = std::string("transpose_a=") + (a >= 0 ? "true" : "false") +
                 ", transpose_b=" + (b >= 0 ? "true" : "false");
    node.fn = compiler->matmul_transposed(a >= 0, b >= 0);
    folded += (a >= 0) + (b >= 0);
  }
  return folded;
}

}  // namespace keras::graph
