#pragma once
// Class-name registries for serializable Keras objects (initializers, losses, metrics,
// optimizers, layers, ...), one per base class. They back three things: strings in the API
// (`.optimizer = "adam"` → Registry<Optimizer>::create("adam")), from_config when loading a
// .keras file, and user classes registered with KERAS_REGISTER_SERIALIZABLE.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/serialization/config.hpp"

namespace keras::saving {

// Keras's object envelope, in Keras's key order:
// {"module": ..., "class_name": ..., "config": ..., "registered_name": ...}.
// `registered_name` empty writes null (exported Keras classes).
Config make_envelope(const std::string& module, const std::string& class_name, Config config,
                     const std::string& registered_name = "");

// "Conv2DTranspose" -> "conv2d_transpose", "ReLU" -> "re_lu" (keras/src/utils/naming.py).
std::string to_snake_case(const std::string& name);

template <class Base>
class Registry {
 public:
  using Factory = std::function<std::shared_ptr<Base>(const Config& config)>;

  static Registry& instance() {
    static Registry* r = new Registry();  // never destroyed: used during static destruction
    return *r;
  }

  // Registers a class under its class name and any aliases ("mse", "adam", "glorot_uniform").
  // A later registration of the same name replaces the earlier one (users may override).
  void add(const std::string& class_name, Factory factory, std::vector<std::string> aliases = {}) {
    std::lock_guard lock(mutex_);
    factories_[class_name] = factory;
    canonical_[class_name] = class_name;
    for (const std::string& a : aliases) {
      factories_[a] = factory;
      canonical_[a] = class_name;
    }
  }

  bool contains(const std::string& name) const {
    std::lock_guard lock(mutex_);
    return factories_.count(name) > 0;
  }

  // The class name an identifier or alias stands for; empty if unknown.
  std::string canonical_name(const std::string& name) const {
    std::lock_guard lock(mutex_);
    auto it = canonical_.find(name);
    return it == canonical_.end() ? "" : it->second;
  }

  // Creates an object; throws ValueError naming the family and listing what is known.
  std::shared_ptr<Base> create(const std::string& name, const Config& config,
                               const std::string& family) const {
    Factory f;
    {
      std::lock_guard lock(mutex_);
      auto it = factories_.find(name);
      if (it == factories_.end()) {
        std::string known;
        for (const auto& [k, v] : canonical_)
          if (k == v) known += (known.empty() ? "" : ", ") + k;
        throw ValueError("Unknown " + family + " '" + name + "'. Known " + family + "s: " + known +
                         ". Register your own class with KERAS_REGISTER_SERIALIZABLE.");
      }
      f = it->second;
    }
    return f(config.is_null() ? Config::object() : config);
  }

  // Accepts a name string or an envelope {"class_name": ..., "config": ...} (with
  // "registered_name" taking precedence, as Keras's loader does).
  std::shared_ptr<Base> deserialize(const Config& value, const std::string& family) const {
    if (value.is_string()) return create(value.get<std::string>(), Config::object(), family);
    if (value.is_object() && value.contains("class_name")) {
      std::string name = value["class_name"].get<std::string>();
      if (value.contains("registered_name") && value["registered_name"].is_string()) {
        std::string reg = value["registered_name"].get<std::string>();
        if (contains(reg)) name = reg;
      }
      return create(name, value.contains("config") ? value["config"] : Config::object(), family);
    }
    throw ValueError("Could not interpret " + family + " identifier: " + value.dump());
  }

  // How a string identifier becomes an object in the API (`.optimizer = "adam"`): the family's
  // get() when it installed one (it knows aliases such as "mse"), else create(name).
  using Resolver = std::function<std::shared_ptr<Base>(const std::string& identifier)>;
  void set_resolver(Resolver resolver) {
    std::lock_guard lock(mutex_);
    resolver_ = std::move(resolver);
  }
  std::shared_ptr<Base> resolve(const std::string& identifier, const std::string& family) const {
    Resolver r;
    {
      std::lock_guard lock(mutex_);
      r = resolver_;
    }
    return r ? r(identifier) : create(identifier, Config::object(), family);
  }

  std::vector<std::string> names() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [k, v] : canonical_)
      if (k == v) out.push_back(k);
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Factory> factories_;
  std::map<std::string, std::string> canonical_;
  Resolver resolver_;
};

}  // namespace keras::saving
