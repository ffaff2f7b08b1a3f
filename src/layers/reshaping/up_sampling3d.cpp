#include "keras/layers/reshaping/up_sampling3d.hpp"

#include "keras/layers/registration.hpp"
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

Config UpSampling3DImpl::get_config() const {
  Config c = Config::object();
  c["size"] = detail::ints_config(size_);
  c["data_format"] = data_format_;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(UpSampling3D, [](const Config& c) {
  UpSampling3DOptions o;
  o.size = detail::read_ints(c, "size", o.size);
  o.data_format = detail::get_or<std::string>(c, "data_format", "");
  detail::read_base(c, o);
  return std::make_shared<UpSampling3DImpl>(std::move(o));
});

}  // namespace keras::layers
