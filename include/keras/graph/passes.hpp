#pragma once
// The passes that turn a traced graph (graph.hpp) into a faster one computing the same outputs
// bit for bit, using what the graph's backends offer (keras/backend/graph_compiler.hpp).
// docs/compiled-steps.md, "Passes".
#include "keras/graph/graph.hpp"

namespace keras::graph {

// Runs every pass below on `g`, in order, then re-finalizes it. KERAS_GRAPH_PASSES=0 leaves
// graphs as traced (for debugging a pass).
void optimize(Graph& g);

// Elementwise fusion: each maximal chain of unary/binary/where/cast nodes over one shape (their
// other inputs that shape, single elements, or bias-like trailing dimensions) on a backend whose
// compiler can fuse them becomes one "fused_elementwise" node; only the chain's values used
// outside it are written. A chain is grown in trace order and stops at the first node outside it
// that reads one of its values, so the fused node can take the place of its last member.
// Returns the number of nodes removed.
int fuse_elementwise(Graph& g);

// Rewires every read of a reshape to its own input's shape (Dense and the losses make several)
// to the reshaped value itself, so the passes below see through them; remove_dead_nodes then
// drops them. Returns the number of reads rewired.
int remove_identity_reshapes(Graph& g);

// Transpose folding: a matmul operand made by a transpose of the last two axes (after
// remove_identity_reshapes) is read in place by the backend's transposed matmul. Returns the number
// of operands folded; the transposes left unread go with remove_dead_nodes.
int fold_transposes(Graph& g);

// Post-ops: a conv or (untransposed) matmul whose output only feeds "+ bias" (one value per
// output channel / column; a binary add, or a fused program add then relu) becomes one
// conv_bias / conv_bias_relu / matmul_bias / matmul_bias_relu node, where the backend's compiler
// offers it. Returns the number folded.
int fold_bias_activation(Graph& g);

// The relu mask on a max-pool gradient: max_pool_backward(y, dy) read only by a fused
// dx * cast(y > 0) (the gradient of a relu whose output y was pooled) becomes one
// max_pool_backward_relu node, where the backend's compiler offers it. Returns the number folded.
int fold_relu_into_max_pool_backward(Graph& g);

// Removes the nodes none of whose outputs is read by a remaining node or returned (kernels have
// no side effects). Returns the number removed.
int remove_dead_nodes(Graph& g);

}  // namespace keras::graph
