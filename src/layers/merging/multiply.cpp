#include "keras/layers/merging/multiply.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_config_io.hpp"

namespace keras::layers {

Tensor MultiplyImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::multiply(out, inputs[i]);
  return out;
}

Tensor multiply(const std::vector<Tensor>& inputs, MultiplyOptions options) {
  return Multiply(std::move(options))(inputs);
}

KERAS_REGISTER_LAYER(Multiply, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  MultiplyOptions o;
  config_io::read_base(c, o);
  return std::make_shared<MultiplyImpl>(o);
});

}  // namespace keras::layers
