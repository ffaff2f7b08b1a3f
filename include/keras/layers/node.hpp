#pragma once
// The Functional graph: each symbolic tensor made by a layer call remembers the call (a Node) and
// its position among the call's outputs (Keras's `_keras_history`).
#include <memory>
#include <vector>

#include "keras/layers/layer.hpp"

namespace keras {

struct Node {
  std::shared_ptr<LayerImpl> layer;
  std::vector<Tensor> inputs;        // symbolic inputs, each with its own history
  std::vector<uint64_t> output_ids;  // ids of the symbolic outputs (no handles: no cycles)
  std::vector<Shape> output_shapes;
  std::vector<DType> output_dtypes;
  CallArgs args;
};

struct KerasHistory {
  std::shared_ptr<Node> node;
  int tensor_index = 0;
};

// The history of a symbolic tensor, or null if it was not made by a layer (or keras::Input).
const KerasHistory* keras_history(const Tensor& x);
void set_keras_history(const Tensor& x, std::shared_ptr<Node> node, int tensor_index);

}  // namespace keras
