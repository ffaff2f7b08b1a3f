#include "keras/layers/merging/minimum.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_config_io.hpp"

namespace keras::layers {

Tensor MinimumImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::minimum(out, inputs[i]);
  return out;
}

Tensor minimum(const std::vector<Tensor>& inputs, MinimumOptions options) {
  return Minimum(std::move(options))(inputs);
}

KERAS_REGISTER_LAYER(Minimum, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  MinimumOptions o;
  config_io::read_base(c, o);
  return std::make_shared<MinimumImpl>(o);
});

}  // namespace keras::layers
