#pragma once
// keras.layers.Lambda (keras/src/layers/core/lambda_layer.py): wraps a C++ callable.
//
//   auto twice = layers::Lambda({.function = [](const Tensor& x) { return ops::multiply(x, 2.0);
//   }});
//
// Serialization: a C++ callable cannot be written into a config. A Lambda whose function was
// registered by name (register_lambda_function("my_pkg>double", fn), then `.function_name =
// "my_pkg>double"`) writes {"class_name": "function", "config": name, ...} as Keras does for named
// functions and is restored by that name; an unnamed one writes the name "" and from_config
// throws ValueError explaining how to register it.
#include <functional>

#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

using LambdaFunction = std::function<Tensor(const Tensor&)>;

// Registers (or replaces) a function that Lambda configs may name.
void register_lambda_function(const std::string& name, LambdaFunction function);
// The registered function, or an empty function.
LambdaFunction find_lambda_function(const std::string& name);

struct LambdaOptions {
  LambdaFunction function{};            // required (unless function_name is registered)
  std::optional<Shape> output_shape{};  // without the batch dimension; default: inferred
  // Keras's `mask`: (inputs, input mask) -> output mask. When set the layer supports masking
  // and attaches its result to the output; unset: masks are dropped.
  std::function<Tensor(const Tensor& inputs, const Tensor& mask)> mask{};
  std::string function_name{};  // registered name, for serialization
  KERAS_BASE_LAYER_OPTIONS;
};

class LambdaImpl : public LayerImpl {
 public:
  using Options = LambdaOptions;
  explicit LambdaImpl(LambdaOptions options);
  std::string class_name() const override { return "Lambda"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Tensor compute_mask(const std::vector<Tensor>& inputs, const Tensor& mask) const override;
  Config get_config() const override;

 private:
  LambdaOptions options_;
};
KERAS_LAYER(Lambda);

}  // namespace keras::layers
