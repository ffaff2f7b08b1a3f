#pragma once
// Registration of layer classes for from_config / load_model.
#include "keras/layers/layer.hpp"
#include "keras/saving/object_registry.hpp"

namespace keras::layers {

using LayerRegistry = saving::Registry<LayerImpl>;

// A layer from its Keras config envelope or class name + config.
std::shared_ptr<LayerImpl> deserialize(const Config& envelope);
// The envelope Keras writes for a layer: module, class_name, config, registered_name and
// build_config when built.
Config serialize(const LayerImpl& layer);

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
