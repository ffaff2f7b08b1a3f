#include "saving/weights_walk.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "keras/layers/core/input_layer.hpp"
#include "keras/layers/node.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/serialization/object_registry.hpp"

namespace keras::saving::detail {

std::vector<Variable> Saveable::variables() const {
  if (layer) return layer->own_variables();
  if (optimizer) return optimizer->variables();
  return {};
}

namespace {

using LayerPtr = std::shared_ptr<LayerImpl>;
using Container = std::vector<LayerPtr>;

// An attribute of an object: a layer, a list of layers, or an optimizer.
struct Attribute {
  std::string name;
  std::variant<LayerPtr, Container, optimizers::Optimizer*> value;
};

// Keras's _name_key: private names ("_query_dense") sort after every public one.
std::string name_key(const std::string& name) {
  return !name.empty() && name[0] == '_' ? "~" + name : name;
}

std::string join(const std::string& parent, const std::string& child) {
  return parent.empty() ? child : parent + "/" + child;
}

Container layer_list(const ModelImpl& model) {
  Container out;
  for (const Layer& l : model.layers()) out.push_back(l.ptr());
  return out;
}

}  // namespace

// Keras's order (keras/src/ops/function.py, _build_map and map_graph): a depth-first walk from
// the outputs numbers the layers in the order it first meets them; each node gets a depth (the
// longest path to an output), each layer the largest depth of its nodes; layers are listed by
// decreasing depth, ties by that number. Inputs not connected to any output come at depth 0.
std::vector<std::shared_ptr<LayerImpl>> functional_layers_in_keras_order(const ModelImpl& model) {
  std::unordered_set<uint64_t> input_ids;
  for (const Tensor& x : model.inputs()) input_ids.insert(x.id());
  auto is_input_node = [](const Node* node) {
    return dynamic_cast<const layers::InputLayerImpl*>(node->layer.get()) != nullptr;
  };

  std::vector<const Node*> nodes;  // inputs -> outputs
  std::unordered_set<const Node*> finished;
  std::unordered_map<const LayerImpl*, int64_t> index;
  std::unordered_map<const LayerImpl*, LayerPtr> owner;
  std::function<void(const Tensor&)> visit = [&](const Tensor& t) {
    const KerasHistory* h = keras_history(t);
    if (!h || !h->node) return;
    const Node* node = h->node.get();
    if (finished.count(node)) return;
    if (!is_input_node(node) && input_ids.count(t.id())) {
      finished.insert(node);
      return;
    }
    index.try_emplace(node->layer.get(), static_cast<int64_t>(index.size()));
    owner.emplace(node->layer.get(), node->layer);
    finished.insert(node);  // the graph was checked for cycles when the model was built
    if (!is_input_node(node))
      for (const Tensor& in : node->inputs) visit(in);
    nodes.push_back(node);
  };
  for (const Tensor& y : model.outputs()) visit(y);

  std::unordered_set<const Node*> in_graph(nodes.begin(), nodes.end());
  std::unordered_map<const Node*, int> node_depth;
  std::vector<const LayerImpl*> layer_order;  // insertion order of layer depths
  std::unordered_map<const LayerImpl*, int> layer_depth;
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    const Node* node = *it;
    int depth = node_depth.try_emplace(node, 0).first->second;
    auto [ld, fresh] = layer_depth.try_emplace(node->layer.get(), 0);
    if (fresh) layer_order.push_back(node->layer.get());
    depth = std::max(depth, ld->second);
    ld->second = depth;
    node_depth[node] = depth;
    for (const Tensor& in : node->inputs) {
      const KerasHistory* h = keras_history(in);
      if (!h || !h->node || !in_graph.count(h->node.get())) continue;
      int& d = node_depth[h->node.get()];
      d = std::max(d, depth + 1);
    }
  }
  for (const Tensor& x : model.inputs()) {
    const KerasHistory* h = keras_history(x);
    if (!h || !h->node || !is_input_node(h->node.get())) continue;
    const LayerImpl* l = h->node->layer.get();
    if (layer_depth.count(l)) continue;
    layer_depth[l] = 0;
    layer_order.push_back(l);
    index[l] = -1;
    owner.emplace(l, h->node->layer);
  }
  std::stable_sort(layer_order.begin(), layer_order.end(),
                   [&](const LayerImpl* a, const LayerImpl* b) {
                     if (layer_depth[a] != layer_depth[b]) return layer_depth[a] > layer_depth[b];
                     return index[a] < index[b];
                   });
  std::vector<LayerPtr> out;
  for (const LayerImpl* l : layer_order) out.push_back(owner.at(l));
  return out;
}

namespace {

// The Functional model's layers in Keras's order; model.layers() if the graph walk does not
// find the same layers (it always should).
Container functional_layers(const ModelImpl& model) {
  Container keras_order = functional_layers_in_keras_order(model);
  Container ours = layer_list(model);
  std::set<const LayerImpl*> a, b;
  for (const auto& l : keras_order) a.insert(l.get());
  for (const auto& l : ours) b.insert(l.get());
  return a == b ? keras_order : ours;
}

class Walker {
 public:
  explicit Walker(bool include_optimizer) : include_optimizer_(include_optimizer) {}

  void visit_layer(LayerImpl& layer, const std::string& path) {
    if (!visited_.insert(&layer).second) return;
    out_.push_back({.path = path,
                    .name = layer.name(),
                    .description = layer.class_name() + " '" + layer.name() + "'",
                    .layer = &layer});

    const auto* model = dynamic_cast<const ModelImpl*>(&layer);
    bool sequential = dynamic_cast<const SequentialImpl*>(&layer) != nullptr;
    bool functional = model && !sequential && model->is_functional();

    // Sequential and Functional models visit their layers first (Sequential's `layers` leaves
    // out the InputLayer, Functional's includes InputLayers).
    if (sequential) visit_container(layer_list(*model), join(path, "layers"));
    if (functional) visit_container(functional_layers(*model), join(path, "layers"));

    // Then every attribute a subclass set, public names in alphabetical order before private
    // ones. For subclassed models the `layers` property is one of these public attributes.
    std::vector<Attribute> attributes;
    for (const auto& [attr, sub] : layer.tracked_layers()) attributes.push_back({attr, sub});
    if (model && !sequential && !functional) attributes.push_back({"layers", layer_list(*model)});
    if (model && include_optimizer_ && model->compiled() && model->optimizer())
      attributes.push_back({"optimizer", model->optimizer().get()});
    std::stable_sort(attributes.begin(), attributes.end(), [](const auto& a, const auto& b) {
      return name_key(a.name) < name_key(b.name);
    });
    for (const Attribute& a : attributes) {
      std::string child = join(path, a.name);
      if (const auto* l = std::get_if<LayerPtr>(&a.value)) {
        visit_layer(**l, child);
      } else if (const auto* c = std::get_if<Container>(&a.value)) {
        visit_container(*c, child);
      } else {
        visit_optimizer(*std::get<optimizers::Optimizer*>(a.value), child);
      }
    }
  }

  // Items are named by their snake_case class name, made unique within the container; the
  // counter advances even for items that were already saved elsewhere (_get_unique_name).
  void visit_container(const Container& items, const std::string& path) {
    std::map<std::string, int> used;
    for (const LayerPtr& item : items) {
      std::string name = to_snake_case(item->class_name());
      auto [it, fresh] = used.try_emplace(name, 0);
      if (!fresh) name += "_" + std::to_string(++it->second);
      visit_layer(*item, join(path, name));
    }
  }

  void visit_optimizer(optimizers::Optimizer& optimizer, const std::string& path) {
    if (!visited_.insert(&optimizer).second) return;
    out_.push_back({.path = path,
                    .name = optimizer.name(),
                    .description = optimizer.class_name() + " '" + optimizer.name() + "'",
                    .optimizer = &optimizer});
  }

  std::vector<Saveable> take() { return std::move(out_); }

 private:
  bool include_optimizer_;
  std::set<const void*> visited_;
  std::vector<Saveable> out_;
};

}  // namespace

std::vector<Saveable> walk_saveables(const ModelImpl& model, bool include_optimizer) {
  Walker walker(include_optimizer);
  // The walk never changes the model; the pointers are non-const so loading can assign.
  walker.visit_layer(const_cast<ModelImpl&>(model), "");
  return walker.take();
}

}  // namespace keras::saving::detail
