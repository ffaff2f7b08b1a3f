#include "keras/layers/reshaping/up_sampling1d.hpp"

#include "keras/layers/registration.hpp"
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

Config UpSampling1DImpl::get_config() const {
  Config c = Config::object();
  c["size"] = size_;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(UpSampling1D, [](const Config& c) {
  UpSampling1DOptions o;
  o.size = detail::get_or<int64_t>(c, "size", o.size);
  detail::read_base(c, o);
  return std::make_shared<UpSampling1DImpl>(std::move(o));
});

}  // namespace keras::layers
