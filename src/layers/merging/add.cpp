#include "keras/layers/merging/add.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_config_io.hpp"

namespace keras::layers {

Tensor AddImpl::merge_function(const std::vector<Tensor>& inputs) {
  Tensor out = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) out = ops::add(out, inputs[i]);
  return out;
}

Tensor add(const std::vector<Tensor>& inputs, AddOptions options) {
  return Add(std::move(options))(inputs);
}

KERAS_REGISTER_LAYER(Add, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  AddOptions o;
  config_io::read_base(c, o);
  return std::make_shared<AddImpl>(o);
});

}  // namespace keras::layers
