#include "keras/layers/reshaping/up_sampling1d.hpp"

#include "keras/layers/registration.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"
#include "layers/reshaping/reshaping_utils.hpp"

namespace keras::layers {

UpSampling1DImpl::UpSampling1DImpl(UpSampling1DOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      size_(options.size) {
  if (size_ <= 0)
    throw ValueError("UpSampling1D: argument `size` should be a positive integer. Received: size=" +
                     std::to_string(size_));
}

Tensor UpSampling1DImpl::call(const Tensor& inputs, const CallContext&) {
  return reshaping_detail::repeat_upsample(*this, inputs, {size_}, /*channels_first=*/false);
}

KERAS_LAYER_FIELDS(UpSampling1D, UpSampling1DOptions,
                   fields::field("size", &UpSampling1DOptions::size),
                   fields::base<UpSampling1DOptions>());

Config UpSampling1DImpl::get_config() const {
  UpSampling1DOptions o;  // the arguments as the layer standardized them
  o.size = size_;
  return merge(LayerImpl::get_config(), fields::write(UpSampling1D_fields(), o));
}

KERAS_REGISTER_LAYER_FIELDS(UpSampling1D, UpSampling1D_fields());

}  // namespace keras::layers
