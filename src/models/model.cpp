// ModelImpl: Functional graphs and subclassed models (keras/src/models/{model,functional}.py).
#include "keras/models/model.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "keras/layers/core/input_layer.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"

namespace keras {

ModelImpl::ModelImpl(ModelOptions options) : LayerImpl(layer_options(options)) {}

ModelImpl::ModelImpl(std::vector<Tensor> inputs, std::vector<Tensor> outputs, ModelOptions options)
    : LayerImpl(layer_options(options)), inputs_(std::move(inputs)), outputs_(std::move(outputs)) {
  build_graph();
}

std::string ModelImpl::class_name() const { return is_functional() ? "Functional" : "Model"; }

std::string ModelImpl::module() const {
  return is_functional() ? "keras.src.models.functional" : "keras";
}

std::string ModelImpl::registered_name() const { return is_functional() ? "Functional" : ""; }

// Keras's Functional operation order (src/saving/functional_config.cpp).
std::vector<std::shared_ptr<LayerImpl>> keras_operation_order(const std::vector<Tensor>& inputs,
                                                              const std::vector<Tensor>& outputs);

// Walks the graph back from the outputs (Keras's map_graph): a depth-first post-order gives an
// execution order in which every node runs after the nodes it reads from.
void ModelImpl::build_graph() {
  if (inputs_.empty()) throw ValueError("Model: `inputs` is empty");
  if (outputs_.empty()) throw ValueError("Model: `outputs` is empty");
  std::unordered_set<uint64_t> input_ids;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const Tensor& x = inputs_[i];
    const KerasHistory* h = keras_history(x);
    if (!x.defined() || !x.is_symbolic() || !h ||
        !dynamic_cast<layers::InputLayerImpl*>(h->node->layer.get()))
      throw ValueError("Model: input " + std::to_string(i) +
                       " must be a symbolic tensor made by keras::Input");
    input_ids.insert(x.id());
  }
  std::unordered_set<const Node*> visited, in_progress;
  std::function<void(const Tensor&)> visit = [&](const Tensor& t) {
    const KerasHistory* h = keras_history(t);
    if (!t.defined() || !t.is_symbolic() || !h)
      throw ValueError(
          "Model: an output depends on a tensor of shape " +
          (t.defined() ? t.shape().to_string() : std::string("?")) +
          " that was not produced by a Keras layer or keras::Input (raw ops on symbolic tensors "
          "are not recorded yet: wrap them in a layers::Lambda)");
    const Node* node = h->node.get();
    if (visited.count(node)) return;
    if (in_progress.count(node)) throw ValueError("Model: the graph has a cycle");
    in_progress.insert(node);
    if (dynamic_cast<layers::InputLayerImpl*>(node->layer.get()) && !input_ids.count(t.id()))
      throw ValueError("Model: the graph uses input '" + node->layer->name() +
                       "', which is not in the model's `inputs`");
    for (const Tensor& in : node->inputs) visit(in);
    in_progress.erase(node);
    visited.insert(node);
    graph_nodes_.push_back(h->node);
  };
  for (const Tensor& out : outputs_) visit(out);
  // InputLayer nodes first, in the order of `inputs` (as Keras lists the input layers).
  std::vector<std::shared_ptr<Node>> ordered;
  for (const Tensor& x : inputs_) {
    auto node = keras_history(x)->node;
    if (std::find(ordered.begin(), ordered.end(), node) == ordered.end()) ordered.push_back(node);
  }
  for (const auto& node : graph_nodes_)
    if (std::find(ordered.begin(), ordered.end(), node) == ordered.end()) ordered.push_back(node);
  graph_nodes_ = std::move(ordered);
  std::unordered_set<const LayerImpl*> seen;
  std::unordered_set<std::string> names;
  for (const auto& node : graph_nodes_) {
    if (!seen.insert(node->layer.get()).second) continue;
    if (!names.insert(node->layer->name()).second)
      throw ValueError("Model: the layer name '" + node->layer->name() +
                       "' is used by two different layers; layer names must be unique in a model");
    graph_layers_.push_back(node->layer);
  }
  // `layers` in Keras's order (map_graph: by depth, then traversal order), which also fixes the
  // weight-file paths (layers/dense, layers/dense_1, ...).
  graph_layers_ = keras_operation_order(inputs_, outputs_);
  std::vector<Shape> shapes;
  for (const Tensor& x : inputs_) shapes.push_back(x.shape());
  maybe_build(shapes);
}

std::vector<std::string> ModelImpl::output_names() const {
  std::vector<std::string> names;
  for (const Tensor& y : outputs_) names.push_back(keras_history(y)->node->layer->name());
  return names;
}

std::vector<Layer> ModelImpl::layers() const {
  std::vector<Layer> out;
  if (is_functional()) {
    for (const auto& l : graph_layers_) out.emplace_back(l);
  } else {
    for (const auto& [attr, l] : tracked_layers()) out.emplace_back(l);
  }
  return out;
}

std::vector<std::shared_ptr<LayerImpl>> ModelImpl::sublayers() const {
  std::vector<std::shared_ptr<LayerImpl>> out;
  for (const Layer& l : layers()) out.push_back(l.ptr());
  return out;
}

Layer ModelImpl::get_layer(const std::string& name) const {
  std::string known;
  for (const Layer& l : layers()) {
    if (l->name() == name) return l;
    known += (known.empty() ? "" : ", ") + l->name();
  }
  throw ValueError("No such layer: " + name + ". Existing layers are: [" + known + "].");
}

Layer ModelImpl::get_layer(int index) const {
  std::vector<Layer> ls = layers();
  if (index < 0 || index >= static_cast<int>(ls.size()))
    throw ValueError("Was asked to retrieve layer at index " + std::to_string(index) +
                     " but model only has " + std::to_string(ls.size()) + " layers.");
  return ls[index];
}

void ModelImpl::build(const Shape& input_shape) { build(std::vector<Shape>{input_shape}); }

void ModelImpl::build(const std::vector<Shape>& input_shapes) {
  if (is_functional()) return;
  // A subclassed model builds its layers by running call() once on symbolic inputs.
  std::vector<Tensor> symbolic;
  for (const Shape& s : input_shapes) symbolic.push_back(Tensor::symbolic(s, compute_dtype()));
  call(symbolic, CallContext{});
  mark_built(input_shapes);
}

Tensor ModelImpl::call(const Tensor& inputs, const CallContext& context) {
  if (!is_functional())
    throw NotImplementedError("Model '" + name() +
                              "' is a subclassed model that does not override call()");
  std::vector<Tensor> out = call(std::vector<Tensor>{inputs}, context);
  if (out.size() != 1)
    throw ValueError("Model '" + name() + "' returns " + std::to_string(out.size()) + " outputs");
  return out[0];
}

std::vector<Tensor> ModelImpl::call(const std::vector<Tensor>& inputs, const CallContext& context) {
  if (!is_functional()) {
    if (inputs.size() != 1)
      throw NotImplementedError("Model '" + name() +
                                "' is a subclassed model that does not override call()");
    return {call(inputs[0], context)};
  }
  if (inputs.size() != inputs_.size())
    throw ValueError("Model '" + name() + "' expects " + std::to_string(inputs_.size()) +
                     " inputs, but it received " + std::to_string(inputs.size()) +
                     " input tensors");
  std::unordered_map<uint64_t, Tensor> values;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Shape& want = inputs_[i].shape();
    const Shape& got = inputs[i].shape();
    bool ok = want.rank() == got.rank();
    for (int d = 0; ok && d < want.rank(); ++d)
      ok = want[d] == Shape::kNone || got[d] == Shape::kNone || want[d] == got[d];
    if (!ok)
      throw ValueError("Input " + std::to_string(i) + " of model '" + name() +
                       "' is incompatible: expected shape " + want.to_string() + ", found shape " +
                       got.to_string());
    // An explicit mask for an input is attached to it (Keras's Functional.call).
    if (i < context.masks.size() && context.masks[i].defined() && !inputs[i].keras_mask().defined())
      inputs[i].set_keras_mask(context.masks[i]);
    values[inputs_[i].id()] = inputs[i];
  }
  for (const auto& node : graph_nodes_) {
    if (node->inputs.empty()) continue;  // an InputLayer
    std::vector<Tensor> args;
    for (const Tensor& t : node->inputs) args.push_back(values.at(t.id()));
    CallArgs call_args = node->args;
    if (!call_args.training) call_args.training = context.training;
    // Symbolic masks recorded with the call are the graph's: use the values computed for them,
    // or else the masks attached to the inputs at run time.
    auto resolve = [&](Tensor& m) {
      if (!m.defined() || !m.is_symbolic()) return;
      auto it = values.find(m.id());
      m = it != values.end() ? it->second : Tensor();
    };
    resolve(call_args.mask);
    for (Tensor& m : call_args.masks) resolve(m);
    if (!call_args.masks.empty()) {
      for (size_t i = 0; i < call_args.masks.size() && i < args.size(); ++i)
        if (!call_args.masks[i].defined()) call_args.masks[i] = args[i].keras_mask();
    }
    std::vector<Tensor> outs = node->layer->invoke(args, call_args);
    for (size_t i = 0; i < outs.size() && i < node->output_ids.size(); ++i)
      values[node->output_ids[i]] = outs[i];
  }
  std::vector<Tensor> result;
  for (const Tensor& y : outputs_) result.push_back(values.at(y.id()));
  return result;
}

std::vector<Tensor> ModelImpl::forward(const std::vector<Tensor>& inputs, bool training) {
  return invoke(inputs, CallArgs{.training = training});
}

// Functional configs are written in src/saving/functional_config.cpp (with from_config).
Config functional_get_config(const ModelImpl& model);

Config ModelImpl::get_config() const {
  if (!is_functional()) return LayerImpl::get_config();
  return functional_get_config(*this);
}

Model::Model(std::vector<Tensor> inputs, std::vector<Tensor> outputs, ModelOptions options)
    : ModelHolder<ModelImpl>(
          std::make_shared<ModelImpl>(std::move(inputs), std::move(outputs), std::move(options))) {}

Model::Model(const Tensor& input, const Tensor& output, ModelOptions options)
    : Model(std::vector<Tensor>{input}, std::vector<Tensor>{output}, std::move(options)) {
  this->checked().set_io_structure(true, true);
}

}  // namespace keras
