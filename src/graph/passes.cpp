// graph::optimize: the pass pipeline.
#include <cstdlib>
#include <cstring>

#include "keras/graph/passes.hpp"

namespace keras::graph {

void optimize(Graph& g) {
  const char* env = std::getenv("KERAS_GRAPH_PASSES");
  if (env && std::strcmp(env, "0") == 0) return;
  remove_identity_reshapes(g);
  fold_transposes(g);
  remove_dead_nodes(g);
  fuse_elementwise(g);
  fold_bias_activation(g);
  fold_relu_into_max_pool_backward(g);
  g.finalize();
}

}  // namespace keras::graph
