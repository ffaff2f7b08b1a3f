#include "keras/layers/core/lambda_layer.hpp"

#include <map>
#include <mutex>

#include "keras/layers/registration.hpp"
#include "keras/serialization/object_registry.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {
namespace {

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, LambdaFunction>& registry() {
  static auto* r = new std::map<std::string, LambdaFunction>();
  return *r;
}

}  // namespace

void register_lambda_function(const std::string& name, LambdaFunction function) {
  if (name.empty()) throw ValueError("register_lambda_function: the name must not be empty");
  std::lock_guard lock(registry_mutex());
  registry()[name] = std::move(function);
}

LambdaFunction find_lambda_function(const std::string& name) {
  std::lock_guard lock(registry_mutex());
  auto it = registry().find(name);
  return it == registry().end() ? LambdaFunction() : it->second;
}

LambdaImpl::LambdaImpl(LambdaOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  set_supports_masking(static_cast<bool>(options_.mask));
  if (!options_.function && !options_.function_name.empty())
    options_.function = find_lambda_function(options_.function_name);
  if (!options_.function)
    throw ValueError(options_.function_name.empty()
                         ? "Lambda: `function` is required (a callable Tensor(const Tensor&))"
                         : "Lambda: no function is registered under the name '" +
                               options_.function_name +
                               "'; call layers::register_lambda_function(\"" +
                               options_.function_name + "\", fn) before loading");
}

Tensor LambdaImpl::call(const Tensor& inputs, const CallContext&) {
  Tensor y = options_.function(inputs);
  if (options_.output_shape && inputs.is_symbolic()) {
    Shape s{inputs.shape().empty() ? Shape::kNone : inputs.shape()[0]};
    for (int64_t d : *options_.output_shape) s.push_back(d);
    return Tensor::symbolic(s, y.dtype());
  }
  return y;
}

Tensor LambdaImpl::compute_mask(const std::vector<Tensor>& inputs, const Tensor& mask) const {
  if (!options_.mask) return Tensor();
  return options_.mask(inputs.at(0), mask);
}

Config LambdaImpl::get_config() const {
  Config c = Config::object();
  // Keras's envelope for a named function. A C++ callable has no code to write: an unnamed
  // Lambda writes an empty name and cannot be restored from its config.
  c["function"] = saving::make_envelope("__main__", "function", Config(options_.function_name),
                                        options_.function_name);
  if (options_.output_shape) c["output_shape"] = detail::ints_config(*options_.output_shape);
  c["arguments"] = Config::object();
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Lambda, [](const Config& c) {
  LambdaOptions o;
  if (detail::has(c, "function")) {
    const Config& f = c["function"];
    if (f.is_string())
      o.function_name = f.get<std::string>();
    else if (f.is_object() && f.contains("config") && f["config"].is_string())
      o.function_name = f["config"].get<std::string>();
    if (f.is_object() && f.contains("registered_name") && f["registered_name"].is_string() &&
        !f["registered_name"].get<std::string>().empty())
      o.function_name = f["registered_name"].get<std::string>();
    if (f.is_object() && f.value("class_name", "") == "__lambda__")
      throw ValueError(
          "Lambda: this config holds Python bytecode (a `lambda`), which cannot be "
          "restored in C++; rebuild the layer with a C++ function");
  }
  if (o.function_name.empty())
    throw ValueError(
        "Lambda: the config names no function (the layer wrapped an unnamed C++ "
        "callable); register it with layers::register_lambda_function and set "
        "`function_name` to make the layer serializable");
  if (detail::has(c, "output_shape") && c["output_shape"].is_array()) {
    Shape s;
    for (const Config& d : c["output_shape"])
      s.push_back(saving::config_dim(d, "output_shape", Shape::kNone));
    o.output_shape = s;
  }
  detail::read_base(c, o);
  return std::make_shared<LambdaImpl>(std::move(o));
});

}  // namespace keras::layers
