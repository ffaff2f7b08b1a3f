#pragma once
// Registration of layer classes for from_config / load_model.
#include <concepts>
#include <string>
#include <typeindex>

#include "keras/layers/layer.hpp"
#include "keras/serialization/object_registry.hpp"

namespace keras::layers {

using LayerRegistry = saving::Registry<LayerImpl>;

// A layer from its Keras config envelope or class name + config.
std::shared_ptr<LayerImpl> deserialize(const Config& envelope);
// The envelope Keras writes for a layer: module, class_name, config, registered_name and
// build_config when built (LayerImpl::get_build_config) and compile_config (models).
Config serialize(const LayerImpl& layer);

// A user class registered with KERAS_REGISTER_SERIALIZABLE: written with module = package,
// class_name = name and registered_name = "package>name", as Keras's
// @keras.saving.register_keras_serializable(package=...) does.
struct RegisteredClass {
  std::string package;
  std::string name;
  std::string registered_name() const { return package + ">" + name; }
};
void add_registered_class(std::type_index type, RegisteredClass info);
// The registration of the dynamic type of `layer`, or null.
const RegisteredClass* find_registered_class(const LayerImpl& layer);

// Registers Impl (a LayerImpl or ModelImpl subclass with `static std::shared_ptr<Impl>
// from_config(const keras::Config&)`) under "package>name".
template <class Impl>
bool register_serializable(const std::string& package, const std::string& name) {
  static_assert(std::derived_from<Impl, LayerImpl>,
                "KERAS_REGISTER_SERIALIZABLE: the class must derive from keras::LayerImpl");
  static_assert(
      requires(const Config& c) {
        { Impl::from_config(c) } -> std::convertible_to<std::shared_ptr<LayerImpl>>;
      },
      "KERAS_REGISTER_SERIALIZABLE: the class needs `static std::shared_ptr<Impl> "
      "from_config(const keras::Config& config)` (the inverse of its get_config())");
  RegisteredClass info{package, name};
  LayerRegistry::instance().add(
      info.registered_name(),
      [](const Config& c) -> std::shared_ptr<LayerImpl> { return Impl::from_config(c); });
  add_registered_class(std::type_index(typeid(Impl)), std::move(info));
  return true;
}

}  // namespace keras::layers

#define KERAS_LAYER_CONCAT_INNER(a, b) a##b
#define KERAS_LAYER_CONCAT(a, b) KERAS_LAYER_CONCAT_INNER(a, b)
// Registers a layer factory (Config -> shared_ptr<LayerImpl>) under a Keras class name. Variadic
// so that a factory expression may contain unparenthesized commas (template arguments).
#define KERAS_REGISTER_LAYER(ClassName, ...)                                     \
  static const bool KERAS_LAYER_CONCAT(keras_layer_registered_, __LINE__) = [] { \
    ::keras::layers::LayerRegistry::instance().add(#ClassName, __VA_ARGS__);     \
    return true;                                                                 \
  }()

// Keras's @keras.saving.register_keras_serializable(package="my_package") for a user layer or
// subclassed model `NameImpl` (see KERAS_LAYER / KERAS_MODEL): load_model finds it by its
// registered name "my_package>Name". The class overrides get_config() and provides
//   static std::shared_ptr<NameImpl> from_config(const keras::Config& config);
//
//   KERAS_REGISTER_SERIALIZABLE("my_package", MyModel);
#define KERAS_REGISTER_SERIALIZABLE(Package, Name)                                 \
  static const bool KERAS_LAYER_CONCAT(keras_serializable_registered_, __LINE__) = \
      ::keras::layers::register_serializable<Name##Impl>(Package, #Name)
