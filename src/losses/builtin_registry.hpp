#pragma once
// What keras::losses and keras::metrics serialization share: the registration of their built-in
// classes (a from_config factory that reads the class's options with ConfigReader), the set of
// built-in names (serialize() writes no registered_name for them) and the reading of the "fn" of
// LossFunctionWrapper / MeanMetricWrapper configs.
#include <cctype>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "keras/serialization/config.hpp"
#include "keras/serialization/object_registry.hpp"
#include "losses/config_reader.hpp"

namespace keras::detail {

// The built-in class names of one family (Base = losses::Loss or metrics::Metric).
template <class Base>
std::set<std::string>& builtin_names() {
  static std::set<std::string> names;
  return names;
}

// The keys every loss or metric takes: name, reduction (losses only), dtype.
template <class Options>
void read_base(ConfigReader& r, Options& o) {
  r.read("name", o.name);
  if constexpr (requires { o.reduction; }) r.read("reduction", o.reduction);
  r.read("dtype", o.dtype);
}

// Registers Class (made from Options) as a built-in of Base: its config is read by read_base,
// then by read_extra(r, options) for the class's own keys; any other key is an error.
template <class Base, class Class, class Options, class ReadExtra>
void add_builtin(const std::string& class_name, ReadExtra read_extra,
                 std::vector<std::string> aliases = {}) {
  builtin_names<Base>().insert(class_name);
  saving::Registry<Base>::instance().add(
      class_name,
      [class_name, read_extra](const Config& config) -> std::shared_ptr<Base> {
        ConfigReader r(config, class_name);
        Options o;
        read_base(r, o);
        read_extra(r, o);
        r.finish();
        return std::make_shared<Class>(o);
      },
      std::move(aliases));
}

// Keras's envelope for a loss or metric (module "keras.losses" or "keras.metrics").
template <class Base>
Config serialize_builtin(const std::string& module, const Base& object) {
  std::string name = object.class_name();
  return saving::make_envelope(module, name, object.get_config(),
                               builtin_names<Base>().count(name) ? "" : name);
}

// The function name in a wrapper's "fn": a string or a {"config": name, ...} envelope; "" if
// neither.
inline std::string wrapped_function_name(const Config& fn) {
  std::string fn_name;
  if (fn.is_string()) fn_name = fn.get<std::string>();
  if (fn.is_object() && fn.contains("config") && fn["config"].is_string())
    fn_name = fn["config"].get<std::string>();
  return fn_name;
}

// An identifier in lower case, for compile()'s "crossentropy" / "accuracy" shortcuts.
inline std::string lower_identifier(const std::string& identifier) {
  std::string lower;
  for (char c : identifier) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace keras::detail
