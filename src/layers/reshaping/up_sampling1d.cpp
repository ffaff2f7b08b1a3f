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

KERAS_LAYER_CONFIG_FROM(UpSampling1D, UpSampling1DOptions, (UpSampling1DOptions{.size = size_}),
                        fields::field("size", &UpSampling1DOptions::size),
                        fields::base<UpSampling1DOptions>());

}  // namespace keras::layers
