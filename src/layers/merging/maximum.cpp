#include "keras/layers/merging/maximum.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_config_io.hpp"

namespace keras::layers {

Tensor MaximumImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::maximum(out, inputs[i]);
  return out;
}

Tensor maximum(const std::vector<Tensor>& inputs, MaximumOptions options) {
  return Maximum(std::move(options))(inputs);
}

KERAS_REGISTER_LAYER(Maximum, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  MaximumOptions o;
  config_io::read_base(c, o);
  return std::make_shared<MaximumImpl>(o);
});

}  // namespace keras::layers
