// The load scope and safe mode (Keras's SafeModeScope / CustomObjectScope in
// keras/src/saving/serialization_lib.py and object_registration.py).
#include "serialization/load_scope.hpp"

#include "keras/core/errors.hpp"

namespace keras::saving {
namespace {

thread_local LoadScope* current_scope = nullptr;

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

}  // namespace

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

}  // namespace keras::saving
