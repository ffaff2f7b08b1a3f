#include "keras/layers/reshaping/cropping1d.hpp"

#include "keras/layers/registration.hpp"
#include "layers/layer_utils.hpp"
#include "layers/reshaping/reshaping_utils.hpp"

namespace keras::layers {

Cropping1DImpl::Cropping1DImpl(Cropping1DOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      cropping_(reshaping_detail::one_pair(options.cropping, "Cropping1D", "cropping")[0]) {}

Tensor Cropping1DImpl::call(const Tensor& inputs, const CallContext&) {
  return reshaping_detail::crop(*this, inputs, {cropping_}, /*channels_first=*/false);
}

Config Cropping1DImpl::get_config() const {
  Config c = Config::object();
  c["cropping"] = detail::ints_config({cropping_.first, cropping_.second});
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Cropping1D, [](const Config& c) {
  Cropping1DOptions o;
  o.cropping = detail::read_ints(c, "cropping", o.cropping);
  detail::read_base(c, o);
  return std::make_shared<Cropping1DImpl>(std::move(o));
});

}  // namespace keras::layers
