// keras::activations::Activation and keras.activations.get / serialize / deserialize
// (keras/src/activations/__init__.py): the built-in functions under their Python names, plus
// user functions registered by name.
#include <map>
#include <mutex>
#include <set>

#include "keras/activations/activations.hpp"

namespace keras::activations {

namespace {

struct Table {
  std::mutex mutex;
  // name -> (the name the function serializes as, the function)
  std::map<std::string, std::pair<std::string, ActivationFn>> functions;
  std::set<std::string> builtins;
};

Table& table() {
  static Table* t = [] {
    auto* t = new Table();  // never destroyed: activations may be used during static destruction
    auto add = [t](const std::string& name, ActivationFn fn, const std::string& canonical = "") {
      t->functions[name] = {canonical.empty() ? name : canonical, std::move(fn)};
      t->builtins.insert(name);
    };
    // Keras's ALL_OBJECTS, each called with its default arguments.
    add("relu", [](const Tensor& x) { return relu(x); });
    add("leaky_relu", [](const Tensor& x) { return leaky_relu(x); });
    add("relu6", relu6);
    add("softmax", [](const Tensor& x) { return softmax(x); });
    add("celu", [](const Tensor& x) { return celu(x); });
    add("elu", [](const Tensor& x) { return elu(x); });
    add("selu", selu);
    add("softplus", softplus);
    add("softsign", softsign);
    add("squareplus", [](const Tensor& x) { return squareplus(x); });
    add("soft_shrink", [](const Tensor& x) { return soft_shrink(x); });
    add("sparse_plus", sparse_plus);
    add("silu", silu);
    add("gelu", [](const Tensor& x) { return gelu(x); });
    add("glu", [](const Tensor& x) { return glu(x); });
    add("tanh", tanh);
    add("tanh_shrink", tanh_shrink);
    add("threshold", [](const Tensor&) -> Tensor {
      throw TypeError(
          "threshold() missing 2 required positional arguments: 'threshold' and "
          "'default_value'. Call activations::threshold(x, threshold, default_value), or wrap it: "
          "Activation(\"my_threshold\", [](const Tensor& x) { ... })");
    });
    add("sigmoid", sigmoid);
    add("sparse_sigmoid", sparse_sigmoid);
    add("exponential", exponential);
    add("hard_sigmoid", hard_sigmoid);
    add("hard_silu", hard_silu);
    add("hard_tanh", hard_tanh);
    add("hard_shrink", [](const Tensor& x) { return hard_shrink(x); });
    add("linear", linear);
    add("mish", mish);
    add("log_softmax", [](const Tensor& x) { return log_softmax(x); });
    add("log_sigmoid", log_sigmoid);
    add("sparsemax", [](const Tensor& x) { return sparsemax(x); });
    // Aliases: the same Python functions, so they serialize under the function's own name.
    add("swish", silu, "silu");
    add("hard_swish", hard_silu, "hard_silu");
    return t;
  }();
  return *t;
}

}  // namespace

Activation::Activation() : Activation(std::string("linear")) {}
// A null name is Python's None: linear.
Activation::Activation(const char* name) : Activation(std::string(name ? name : "linear")) {}
Activation::Activation(const std::string& name) : Activation(get(name)) {}
Activation::Activation(std::string name, ActivationFn fn)
    : name_(std::move(name)), fn_(std::move(fn)) {
  if (!fn_) throw ValueError("Activation '" + name_ + "': the function is empty");
}

Activation get(const std::string& identifier) {
  const std::string& name = identifier.empty() ? std::string("linear") : identifier;
  Table& t = table();
  std::lock_guard lock(t.mutex);
  auto it = t.functions.find(name);
  if (it == t.functions.end()) {
    std::string known;
    for (const auto& [k, v] : t.functions) known += (known.empty() ? "" : ", ") + k;
    throw ValueError("Could not interpret activation function identifier: '" + identifier +
                     "'. Known activations: " + known +
                     ". Register your own with activations::register_activation.");
  }
  return Activation(it->second.first, it->second.second);
}

void register_activation(const std::string& name, ActivationFn fn) {
  if (name.empty()) throw ValueError("activations::register_activation: the name is empty");
  if (!fn) throw ValueError("activations::register_activation('" + name + "'): empty function");
  Table& t = table();
  std::lock_guard lock(t.mutex);
  t.functions[name] = {name, std::move(fn)};
  t.builtins.erase(name);
}

std::vector<std::string> names() {
  Table& t = table();
  std::lock_guard lock(t.mutex);
  std::vector<std::string> out;
  for (const auto& [k, v] : t.functions) out.push_back(k);
  return out;
}

Config serialize(const Activation& activation) {
  Table& t = table();
  {
    std::lock_guard lock(t.mutex);
    if (t.builtins.count(activation.name())) return Config(activation.name());
  }
  Config c = Config::object();
  c["module"] = "__main__";
  c["class_name"] = "function";
  c["config"] = activation.name();
  c["registered_name"] = activation.name();
  return c;
}

Activation deserialize(const Config& config) {
  if (config.is_null()) return Activation();
  if (config.is_string()) return get(config.get<std::string>());
  if (config.is_object() && config.value("class_name", "") == "function") {
    // Keras: a "builtins" module names the function in "config", any other in "registered_name".
    std::string module = config.contains("module") && config["module"].is_string()
                             ? config["module"].get<std::string>()
                             : "";
    const char* key = module == "builtins" ? "config" : "registered_name";
    if (config.contains(key) && config[key].is_string()) return get(config[key].get<std::string>());
    if (config.contains("config") && config["config"].is_string())
      return get(config["config"].get<std::string>());
  }
  throw ValueError("Could not interpret activation function identifier: " + config.dump());
}

}  // namespace keras::activations
