// Functional configs (keras/src/models/functional.py get_config / functional_from_config,
// keras/src/ops/function.py map_graph): the layers in Keras's operation order, each with its
// inbound nodes (the calls made in this model, tensors as __keras_tensor__ markers), and
// input_layers / output_layers as [layer name, node index, tensor index] triples.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "keras/layers/attention/grouped_query_attention.hpp"
#include "keras/layers/attention/multi_head_attention.hpp"
#include "keras/layers/core/input_layer.hpp"
#include "keras/layers/node.hpp"
#include "keras/layers/registration.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "serialization/config_ints.hpp"
#include "serialization/config_reader.hpp"
#include "serialization/load_scope.hpp"

namespace keras {
namespace {

// What Keras's Layer.__call__ records as keyword arguments depends on the call() signature of
// the class (Keras 3.15): `training` when its default is not None, `mask` when call() takes
// one. Only for calls with a single tensor and no explicit keyword arguments (otherwise Keras
// records the caller's kwargs only).
struct CallSignature {
  std::optional<bool> training_default;
  bool has_mask = false;
};

CallSignature call_signature(const LayerImpl& layer) {
  static const std::set<std::string> training_false = {"Dropout",
                                                       "AlphaDropout",
                                                       "GaussianDropout",
                                                       "GaussianNoise",
                                                       "SpatialDropout1D",
                                                       "SpatialDropout2D",
                                                       "SpatialDropout3D",
                                                       "SimpleRNN",
                                                       "LSTM",
                                                       "GRU",
                                                       "RNN",
                                                       "ConvLSTM1D",
                                                       "ConvLSTM2D",
                                                       "ConvLSTM3D",
                                                       "SpectralNormalization"};
  static const std::set<std::string> with_mask = {"Softmax",
                                                  "BatchNormalization",
                                                  "GlobalAveragePooling1D",
                                                  "Lambda",
                                                  "SimpleRNN",
                                                  "LSTM",
                                                  "GRU",
                                                  "RNN",
                                                  "ConvLSTM1D",
                                                  "ConvLSTM2D",
                                                  "ConvLSTM3D",
                                                  "Bidirectional",
                                                  "TimeDistributed",
                                                  "Sequential",
                                                  "Functional"};
  CallSignature sig;
  std::string cls = layer.class_name();
  if (training_false.count(cls)) sig.training_default = false;
  sig.has_mask = with_mask.count(cls) > 0;
  return sig;
}

// Layers whose Keras call() takes several tensors as separate positional arguments
// (query, value, key) rather than one list.
bool positional_inputs(const LayerImpl& layer) {
  std::string cls = layer.class_name();
  return cls == "MultiHeadAttention" || cls == "GroupQueryAttention" ||
         cls == "GroupedQueryAttention";
}

// The call layout of an attention layer taking (query, value, key=None, attention_mask=None,
// return_attention_scores=False, ..., use_causal_mask=False); null for other layers.
std::optional<layers::AttentionCallLayout> attention_layout(const LayerImpl& layer) {
  if (auto* m = dynamic_cast<const layers::MultiHeadAttentionImpl*>(&layer))
    return m->call_layout();
  // GroupedQueryAttention does not expose its layout: query, value[, key] without flags.
  if (dynamic_cast<const layers::GroupedQueryAttentionImpl*>(&layer))
    return layers::AttentionCallLayout{};
  return std::nullopt;
}

bool set_attention_layout(LayerImpl& layer, const layers::AttentionCallLayout& layout) {
  if (auto* m = dynamic_cast<layers::MultiHeadAttentionImpl*>(&layer)) {
    m->set_call_layout(layout);
    return true;
  }
  if (auto* g = dynamic_cast<layers::GroupedQueryAttentionImpl*>(&layer)) {
    g->set_call_layout(layout);
    return true;
  }
  return false;
}

// Keras's map_graph operation order: by depth from the outputs (deepest first), ties broken by
// the order in which a depth-first walk from the outputs first meets each operation.
}  // namespace

std::vector<std::shared_ptr<LayerImpl>> keras_operation_order(const std::vector<Tensor>& inputs,
                                                              const std::vector<Tensor>& outputs) {
  std::unordered_set<const Node*> finished, in_progress;
  std::vector<std::shared_ptr<Node>> nodes;  // inputs -> outputs
  std::unordered_map<const LayerImpl*, int> first_seen;
  std::function<void(const Tensor&)> walk = [&](const Tensor& t) {
    const KerasHistory* h = keras_history(t);
    if (!h) return;
    const std::shared_ptr<Node>& node = h->node;
    if (finished.count(node.get()) || in_progress.count(node.get())) return;
    if (!first_seen.count(node->layer.get()))
      first_seen[node->layer.get()] = static_cast<int>(first_seen.size());
    in_progress.insert(node.get());
    for (const Tensor& in : node->inputs) walk(in);
    in_progress.erase(node.get());
    finished.insert(node.get());
    nodes.push_back(node);
  };
  for (const Tensor& y : outputs) walk(y);

  std::unordered_map<const Node*, int> node_depth;
  std::unordered_map<const LayerImpl*, int> op_depth;
  std::unordered_map<const Node*, std::shared_ptr<Node>> by_ptr;
  for (const auto& n : nodes) by_ptr[n.get()] = n;
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    const Node* node = it->get();
    int depth = node_depth.count(node) ? node_depth[node] : 0;
    node_depth[node] = depth;
    int previous = op_depth.count(node->layer.get()) ? op_depth[node->layer.get()] : 0;
    depth = std::max(depth, previous);
    op_depth[node->layer.get()] = depth;
    node_depth[node] = depth;
    for (const Tensor& in : node->inputs) {
      const KerasHistory* h = keras_history(in);
      if (!h || !by_ptr.count(h->node.get())) continue;
      int prev = node_depth.count(h->node.get()) ? node_depth[h->node.get()] : 0;
      node_depth[h->node.get()] = std::max(depth + 1, prev);
    }
  }
  std::map<const LayerImpl*, std::shared_ptr<LayerImpl>> layer_ptr;
  for (const auto& n : nodes) layer_ptr[n->layer.get()] = n->layer;
  // Inputs not connected to any output still belong to the model (depth 0, first).
  for (const Tensor& x : inputs) {
    const KerasHistory* h = keras_history(x);
    if (h && !op_depth.count(h->node->layer.get())) {
      op_depth[h->node->layer.get()] = 0;
      first_seen[h->node->layer.get()] = -1;
      layer_ptr[h->node->layer.get()] = h->node->layer;
    }
  }
  std::vector<std::shared_ptr<LayerImpl>> ops;
  for (const auto& [p, l] : layer_ptr) ops.push_back(l);
  std::stable_sort(ops.begin(), ops.end(), [&](const auto& a, const auto& b) {
    int da = op_depth[a.get()], db = op_depth[b.get()];
    if (da != db) return da > db;
    return first_seen[a.get()] < first_seen[b.get()];
  });
  return ops;
}

Config functional_get_config(const ModelImpl& model) {
  Config c = Config::object();
  c["name"] = model.name();
  c["trainable"] = model.trainable();

  // This model's nodes per layer, in creation order (Keras's serialize_node numbers a layer's
  // nodes by call order, counting only those of this model). A nested Functional model has no
  // node of its own in Keras 3 (unlike tf.keras 2): its first call here is node 0, and Keras
  // 3.15's functional_from_config looks it up as _inbound_nodes[0].
  const auto& graph_nodes = model.graph_nodes();
  std::unordered_map<const LayerImpl*, std::vector<std::shared_ptr<Node>>> own_nodes;
  for (const auto& n : graph_nodes) own_nodes[n->layer.get()].push_back(n);
  std::unordered_map<const Node*, int> node_index;
  for (auto& [layer, list] : own_nodes) {
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      uint64_t ia = a->output_ids.empty() ? 0 : a->output_ids[0];
      uint64_t ib = b->output_ids.empty() ? 0 : b->output_ids[0];
      return ia < ib;
    });
    for (size_t i = 0; i < list.size(); ++i) node_index[list[i].get()] = static_cast<int>(i);
  }
  auto history_of = [&](const Tensor& t) -> Config {
    const KerasHistory* h = keras_history(t);
    if (!h || !node_index.count(h->node.get()))
      throw ValueError("Model '" + model.name() +
                       "': get_config found a tensor that was not produced inside the model");
    return Config::array({h->node->layer->name(), node_index[h->node.get()], h->tensor_index});
  };
  auto keras_tensor = [&](const Tensor& t) {
    Config kt = Config::object();
    kt["shape"] = saving::shape_json(t.shape());
    kt["dtype"] = std::string(dtype_name(t.dtype()));
    kt["keras_history"] = history_of(t);
    return Config{{"class_name", "__keras_tensor__"}, {"config", kt}};
  };

  Config layer_list = Config::array();
  for (const auto& layer : model.layers()) {
    Config entry = layers::serialize(*layer);
    entry["name"] = layer->name();
    Config inbound = Config::array();
    for (const auto& node : own_nodes[layer.ptr().get()]) {
      if (node->inputs.empty()) continue;  // the InputLayer's own node
      Config args = Config::array();
      if (auto layout = attention_layout(*layer)) {
        // query, value[, key] positionally; attention_mask and the flags as keywords.
        bool gqa = dynamic_cast<const layers::GroupedQueryAttentionImpl*>(layer.ptr().get());
        size_t n_positional = layout->has_key || (gqa && node->inputs.size() >= 3) ? 3 : 2;
        for (size_t i = 0; i < node->inputs.size() && i < n_positional; ++i)
          args.push_back(keras_tensor(node->inputs[i]));
        Config kwargs = Config::object();
        if (layout->has_attention_mask && node->inputs.size() > n_positional)
          kwargs["attention_mask"] = keras_tensor(node->inputs[n_positional]);
        if (layout->return_attention_scores) kwargs["return_attention_scores"] = true;
        if (node->args.training) kwargs["training"] = *node->args.training;
        if (layout->use_causal_mask) kwargs["use_causal_mask"] = true;
        inbound.push_back(Config{{"args", args}, {"kwargs", kwargs}});
        continue;
      }
      if (node->inputs.size() == 1 || positional_inputs(*layer)) {
        for (const Tensor& t : node->inputs) args.push_back(keras_tensor(t));
      } else {
        Config list = Config::array();
        for (const Tensor& t : node->inputs) list.push_back(keras_tensor(t));
        args.push_back(list);
      }
      Config kwargs = Config::object();
      if (node->args.training) kwargs["training"] = *node->args.training;
      bool explicit_mask = node->args.mask.defined() && keras_history(node->args.mask);
      if (explicit_mask) kwargs["mask"] = keras_tensor(node->args.mask);
      if (kwargs.empty() && node->inputs.size() == 1 &&
          node->inputs[0].dtype() == layer->compute_dtype()) {
        CallSignature sig = call_signature(*layer);
        if (sig.training_default) kwargs["training"] = *sig.training_default;
        if (sig.has_mask) kwargs["mask"] = nullptr;
      }
      inbound.push_back(Config{{"args", args}, {"kwargs", kwargs}});
    }
    entry["inbound_nodes"] = inbound;
    layer_list.push_back(entry);
  }
  c["layers"] = layer_list;
  auto refs = [&](const std::vector<Tensor>& ts, bool single) {
    if (single) return history_of(ts.at(0));
    Config arr = Config::array();
    for (const Tensor& t : ts) arr.push_back(history_of(t));
    return arr;
  };
  c["input_layers"] = refs(model.inputs(), model.single_input_struct());
  c["output_layers"] = refs(model.outputs(), model.single_output_struct());
  return c;
}

namespace saving {
namespace {

// Rebuilds a Functional model: create every layer, then call each on the tensors named by its
// inbound nodes, deferring a call until the tensors it needs exist (shared layers called at
// different depths), as functional_from_config does.
class FunctionalBuilder {
 public:
  explicit FunctionalBuilder(const Config& config) : config_(config) {}

  std::shared_ptr<ModelImpl> build() {
    ConfigReader r(config_, "Functional.from_config");
    name_ = r.string("name", "");
    owner_ = "Functional model" + (name_.empty() ? std::string() : " '" + name_ + "'");
    bool trainable = r.boolean("trainable", true);
    const Config& layer_list = ConfigReader(config_, owner_).required("layers");
    if (!layer_list.is_array())
      throw ValueError(owner_ + ": `layers` must be a list, got " +
                       layer_list.dump().substr(0, 200));

    struct Pending {
      std::string layer;
      std::vector<Config> nodes;
      size_t next = 0;
    };
    std::vector<Pending> pending;
    for (size_t i = 0; i < layer_list.size(); ++i) {
      const Config& data = layer_list[i];
      std::string where = owner_ + ", layers[" + std::to_string(i) + "]";
      if (!data.is_object())
        throw ValueError(where + ": expected a layer envelope, got " + data.dump().substr(0, 200));
      std::shared_ptr<LayerImpl> layer;
      try {
        layer = layers::deserialize(data);
      } catch (const Error& e) {
        rethrow_with_context(e, where);
      }
      std::string lname = data.contains("name") && data["name"].is_string()
                              ? data["name"].get<std::string>()
                              : layer->name();
      if (layers_.count(lname))
        throw ValueError(where + ": the layer name '" + lname + "' occurs twice");
      layers_[lname] = layer;
      if (auto* input = dynamic_cast<layers::InputLayerImpl*>(layer.get()))
        outputs_[lname].push_back({input->output()});
      Pending p{lname, {}, 0};
      if (data.contains("inbound_nodes")) {
        const Config& nodes = data["inbound_nodes"];
        if (!nodes.is_array())
          throw ValueError(where + ": `inbound_nodes` must be a list, got " +
                           nodes.dump().substr(0, 200));
        for (const Config& n : nodes) p.nodes.push_back(n);
      }
      pending.push_back(std::move(p));
    }

    // Process nodes layer by layer, in the order of `layers`, until none is left.
    for (;;) {
      bool left = false, progressed = false;
      for (Pending& p : pending) {
        while (p.next < p.nodes.size()) {
          if (!try_call(p.layer, p.nodes[p.next])) break;
          ++p.next;
          progressed = true;
        }
        left = left || p.next < p.nodes.size();
      }
      if (!left) break;
      if (!progressed) {
        std::string names;
        for (const Pending& p : pending)
          if (p.next < p.nodes.size()) names += (names.empty() ? "" : ", ") + p.layer;
        throw ValueError(owner_ +
                         ": Invalid Functional model configuration. The graph of the Functional "
                         "model either has loops or disconnected nodes. The following nodes "
                         "failed to be resolved: " +
                         names);
      }
    }

    bool single_in = false, single_out = false;
    std::vector<Tensor> inputs = map_tensors(ConfigReader(config_, owner_).required("input_layers"),
                                             "input_layers", single_in);
    std::vector<Tensor> outputs = map_tensors(
        ConfigReader(config_, owner_).required("output_layers"), "output_layers", single_out);
    auto model = std::make_shared<ModelImpl>(inputs, outputs, ModelOptions{.name = name_});
    model->set_io_structure(single_in, single_out);
    if (!trainable) model->set_trainable(false);
    return model;
  }

 private:
  // The tensor [layer, node, tensor]; nullopt if that call has not been made yet.
  std::optional<Tensor> lookup(const Config& history, const std::string& where) {
    if (!history.is_array() || history.size() < 3 || !history[0].is_string() ||
        !history[1].is_number_integer() || !history[2].is_number_integer())
      throw ValueError(where + ": expected [layer_name, node_index, tensor_index], got " +
                       history.dump());
    std::string lname = history[0].get<std::string>();
    auto layer = layers_.find(lname);
    if (layer == layers_.end())
      throw ValueError(where + ": unknown layer '" + lname + "' (not in `layers`)");
    int64_t node, index;
    try {
      node = config_int(history[1], "node_index");
      index = config_int(history[2], "tensor_index");
    } catch (const ConfigIntError& e) {
      throw ValueError(where + ": " + e.detail());
    }
    const auto& calls = outputs_[lname];
    if (node < 0 || index < 0) throw ValueError(where + ": negative index in " + history.dump());
    if (static_cast<size_t>(node) >= calls.size()) return std::nullopt;
    if (static_cast<size_t>(index) >= calls[node].size())
      throw ValueError(where + ": layer '" + lname + "' call " + std::to_string(node) + " has " +
                       std::to_string(calls[node].size()) + " outputs, tensor index " +
                       std::to_string(index) + " requested");
    return calls[node][index];
  }

  static bool is_keras_tensor(const Config& v) {
    return v.is_object() && v.value("class_name", Config()) == "__keras_tensor__";
  }

  // Collects the tensors of args in order; false if one does not exist yet.
  bool collect(const Config& v, std::vector<Tensor>& out, const std::string& where) {
    if (is_keras_tensor(v)) {
      const Config& cfg = v.contains("config") ? v["config"] : Config();
      if (!cfg.is_object() || !cfg.contains("keras_history"))
        throw ValueError(where + ": a __keras_tensor__ without keras_history");
      std::optional<Tensor> t = lookup(cfg["keras_history"], where);
      if (!t) return false;
      out.push_back(*t);
      return true;
    }
    if (v.is_array()) {
      for (const Config& e : v)
        if (!collect(e, out, where)) return false;
      return true;
    }
    throw ValueError(where +
                     ": keras-cpp can only replay calls whose positional arguments are "
                     "tensors (or lists of tensors), got " +
                     v.dump().substr(0, 200));
  }

  bool try_call(const std::string& lname, const Config& node) {
    std::shared_ptr<LayerImpl> layer = layers_[lname];
    std::string where =
        owner_ + ", layer '" + lname + "', inbound node " + std::to_string(outputs_[lname].size());
    std::vector<Tensor> inputs;
    CallArgs call_args;
    std::optional<layers::AttentionCallLayout> layout;
    if (attention_layout(*layer)) layout = layers::AttentionCallLayout{};
    if (node.is_array()) {  // Keras 2: [[layer, node, tensor, {kwargs}], ...]
      for (const Config& e : node) {
        if (!e.is_array() || e.size() < 3)
          throw ValueError(where + ": cannot deserialize the node " + node.dump().substr(0, 200));
        std::optional<Tensor> t = lookup(Config::array({e[0], e[1], e[2]}), where);
        if (!t) return false;
        inputs.push_back(*t);
      }
    } else if (node.is_object()) {
      const Config& args = node.contains("args") ? node["args"] : Config::array();
      if (!collect(args, inputs, where + ", args")) return false;
      if (layout) {
        if (inputs.size() < 2 || inputs.size() > 3)
          throw ValueError(where + ": expected query, value[, key] tensors, got " +
                           std::to_string(inputs.size()));
        layout->has_key = inputs.size() == 3;
        const Config& kw = node.contains("kwargs") && node["kwargs"].is_object() ? node["kwargs"]
                                                                                 : Config::object();
        if (kw.contains("key") && !kw["key"].is_null()) {
          if (layout->has_key) throw ValueError(where + ": `key` given twice");
          if (!collect(kw["key"], inputs, where + ", kwargs.key")) return false;
          layout->has_key = true;
        }
        if (kw.contains("attention_mask") && !kw["attention_mask"].is_null()) {
          if (!collect(kw["attention_mask"], inputs, where + ", kwargs.attention_mask"))
            return false;
          layout->has_attention_mask = true;
        }
        auto flag = [&](const char* key) {
          if (!kw.contains(key) || kw[key].is_null()) return false;
          if (!kw[key].is_boolean())
            throw ValueError(where + ": `" + key + "` must be a boolean, got " + kw[key].dump());
          return kw[key].get<bool>();
        };
        layout->return_attention_scores = flag("return_attention_scores");
        layout->use_causal_mask = flag("use_causal_mask");
      }
      if (node.contains("kwargs") && !node["kwargs"].is_null()) {
        const Config& kwargs = node["kwargs"];
        if (!kwargs.is_object())
          throw ValueError(where + ": `kwargs` must be a dict, got " + kwargs.dump());
        for (auto it = kwargs.begin(); it != kwargs.end(); ++it) {
          const std::string& key = it.key();
          const Config& value = it.value();
          if (key == "training") {
            // Not replayed: when a Functional model runs, the training flag of the model's call
            // overrides the recorded one (Keras's Functional.call operation_fn), and keras-cpp
            // always passes one. get_config writes it again from the layer's call signature.
            if (!value.is_null() && !value.is_boolean())
              throw ValueError(where + ": `training` must be a boolean, got " + value.dump());
          } else if (key == "mask") {
            if (value.is_null()) continue;
            std::vector<Tensor> masks;
            bool all_null =
                value.is_array() && std::all_of(value.begin(), value.end(),
                                                [](const Config& m) { return m.is_null(); });
            if (all_null) continue;
            if (!collect(value, masks, where + ", kwargs.mask")) return false;
            if (masks.size() == 1)
              call_args.mask = masks[0];
            else
              call_args.masks = masks;
          } else if (layout && (key == "key" || key == "attention_mask" ||
                                key == "return_attention_scores" || key == "use_causal_mask" ||
                                key == "query_mask" || key == "value_mask" || key == "key_mask")) {
            // Read above (the *_mask keys default to the inputs' masks, as in Keras).
          } else if (!value.is_null() && !(value.is_boolean() && !value.get<bool>())) {
            throw ValueError(where + ": keras-cpp cannot replay the call keyword argument `" + key +
                             "` = " + value.dump().substr(0, 100) + " of a " + layer->class_name() +
                             " layer");
          }
        }
      }
    } else {
      throw ValueError(where + ": expected an inbound node dict, got " +
                       node.dump().substr(0, 200));
    }
    if (inputs.empty()) throw ValueError(where + ": the call has no tensor arguments");
    std::vector<Tensor> outs;
    try {
      if (layout) set_attention_layout(*layer, *layout);
      outs = layer->invoke(inputs, call_args);
    } catch (const Error& e) {
      rethrow_with_context(e, where);
    }
    outputs_[lname].push_back(outs);
    return true;
  }

  std::vector<Tensor> map_tensors(const Config& v, const std::string& key, bool& single) {
    std::string where = owner_ + ", " + key;
    auto leaf = [&](const Config& h) {
      std::optional<Tensor> t = lookup(h, where);
      if (!t) throw ValueError(where + ": the tensor " + h.dump() + " was never computed");
      return *t;
    };
    std::vector<Tensor> out;
    single = false;
    if (v.is_array() && v.size() == 3 && v[0].is_string()) {
      single = true;
      out.push_back(leaf(v));
    } else if (v.is_array()) {
      for (const Config& e : v) {
        if (e.is_array() && e.size() == 3 && e[0].is_string())
          out.push_back(leaf(e));
        else
          throw ValueError(where + ": nested input/output structures are not supported, got " +
                           e.dump().substr(0, 200));
      }
    } else if (v.is_object()) {  // a dict of tensors: keras-cpp models take them in key order
      for (auto it = v.begin(); it != v.end(); ++it) out.push_back(leaf(it.value()));
    } else {
      throw ValueError(where + ": expected [layer, node, tensor] triples, got " + v.dump());
    }
    if (out.empty()) throw ValueError(where + " is empty");
    return out;
  }

  const Config& config_;
  std::string name_;
  std::string owner_;
  std::map<std::string, std::shared_ptr<LayerImpl>> layers_;
  std::map<std::string, std::vector<std::vector<Tensor>>> outputs_;  // per layer, per call
};

bool functional_like(const Config& c) {
  return c.is_object() && c.contains("layers") && c.contains("input_layers") &&
         c.contains("output_layers");
}

std::shared_ptr<LayerImpl> functional_from_config(const Config& c) {
  return FunctionalBuilder(c).build();
}

std::shared_ptr<LayerImpl> model_from_config(const Config& c) {
  if (functional_like(c)) return functional_from_config(c);
  throw ValueError(
      "Model.from_config: the config is not a Functional config (no layers / input_layers / "
      "output_layers). A subclassed model must be registered with KERAS_REGISTER_SERIALIZABLE "
      "(or passed in LoadOptions::custom_objects) and implement from_config.");
}

KERAS_REGISTER_LAYER(Functional, functional_from_config);
KERAS_REGISTER_LAYER(Model, model_from_config);

}  // namespace
}  // namespace saving
}  // namespace keras
