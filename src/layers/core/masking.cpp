#include "keras/layers/core/masking.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

MaskingImpl::MaskingImpl(MaskingOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      options_(std::move(options)) {
  set_supports_masking(true);
}

Tensor MaskingImpl::call(const Tensor& inputs, const CallContext&) {
  if (inputs.shape().rank() < 1)
    throw ValueError("Masking '" + name() + "': inputs must have at least one axis, got shape " +
                     inputs.shape().to_string());
  Tensor keep =
      ops::any(ops::not_equal(inputs, Tensor(options_.mask_value)), {.axis = -1, .keepdims = true});
  Tensor outputs = ops::where(keep, inputs, ops::zeros({}, inputs.dtype()));
  // Output and mask are computed together, as Keras does.
  outputs.set_keras_mask(ops::squeeze(keep, -1));
  return outputs;
}

Tensor MaskingImpl::compute_mask(const std::vector<Tensor>& inputs, const Tensor&) const {
  return ops::any(ops::not_equal(inputs.at(0), Tensor(options_.mask_value)), {.axis = -1});
}

Config MaskingImpl::get_config() const {
  Config c = Config::object();
  c["mask_value"] = options_.mask_value;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Masking, [](const Config& c) {
  MaskingOptions o;
  o.mask_value = detail::get_or<double>(c, "mask_value", 0.0);
  detail::read_base(c, o);
  return std::make_shared<MaskingImpl>(std::move(o));
});

}  // namespace keras::layers
