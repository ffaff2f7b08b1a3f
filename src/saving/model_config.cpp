// Model envelopes for config.json: Sequential from_config, build_config, compile_config and its
// inverse, the load scope (safe_mode, custom_objects, shared objects) and the top-level
// serialize_model / deserialize_model (keras/src/models/sequential.py, trainers/trainer.py,
// saving/serialization_lib.py).
#include "serialization/config_reader.hpp"

#include "keras/core/limits.hpp"
#include "keras/layers/core/input_layer.hpp"
#include "keras/layers/registration.hpp"
#include "keras/losses/serialization.hpp"
#include "keras/metrics/serialization.hpp"
#include "keras/models/sequential.hpp"
#include "keras/optimizers/optimizers.hpp"
#include "keras/saving/saving.hpp"
#include "serialization/activation_budget.hpp"
#include "serialization/config_ints.hpp"
#include "serialization/load_scope.hpp"
#include "utils/json_depth.hpp"

namespace keras::saving {
namespace {

thread_local LoadScope* current_scope = nullptr;

Config shape_json(const Shape& s) {
  Config j = Config::array();
  for (int64_t d : s) j.push_back(d < 0 ? Config(nullptr) : Config(d));
  return j;
}

bool is_lambda_envelope(const Config& v) {
  return v.is_object() && v.contains("class_name") && v["class_name"].is_string() &&
         v["class_name"].get<std::string>() == "__lambda__";
}

bool contains_python_lambda(const Config& v) {
  if (is_lambda_envelope(v)) return true;
  if (v.is_object() || v.is_array())
    for (const Config& e : v)
      if (contains_python_lambda(e)) return true;
  return false;
}

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

// ---- compile_config ----

Config loss_json(const LossRef& ref) {
  if (!ref) return nullptr;
  if (!ref.identifier().empty()) return ref.identifier();
  return losses::serialize(*ref);
}

Config metric_json(const MetricRef& ref) {
  if (!ref.identifier().empty()) return ref.identifier();
  return metrics::serialize(*ref);
}

// A loss in a compile_config: a name, a Loss envelope, or Keras's envelope of a plain function
// ({"module": "builtins", "class_name": "function", "config": "mse", ...}).
LossRef loss_from_json(const Config& v, const std::string& where) {
  if (v.is_null()) return LossRef();
  if (v.is_string()) return LossRef(v.get<std::string>());
  if (v.is_object() && v.contains("class_name") && v["class_name"] == "function" &&
      v.contains("config") && v["config"].is_string())
    return LossRef(v["config"].get<std::string>());
  if (v.is_object() && v.contains("class_name")) return LossRef(losses::deserialize(v));
  throw ValueError("compile_config." + where + ": expected a loss name or envelope, got " +
                   v.dump().substr(0, 200));
}

MetricRef metric_from_json(const Config& v, const std::string& where) {
  if (v.is_string()) return MetricRef(v.get<std::string>());
  if (v.is_object() && v.contains("class_name") && v["class_name"] == "function" &&
      v.contains("config") && v["config"].is_string())
    return MetricRef(v["config"].get<std::string>());
  if (v.is_object() && v.contains("class_name")) return MetricRef(metrics::deserialize(v));
  throw ValueError("compile_config." + where + ": expected a metric name or envelope, got " +
                   v.dump().substr(0, 200));
}

std::vector<MetricRef> metrics_from_json(const Config& v, const std::string& key) {
  std::vector<MetricRef> out;
  if (v.is_null()) return out;
  if (!v.is_array())
    throw ValueError("compile_config." + key +
                     ": keras-cpp supports a list of metrics shared by every output, got " +
                     v.dump().substr(0, 200));
  // The same list for every output (what keras-cpp writes for a multi-output model): one copy.
  bool same_per_output = v.size() > 1 && v[0].is_array();
  for (size_t i = 1; same_per_output && i < v.size(); ++i) same_per_output = v[i] == v[0];
  if (same_per_output) return metrics_from_json(v[0], key + "[0]");
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].is_null()) continue;
    if (v[i].is_array()) {  // per-output lists (Keras's [[...], [...]]): flattened
      for (const Config& m : v[i])
        out.push_back(metric_from_json(m, key + "[" + std::to_string(i) + "]"));
    } else {
      out.push_back(metric_from_json(v[i], key + "[" + std::to_string(i) + "]"));
    }
  }
  return out;
}

}  // namespace

// ---- ConfigReader ----

ConfigReader::ConfigReader(const Config& config, std::string owner)
    : config_(config), owner_(std::move(owner)) {
  if (!config_.is_object())
    throw ValueError(owner_ + ": the config must be a dict, got " + config_.dump().substr(0, 200));
}

const Config& ConfigReader::required(const char* key) const {
  if (!config_.contains(key)) throw ValueError(owner_ + ": the config has no `" + key + "` key");
  return config_[key];
}

std::string ConfigReader::string(const char* key, const std::string& def) const {
  if (!config_.contains(key) || config_[key].is_null()) return def;
  if (!config_[key].is_string())
    throw ValueError(owner_ + ": `" + key + "` must be a string, got " + config_[key].dump());
  return config_[key].get<std::string>();
}

bool ConfigReader::boolean(const char* key, bool def) const {
  if (!config_.contains(key) || config_[key].is_null()) return def;
  if (!config_[key].is_boolean())
    throw ValueError(owner_ + ": `" + key + "` must be a boolean, got " + config_[key].dump());
  return config_[key].get<bool>();
}

int64_t ConfigReader::integer(const char* key, int64_t def) const {
  if (!config_.contains(key) || config_[key].is_null()) return def;
  try {
    return config_int(config_[key], key);
  } catch (const ConfigIntError& e) {
    throw ValueError(owner_ + ": " + e.detail());
  }
}

[[noreturn]] void rethrow_with_context(const Error& e, const std::string& context) {
  std::string msg = context + ": " + e.what();
  if (dynamic_cast<const TypeError*>(&e)) throw TypeError(msg);
  if (dynamic_cast<const NotImplementedError*>(&e)) throw NotImplementedError(msg);
  throw ValueError(msg);
}

// ---- load scope ----

LoadScope::LoadScope(const LoadOptions& options) : options_(options), previous_(current_scope) {
  current_scope = this;
}
LoadScope::~LoadScope() { current_scope = previous_; }

LoadScope* current_load_scope() { return current_scope; }
bool in_safe_mode() { return !current_scope || current_scope->options().safe_mode; }

void refuse_python_lambdas(const Config& value, const std::string& where, bool lambda_layer) {
  if (!contains_python_lambda(value)) return;
  if (in_safe_mode()) {
    if (lambda_layer)
      throw ValueError(
          where +
          ": Requested the deserialization of a `Lambda` layer whose `function` is a Python "
          "lambda. This carries a potential risk of arbitrary code execution and thus it is "
          "disallowed by default. If you trust the source of the artifact, you can override "
          "this error by passing `safe_mode=False` to the loading function, or calling "
          "`keras.config.enable_unsafe_deserialization().");
    throw ValueError(where +
                     ": Requested the deserialization of a Python lambda. This carries a "
                     "potential risk of arbitrary code execution and thus it is disallowed by "
                     "default. If you trust the source of the artifact, you can override this "
                     "error by passing `safe_mode=False` to the loading function, or calling "
                     "`keras.config.enable_unsafe_deserialization().");
  }
  throw ValueError(where +
                   ": the config holds a Python lambda (marshalled Python bytecode), which "
                   "keras-cpp cannot run even with safe_mode=false. Register a C++ function "
                   "under a name (layers::register_lambda_function) and save the model with "
                   "that name instead.");
}

// ---- build_config / compile_config ----

Config model_build_config(const ModelImpl& model) {
  if (model.is_functional()) return Config{{"input_shape", nullptr}};
  if (const auto* seq = dynamic_cast<const SequentialImpl*>(&model)) {
    if (seq->input_layer())
      return Config{{"input_shape", shape_json(seq->input_layer()->batch_shape())}};
  }
  if (!model.built() || model.build_shapes().empty()) return nullptr;
  const std::vector<Shape>& shapes = model.build_shapes();
  if (shapes.size() == 1) return Config{{"input_shape", shape_json(shapes[0])}};
  Config list = Config::array();
  for (const Shape& s : shapes) list.push_back(shape_json(s));
  return Config{{"input_shape", list}};
}

Config compile_config(const ModelImpl& model) {
  if (!model.compiled()) return Config::object();
  const CompileOptions& o = model.compile_options();
  Config c = Config::object();
  c["optimizer"] = model.optimizer() ? optimizers::serialize(*model.optimizer()) : Config(nullptr);
  if (o.loss.empty()) {
    c["loss"] = nullptr;
  } else if (!o.loss.per_output().empty()) {
    Config d = Config::object();
    for (const auto& [name, ref] : o.loss.per_output()) d[name] = loss_json(ref);
    c["loss"] = d;
  } else {
    c["loss"] = loss_json(o.loss.single());
  }
  if (o.loss_weights.empty()) {
    c["loss_weights"] = nullptr;
  } else {
    Config d = Config::object();
    for (const auto& [name, w] : o.loss_weights) d[name] = w;
    c["loss_weights"] = d;
  }
  // keras-cpp applies a metrics list to every output; Keras 3 reads a list given to a model with
  // several outputs as one entry per output, so such a model's list is written once per output.
  const size_t outputs = model.is_functional() ? model.outputs().size() : 1;
  auto metric_list = [outputs](const std::vector<MetricRef>& ms) {
    if (ms.empty()) return Config(nullptr);
    Config l = Config::array();
    for (const MetricRef& m : ms) l.push_back(metric_json(m));
    if (outputs <= 1) return l;
    Config per_output = Config::array();
    for (size_t i = 0; i < outputs; ++i) per_output.push_back(l);
    return per_output;
  };
  c["metrics"] = metric_list(o.metrics);
  c["weighted_metrics"] = metric_list(o.weighted_metrics);
  c["run_eagerly"] = o.run_eagerly;
  c["steps_per_execution"] = o.steps_per_execution;
  c["jit_compile"] = o.jit_compile;
  return c;
}

void compile_from_config(ModelImpl& model, const Config& config) {
  if (config.is_null() || (config.is_object() && config.empty())) return;
  std::string owner = "compile_config of model '" + model.name() + "'";
  ConfigReader r(config, owner);
  CompileOptions o;
  try {
    if (config.contains("optimizer") && !config["optimizer"].is_null()) {
      const Config& opt = config["optimizer"];
      if (opt.is_string())
        o.optimizer = OptimizerRef(opt.get<std::string>());
      else
        o.optimizer = OptimizerRef(optimizers::deserialize(opt));
    }
    if (config.contains("loss")) {
      const Config& loss = config["loss"];
      if (loss.is_object() && !loss.contains("class_name")) {
        std::map<std::string, LossRef> per_output;
        for (auto it = loss.begin(); it != loss.end(); ++it)
          per_output[it.key()] = loss_from_json(it.value(), "loss." + it.key());
        o.loss = LossSpec(per_output);
      } else if (loss.is_array()) {
        std::vector<std::string> names = model.output_names();
        if (names.size() != loss.size())
          throw ValueError("compile_config.loss: a list of " + std::to_string(loss.size()) +
                           " losses for a model with " + std::to_string(names.size()) + " outputs");
        std::map<std::string, LossRef> per_output;
        for (size_t i = 0; i < loss.size(); ++i)
          per_output[names[i]] = loss_from_json(loss[i], "loss[" + std::to_string(i) + "]");
        o.loss = LossSpec(per_output);
      } else if (!loss.is_null()) {
        o.loss = LossSpec(loss_from_json(loss, "loss"));
      }
    }
    if (config.contains("loss_weights") && !config["loss_weights"].is_null()) {
      const Config& w = config["loss_weights"];
      std::vector<std::string> names = model.output_names();
      if (w.is_object()) {
        for (auto it = w.begin(); it != w.end(); ++it) {
          if (!it.value().is_number())
            throw ValueError("compile_config.loss_weights." + it.key() + " must be a number");
          o.loss_weights[it.key()] = it.value().get<double>();
        }
      } else if (w.is_array() && w.size() == names.size()) {
        for (size_t i = 0; i < w.size(); ++i) o.loss_weights[names[i]] = w[i].get<double>();
      } else if (w.is_number() && names.size() == 1) {
        o.loss_weights[names[0]] = w.get<double>();
      } else {
        throw ValueError(
            "compile_config.loss_weights: expected a dict or a list with one "
            "weight per output, got " +
            w.dump());
      }
    }
    o.metrics = metrics_from_json(config.value("metrics", Config()), "metrics");
    o.weighted_metrics =
        metrics_from_json(config.value("weighted_metrics", Config()), "weighted_metrics");
    o.run_eagerly = r.boolean("run_eagerly", false);
    o.steps_per_execution = static_cast<int>(r.integer("steps_per_execution", 1));
    if (config.contains("jit_compile") && config["jit_compile"].is_boolean())
      o.jit_compile = config["jit_compile"].get<bool>();
  } catch (const Error& e) {
    rethrow_with_context(e, owner);
  }
  model.compile(std::move(o));
  // Keras builds the optimizer so that the stored optimizer variables can be loaded.
  if (model.built() && model.optimizer()) model.optimizer()->build(model.trainable_variables());
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
