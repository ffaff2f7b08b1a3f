#include "keras/layers/reshaping/up_sampling3d.hpp"

#include "keras/layers/registration.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"
#include "layers/reshaping/reshaping_utils.hpp"

namespace keras::layers {

UpSampling3DImpl::UpSampling3DImpl(UpSampling3DOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      size_(detail::standardize_tuple(options.size, 3, "UpSampling3D", "size")),
      data_format_(detail::standardize_data_format(options.data_format, "UpSampling3D")) {}

Tensor UpSampling3DImpl::call(const Tensor& inputs, const CallContext&) {
  return reshaping_detail::repeat_upsample(*this, inputs, size_, data_format_ == "channels_first");
}

KERAS_LAYER_CONFIG_FROM(UpSampling3D, UpSampling3DOptions,
                        (UpSampling3DOptions{.size = size_, .data_format = data_format_}),
                        fields::field("size", &UpSampling3DOptions::size),
                        fields::field("data_format", &UpSampling3DOptions::data_format),
                        fields::base<UpSampling3DOptions>());

}  // namespace keras::layers
