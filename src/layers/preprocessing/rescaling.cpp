#include "keras/layers/preprocessing/rescaling.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

RescalingImpl::RescalingImpl(RescalingOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      options_(std::move(options)) {
  set_supports_masking(true);
}

Tensor RescalingImpl::call(const Tensor& inputs, const CallContext&) {
  DType d = compute_dtype();
  Tensor x = inputs.dtype() == d ? inputs : ops::cast(inputs, d);
  Tensor y = ops::multiply(x, ops::cast(Tensor(options_.scale), d));
  if (options_.offset != 0.0) y = ops::add(y, ops::cast(Tensor(options_.offset), d));
  return y;
}

Config RescalingImpl::get_config() const {
  Config c = Config::object();
  c["scale"] = options_.scale;
  c["offset"] = options_.offset;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Rescaling, [](const Config& c) {
  RescalingOptions o;
  o.scale = detail::get_or<double>(c, "scale", 1.0);
  o.offset = detail::get_or<double>(c, "offset", 0.0);
  detail::read_base(c, o);
  return std::make_shared<RescalingImpl>(std::move(o));
});

}  // namespace keras::layers
