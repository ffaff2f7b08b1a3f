#pragma once
// keras::initializers::Initializer, the base of every initializer, and the family's
// get / serialize / deserialize (keras/src/initializers/initializer.py, __init__.py).
//
//   auto init = initializers::get("glorot_uniform");
//   Tensor w = (*init)({784, 64});                    // floatx, on the default backend
//   Config c = initializers::serialize(*init);        // {"module": "keras.initializers", ...}
//
// A user initializer derives from Initializer, overrides operator(), class_name() and
// get_config(), and registers a factory:
//   saving::Registry<Initializer>::instance().add("MyInit", [](const Config& c) { ... });
#include <memory>
#include <optional>
#include <string>

#include "keras/core/dtype.hpp"
#include "keras/core/shape.hpp"
#include "keras/core/tensor.hpp"
#include "keras/serialization/config.hpp"

namespace keras::initializers {

class Initializer {
 public:
  virtual ~Initializer() = default;
  static constexpr const char* kFamily = "initializer";  // for error messages
  // A tensor of `shape` and `dtype` (default keras::config::floatx()) on the default backend.
  virtual Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const = 0;
  virtual std::string class_name() const = 0;
  // Keras's get_config(): the constructor arguments, with Keras's keys and order.
  virtual Config get_config() const { return Config::object(); }
};

// keras.initializers.get: a class name ("GlorotUniform") or alias ("glorot_uniform", "zeros",
// "normal", ...) made with its default arguments. Unknown names throw ValueError listing the known
// ones.
std::shared_ptr<Initializer> get(const std::string& identifier);
// keras.initializers.deserialize: a name string or an envelope {"class_name", "config", ...}.
std::shared_ptr<Initializer> deserialize(const Config& config);
// keras.initializers.serialize: {"module": "keras.initializers", "class_name", "config",
// "registered_name": null}.
Config serialize(const Initializer& initializer);

}  // namespace keras::initializers
