#include "keras/layers/merging/average.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_config_io.hpp"

namespace keras::layers {

Tensor AverageImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::add(out, inputs[i]);
  return out / static_cast<double>(inputs.size());
}

Tensor average(const std::vector<Tensor>& inputs, AverageOptions options) {
  return Average(std::move(options))(inputs);
}

KERAS_REGISTER_LAYER(Average, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  AverageOptions o;
  config_io::read_base(c, o);
  return std::make_shared<AverageImpl>(o);
});

}  // namespace keras::layers
