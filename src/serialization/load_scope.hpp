#pragma once
// The state of the load_model call running on this thread (Keras's SafeModeScope and
// CustomObjectScope, plus ObjectSharingScope's id -> object map), consulted by
// layers::deserialize so that nested layers (inside Sequential, Bidirectional, ...) see the same
// safe_mode and custom_objects.
#include <map>
#include <memory>
#include <string>

#include "keras/serialization/config.hpp"
#include "keras/serialization/load_options.hpp"

namespace keras::saving {

class LoadScope {
 public:
  explicit LoadScope(const LoadOptions& options);
  ~LoadScope();
  LoadScope(const LoadScope&) = delete;
  LoadScope& operator=(const LoadScope&) = delete;

  const LoadOptions& options() const { return options_; }
  // Objects seen with a `shared_object_id`, reused when the id occurs again.
  std::map<std::string, std::shared_ptr<LayerImpl>> shared_layers;

 private:
  LoadOptions options_;
  LoadScope* previous_;
};

// The innermost scope on this thread, or null outside load_model / deserialize_model.
LoadScope* current_load_scope();
// safe_mode of the current scope (true outside any scope: fail closed, as Keras's Lambda does).
bool in_safe_mode();

// Throws Keras's ValueError if `value` contains a Python lambda (`__lambda__`) and safe mode is
// on; with safe mode off, a ValueError saying keras-cpp cannot run Python code. `where` names the
// object in the message.
void refuse_python_lambdas(const Config& value, const std::string& where, bool lambda_layer);

}  // namespace keras::saving
