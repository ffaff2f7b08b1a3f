#include "keras/layers/registration.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "serialization/config_ints.hpp"
#include "serialization/config_reader.hpp"
#include "serialization/load_scope.hpp"

namespace keras::layers {
namespace {

std::mutex& registered_mutex() {
  static std::mutex* m = new std::mutex();
  return *m;
}
std::map<std::type_index, RegisteredClass>& registered_classes() {
  static auto* m = new std::map<std::type_index, RegisteredClass>();
  return *m;
}

std::string known_layer_classes() {
  std::string known;
  for (const std::string& n : LayerRegistry::instance().names())
    known += (known.empty() ? "" : ", ") + n;
  return known;
}

// The factory for an envelope: custom_objects of the current load (by registered name, then
// class name), then the registry (registered name, then class name), as Keras's
// _retrieve_class_or_fn does.
LayerRegistry::Factory find_factory(const std::string& class_name,
                                    const std::string& registered_name, const std::string& module) {
  if (const saving::LoadScope* scope = saving::current_load_scope()) {
    const auto& custom = scope->options().custom_objects;
    for (const std::string& key : {registered_name, class_name}) {
      if (key.empty()) continue;
      auto it = custom.find(key);
      if (it != custom.end()) return it->second;
    }
  }
  LayerRegistry& registry = LayerRegistry::instance();
  for (const std::string& key : {registered_name, class_name})
    if (!key.empty() && registry.contains(key))
      return [key](const Config& c) { return LayerRegistry::instance().create(key, c, "layer"); };
  std::string custom_names;
  if (const saving::LoadScope* scope = saving::current_load_scope())
    for (const auto& [k, v] : scope->options().custom_objects)
      custom_names += (custom_names.empty() ? "" : ", ") + k;
  throw ValueError("Could not locate class '" + class_name + "'" +
                   (registered_name.empty() || registered_name == class_name
                        ? ""
                        : " (registered name '" + registered_name + "')") +
                   (module.empty() ? "" : " from module '" + module + "'") +
                   ": it is not a keras-cpp layer class and not registered. Registered layer "
                   "classes: " +
                   known_layer_classes() +
                   (custom_names.empty() ? "" : ". custom_objects: " + custom_names) +
                   ". Register a custom class with KERAS_REGISTER_SERIALIZABLE or pass it in "
                   "LoadOptions::custom_objects.");
}

Shape shape_from_json(const Config& j, const std::string& where) {
  if (!j.is_array()) throw ValueError(where + ": expected a shape (a list), got " + j.dump());
  Shape s;
  for (const Config& d : j) {
    if (d.is_null())
      s.push_back(Shape::kNone);
    else if (d.is_number())
      try {
        s.push_back(saving::config_int(d, "shape entry"));
      } catch (const saving::ConfigIntError& e) {
        throw ValueError(where + ": " + e.detail());
      }
    else
      throw ValueError(where + ": shape entries must be integers or null, got " + j.dump());
  }
  return s;
}

bool is_shape_list(const Config& j) {
  return j.is_array() && !j.empty() &&
         std::all_of(j.begin(), j.end(),
                     [](const Config& e) { return e.is_array() || e.is_null(); }) &&
         j[0].is_array();
}

// Names of build()'s parameters for layers whose Keras build takes several (written as
// build_config {"shapes_dict": {...}}).
const std::vector<std::string>* build_parameter_names(const std::string& class_name) {
  static const std::map<std::string, std::vector<std::string>> names = {
      {"MultiHeadAttention", {"query_shape", "value_shape", "key_shape"}},
      {"GroupQueryAttention", {"query_shape", "value_shape", "key_shape"}},
  };
  auto it = names.find(class_name);
  return it == names.end() ? nullptr : &it->second;
}

// Keras layer classes built in their constructor (`self._build_at_init()` or `built = True` in
// __init__, Keras 3.15): they never record build shapes, so their envelopes have no
// build_config.
bool keras_class_without_build(const std::string& class_name) {
  static const std::set<std::string> names = {"Activation",
                                              "ActivityRegularization",
                                              "AlphaDropout",
                                              "AveragePooling1D",
                                              "AveragePooling2D",
                                              "AveragePooling3D",
                                              "Dropout",
                                              "ELU",
                                              "GaussianDropout",
                                              "GaussianNoise",
                                              "GlobalAveragePooling1D",
                                              "GlobalAveragePooling2D",
                                              "GlobalAveragePooling3D",
                                              "GlobalMaxPooling1D",
                                              "GlobalMaxPooling2D",
                                              "GlobalMaxPooling3D",
                                              "Identity",
                                              "InputLayer",
                                              "LeakyReLU",
                                              "Masking",
                                              "MaxPooling1D",
                                              "MaxPooling2D",
                                              "MaxPooling3D",
                                              "ReLU",
                                              "Reshape",
                                              "Softmax",
                                              "SpatialDropout1D",
                                              "SpatialDropout2D",
                                              "SpatialDropout3D",
                                              "UnitNormalization"};
  return names.count(class_name) > 0;
}

}  // namespace

void add_registered_class(std::type_index type, RegisteredClass info) {
  std::lock_guard lock(registered_mutex());
  registered_classes()[type] = std::move(info);
}

const RegisteredClass* find_registered_class(const LayerImpl& layer) {
  std::lock_guard lock(registered_mutex());
  auto it = registered_classes().find(std::type_index(typeid(layer)));
  return it == registered_classes().end() ? nullptr : &it->second;
}

std::shared_ptr<LayerImpl> deserialize(const Config& envelope) {
  if (envelope.is_string()) return LayerRegistry::instance().deserialize(envelope, "layer");
  if (!envelope.is_object() || !envelope.contains("class_name") ||
      !envelope["class_name"].is_string())
    throw ValueError(
        "Could not deserialize a layer: expected an object with a string "
        "`class_name` and a `config`, got " +
        envelope.dump().substr(0, 300));
  std::string class_name = envelope["class_name"].get<std::string>();
  std::string module = envelope.contains("module") && envelope["module"].is_string()
                           ? envelope["module"].get<std::string>()
                           : "";
  std::string registered =
      envelope.contains("registered_name") && envelope["registered_name"].is_string()
          ? envelope["registered_name"].get<std::string>()
          : "";
  Config config = envelope.contains("config") ? envelope["config"] : Config::object();
  if (!config.is_object())
    throw ValueError("Could not deserialize layer class '" + class_name +
                     "': `config` must be a dict, got " + config.dump().substr(0, 300));

  saving::LoadScope* scope = saving::current_load_scope();
  std::string shared_id;
  if (envelope.contains("shared_object_id") && !envelope["shared_object_id"].is_null()) {
    shared_id = envelope["shared_object_id"].dump();
    if (scope) {
      auto it = scope->shared_layers.find(shared_id);
      if (it != scope->shared_layers.end()) return it->second;
    }
  }

  std::string where = class_name + (config.contains("name") && config["name"].is_string()
                                        ? " '" + config["name"].get<std::string>() + "'"
                                        : std::string());
  // Models are checked layer by layer as their layers are deserialized.
  if (class_name != "Sequential" && class_name != "Functional" && class_name != "Model")
    saving::refuse_python_lambdas(config, where, class_name == "Lambda");

  LayerRegistry::Factory factory = find_factory(class_name, registered, module);
  std::shared_ptr<LayerImpl> layer;
  try {
    layer = factory(config);
  } catch (const saving::ConfigIntError& e) {
    // An integer argument that is not an exact int64 (the readers do not know the layer).
    throw ValueError(where + ": " + e.detail());
  } catch (const nlohmann::json::exception& e) {
    // A from_config that read a key with the wrong JSON type.
    throw TypeError(where + ": the config has a value of the wrong type (" + e.what() +
                    "); config: " + config.dump().substr(0, 600));
  }
  if (!layer) throw ValueError("from_config of layer class '" + class_name + "' returned nothing");
  layer->ensure_named();
  if (envelope.contains("build_config")) layer->build_from_config(envelope["build_config"]);
  // Only models have a compile_config (ModelImpl overrides compile_from_config).
  if (envelope.contains("compile_config") && (!scope || scope->options().compile))
    layer->compile_from_config(envelope["compile_config"]);
  if (scope && !shared_id.empty()) scope->shared_layers[shared_id] = layer;
  return layer;
}

Config serialize(const LayerImpl& layer) {
  std::string module = layer.module();
  std::string class_name = layer.class_name();
  std::string registered = layer.registered_name();
  if (const RegisteredClass* rc = find_registered_class(layer)) {
    module = rc->package;
    class_name = rc->name;
    registered = rc->registered_name();
  }
  Config out = saving::make_envelope(module, class_name, layer.get_config(), registered);
  if (Config build = layer.get_build_config(); !build.is_null()) out["build_config"] = build;
  if (Config compile = layer.get_compile_config(); !compile.is_null())
    out["compile_config"] = compile;
  return out;
}

}  // namespace keras::layers

namespace keras {

Config LayerImpl::get_build_config() const {
  if (!built() || build_shapes().empty()) return nullptr;
  const layers::RegisteredClass* rc = layers::find_registered_class(*this);
  std::string class_name = rc ? rc->name : this->class_name();
  std::string registered = rc ? rc->registered_name() : registered_name();
  if (registered.empty() && layers::keras_class_without_build(class_name)) return nullptr;
  const std::vector<Shape>& shapes = build_shapes();
  Config build = Config::object();
  if (const auto* names = layers::build_parameter_names(class_name); names && shapes.size() > 1) {
    Config dict = Config::object();
    for (size_t i = 0; i < shapes.size() && i < names->size(); ++i)
      dict[(*names)[i]] = saving::shape_json(shapes[i]);
    build["shapes_dict"] = dict;
  } else if (shapes.size() == 1) {
    build["input_shape"] = saving::shape_json(shapes[0]);
  } else {
    Config list = Config::array();
    for (const Shape& s : shapes) list.push_back(saving::shape_json(s));
    build["input_shape"] = list;
  }
  return build;
}

// Keras's build_from_config: {"input_shape": shape | [shapes] | null} or {"shapes_dict": {...}}.
void LayerImpl::build_from_config(const Config& build_config) {
  if (build_config.is_null() || (build_config.is_object() && build_config.empty())) return;
  std::string where = class_name() + " '" + name() + "': build_config";
  if (!build_config.is_object())
    throw ValueError(where + " must be a dict, got " + build_config.dump());
  std::vector<Shape> shapes;
  if (build_config.contains("input_shape")) {
    const Config& s = build_config["input_shape"];
    if (s.is_null()) return;  // Functional models: built by their constructor
    if (layers::is_shape_list(s)) {
      for (const Config& e : s)
        shapes.push_back(layers::shape_from_json(e, where + ".input_shape"));
    } else {
      shapes.push_back(layers::shape_from_json(s, where + ".input_shape"));
    }
  } else if (build_config.contains("shapes_dict")) {
    const Config& d = build_config["shapes_dict"];
    if (!d.is_object()) throw ValueError(where + ".shapes_dict must be a dict, got " + d.dump());
    for (auto it = d.begin(); it != d.end(); ++it)
      shapes.push_back(layers::shape_from_json(it.value(), where + ".shapes_dict." + it.key()));
  } else {
    return;
  }
  if (built()) return;  // also every Functional model (built by its constructor)
  maybe_build(shapes);
}

}  // namespace keras
