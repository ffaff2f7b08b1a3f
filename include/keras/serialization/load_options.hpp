#pragma once
// The options of a load (Keras's load_model arguments safe_mode, compile and custom_objects),
// here in the serialization tier because layers::deserialize consults them for nested layers
// through the load scope (src/serialization/load_scope.hpp) without knowing about files.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "keras/serialization/config.hpp"

namespace keras {
class LayerImpl;
}  // namespace keras

namespace keras::saving {

// A factory for a layer or model class: its from_config.
using LayerFactory = std::function<std::shared_ptr<LayerImpl>(const Config& config)>;

struct LoadOptions {
  // Compile the model from its compile_config (if it has one) so training can resume.
  bool compile = true;
  // Refuse anything that would run stored code (Python lambdas).
  bool safe_mode = true;
  // Layer / model classes by class name or registered name ("my_package>MyLayer"), consulted
  // before the registry (Keras's custom_objects).
  std::map<std::string, LayerFactory> custom_objects;
};

}  // namespace keras::saving
