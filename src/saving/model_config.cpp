// Model envelopes for config.json: Sequential from_config and the top-level serialize_model /
// deserialize_model (keras/src/models/sequential.py, saving/serialization_lib.py). A model's
// build_config and compile_config are its own (src/models/model_config.cpp); the load scope is
// the serialization tier's (src/serialization/load_scope.cpp).
#include "serialization/config_reader.hpp"

#include "keras/core/limits.hpp"
#include "keras/layers/core/input_layer.hpp"
#include "keras/layers/registration.hpp"
#include "keras/models/sequential.hpp"
#include "keras/saving/saving.hpp"
#include "serialization/activation_budget.hpp"
#include "serialization/config_ints.hpp"
#include "serialization/load_scope.hpp"
#include "utils/json_depth.hpp"

namespace keras::saving {
namespace {

// Throws ValueError if `config` nests more than kMaxConfigDepth arrays / objects. Iterative, as
// the point is not to recurse.
constexpr size_t kMaxConfigDepth = utils::kMaxJsonDepth;
void check_config_depth(const Config& config) {
  std::vector<std::pair<const Config*, size_t>> stack{{&config, 1}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    if (depth > kMaxConfigDepth)
      throw ValueError("The model config nests arrays and objects more than " +
                       std::to_string(kMaxConfigDepth) +
                       " levels deep, which no Keras model config does (Python's json module "
                       "refuses it too)");
    for (const Config& e : *v) stack.emplace_back(&e, depth + 1);
  }
}

// ---- Sequential ----

std::shared_ptr<LayerImpl> sequential_from_config(const Config& c) {
  ConfigReader r(c, "Sequential");
  SequentialOptions options;
  options.name = r.string("name", "");
  options.trainable = r.boolean("trainable", true);
  const Config& layer_list = r.required("layers");
  if (!layer_list.is_array())
    throw ValueError("Sequential.from_config: `layers` must be a list, got " +
                     layer_list.dump().substr(0, 200));
  auto model = std::make_shared<SequentialImpl>(std::vector<SequentialItem>{}, options);
  model->ensure_named();
  for (size_t i = 0; i < layer_list.size(); ++i) {
    std::shared_ptr<LayerImpl> layer;
    try {
      layer = layers::deserialize(layer_list[i]);
    } catch (const Error& e) {
      rethrow_with_context(e,
                           "Sequential '" + options.name + "', layers[" + std::to_string(i) + "]");
    }
    model->add(SequentialItem(Layer(layer)));
  }
  if (c.contains("build_input_shape") && !c["build_input_shape"].is_null() &&
      !model->input_layer() && !model->built()) {
    Shape s;
    try {
      for (const Config& d : c["build_input_shape"])
        s.push_back(config_dim(d, "build_input_shape", Shape::kNone));
    } catch (const ConfigIntError& e) {
      throw ValueError("Sequential '" + options.name + "': " + e.detail());
    }
    model->maybe_build({s});
  }
  if (!options.trainable) model->set_trainable(false);
  return model;
}

KERAS_REGISTER_LAYER(Sequential, sequential_from_config);

}  // namespace

// ---- compile_config (ModelImpl's, src/models/model_config.cpp) ----

Config compile_config(const ModelImpl& model) { return model.get_compile_config(); }

void compile_from_config(ModelImpl& model, const Config& config) {
  model.compile_from_config(config);
}

// ---- top level ----

Config serialize_model(const ModelImpl& model) { return layers::serialize(model); }

Model deserialize_model(const Config& envelope, const LoadOptions& options) {
  // Copying, dumping and walking a Config recurse, so a crafted config nested thousands of levels
  // deep would overflow the stack: refuse it first (Python's json.loads stops near 1000 levels;
  // real configs nest a few dozen).
  check_config_depth(envelope);
  LoadScope scope(options);
  // Layer outputs are shape-inferred as the graph is rebuilt: none may exceed the activation
  // limit at batch size 1 (activation_budget.hpp).
  ActivationBudget activations(config::max_activation_bytes(),
                               "at batch size 1 (load_model; unknown dimensions counted as 1)");
  Config e = envelope;
  if (!options.compile && e.is_object() && e.contains("compile_config"))
    e["compile_config"] = nullptr;
  std::shared_ptr<LayerImpl> layer = layers::deserialize(e);
  auto model = std::dynamic_pointer_cast<ModelImpl>(layer);
  if (!model)
    throw ValueError("config.json describes a " + layer->class_name() + " layer ('" +
                     layer->name() + "'), not a model");
  // The trainers check its activations again for the real batch size.
  mark_loaded(model);
  return Model(model);
}

}  // namespace keras::saving
