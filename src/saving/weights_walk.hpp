#pragma once
// The object-tree walk that gives every saveable object of a model its path in a weights file
// (keras/src/saving/saving_lib.py: _save_state / _load_state, _walk_saveable,
// _save_container_state, get_attr_skipset). Saving and loading use the same walk.
#include <memory>
#include <string>
#include <vector>

#include "keras/core/variable.hpp"

namespace keras {
class LayerImpl;
class ModelImpl;
namespace optimizers {
class Optimizer;
}
}  // namespace keras

namespace keras::saving::detail {

// One visited object: a layer (or model) or an optimizer.
struct Saveable {
  std::string path;         // "" for the top-level model, "layers/dense", "optimizer", ...
  std::string name;         // the object's name (the `name` attribute of its vars group)
  std::string description;  // "Dense 'dense'" for messages
  LayerImpl* layer = nullptr;
  optimizers::Optimizer* optimizer = nullptr;
  // The variables it writes to `<path>/vars/0, 1, ...`, in order.
  std::vector<Variable> variables() const;
};

// Every saveable object reachable from `model`, in Keras's visiting order; each object once,
// at the first path that reaches it. `include_optimizer`: visit the `optimizer` attribute of
// compiled models.
std::vector<Saveable> walk_saveables(const ModelImpl& model, bool include_optimizer);

// A Functional model's layers in Keras's `model.layers` order (decreasing depth in the graph,
// ties in depth-first discovery order from the outputs), InputLayers included; the weights paths
// `layers/<class>_<n>` are numbered in this order.
std::vector<std::shared_ptr<LayerImpl>> functional_layers_in_keras_order(const ModelImpl& model);

}  // namespace keras::saving::detail
