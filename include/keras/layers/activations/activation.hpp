#pragma once
// keras.layers.Activation (keras/src/layers/activations/activation.py).
//
//   auto act = layers::Activation({.activation = "relu"});
#include "keras/activations/activations.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct ActivationOptions {
  activations::Activation activation{};  // required in Keras; default here: linear
  KERAS_BASE_LAYER_OPTIONS;
};

class ActivationImpl : public LayerImpl {
 public:
  using Options = ActivationOptions;
  explicit ActivationImpl(ActivationOptions options);
  std::string class_name() const override { return "Activation"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const activations::Activation& activation() const { return options_.activation; }

 private:
  ActivationOptions options_;
};
KERAS_LAYER(Activation);

}  // namespace keras::layers
