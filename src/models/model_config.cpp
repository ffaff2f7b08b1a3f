// A model's build_config and compile_config (Keras's Model.get_build_config and
// Trainer.get_compile_config / compile_from_config, keras/src/trainers/trainer.py), which
// layers::serialize / deserialize reach through LayerImpl's virtual hooks.
#include "keras/losses/serialization.hpp"
#include "keras/metrics/serialization.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "keras/optimizers/optimizers.hpp"
#include "serialization/config_reader.hpp"

namespace keras {
namespace {

Config loss_json(const LossRef& ref) {
  if (!ref) return nullptr;
  if (!ref.identifier().empty()) return ref.identifier();
  return losses::serialize(*ref);
}

Config metric_json(const MetricRef& ref) {
  if (!ref.identifier().empty()) return ref.identifier();
  return metrics::serialize(*ref);
}

// A loss or metric in a compile_config: a name, an object envelope, or Keras's envelope of a plain
// function ({"module": "builtins", "class_name": "function", "config": "mse", ...}).
template <class Ref, class Deserialize>
Ref ref_from_json(const Config& v, const std::string& where, const char* what,
                  Deserialize deserialize) {
  if (v.is_string()) return Ref(v.get<std::string>());
  if (v.is_object() && v.contains("class_name") && v["class_name"] == "function" &&
      v.contains("config") && v["config"].is_string())
    return Ref(v["config"].get<std::string>());
  if (v.is_object() && v.contains("class_name")) return Ref(deserialize(v));
  throw ValueError("compile_config." + where + ": expected a " + what + " name or envelope, got " +
                   v.dump().substr(0, 200));
}

// A missing loss (null) is allowed; a null metric is not.
LossRef loss_from_json(const Config& v, const std::string& where) {
  if (v.is_null()) return LossRef();
  return ref_from_json<LossRef>(v, where, "loss",
                                [](const Config& c) { return losses::deserialize(c); });
}

MetricRef metric_from_json(const Config& v, const std::string& where) {
  return ref_from_json<MetricRef>(v, where, "metric",
                                  [](const Config& c) { return metrics::deserialize(c); });
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

Config ModelImpl::get_build_config() const {
  if (is_functional()) return Config{{"input_shape", nullptr}};
  if (const auto* seq = dynamic_cast<const SequentialImpl*>(this)) {
    if (seq->input_layer())
      return Config{{"input_shape", saving::shape_json(seq->input_layer()->batch_shape())}};
  }
  if (!built() || build_shapes().empty()) return nullptr;
  const std::vector<Shape>& shapes = build_shapes();
  if (shapes.size() == 1) return Config{{"input_shape", saving::shape_json(shapes[0])}};
  Config list = Config::array();
  for (const Shape& s : shapes) list.push_back(saving::shape_json(s));
  return Config{{"input_shape", list}};
}

Config ModelImpl::get_compile_config() const {
  if (!compiled()) return Config::object();
  const CompileOptions& o = compile_options();
  Config c = Config::object();
  c["optimizer"] = optimizer() ? optimizers::serialize(*optimizer()) : Config(nullptr);
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
  const size_t output_count = is_functional() ? outputs().size() : 1;
  auto metric_list = [output_count](const std::vector<MetricRef>& ms) {
    if (ms.empty()) return Config(nullptr);
    Config l = Config::array();
    for (const MetricRef& m : ms) l.push_back(metric_json(m));
    if (output_count <= 1) return l;
    Config per_output = Config::array();
    for (size_t i = 0; i < output_count; ++i) per_output.push_back(l);
    return per_output;
  };
  c["metrics"] = metric_list(o.metrics);
  c["weighted_metrics"] = metric_list(o.weighted_metrics);
  c["run_eagerly"] = o.run_eagerly;
  c["steps_per_execution"] = o.steps_per_execution;
  c["jit_compile"] = o.jit_compile.is_auto() ? Config("auto") : Config(o.jit_compile.is_on());
  return c;
}

void ModelImpl::compile_from_config(const Config& config) {
  if (config.is_null() || (config.is_object() && config.empty())) return;
  std::string owner = "compile_config of model '" + name() + "'";
  saving::ConfigReader r(config, owner);
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
        std::vector<std::string> names = output_names();
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
      std::vector<std::string> names = output_names();
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
      o.jit_compile = config["jit_compile"].get<bool>();  // else "auto", Keras's default
  } catch (const Error& e) {
    saving::rethrow_with_context(e, owner);
  }
  compile(std::move(o));
  // Keras builds the optimizer so that the stored optimizer variables can be loaded.
  if (built() && optimizer()) optimizer()->build(trainable_variables());
}

}  // namespace keras
