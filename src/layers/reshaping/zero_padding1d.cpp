#include "keras/layers/reshaping/zero_padding1d.hpp"

#include "keras/layers/registration.hpp"
#include "layers/layer_utils.hpp"
#include "layers/reshaping/reshaping_utils.hpp"

namespace keras::layers {

ZeroPadding1DImpl::ZeroPadding1DImpl(ZeroPadding1DOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      padding_(reshaping_detail::one_pair(options.padding, "ZeroPadding1D", "padding")[0]),
      data_format_(detail::standardize_data_format(options.data_format, "ZeroPadding1D")) {}

Tensor ZeroPadding1DImpl::call(const Tensor& inputs, const CallContext&) {
  return reshaping_detail::zero_pad(*this, inputs, {padding_}, data_format_ == "channels_first");
}

Config ZeroPadding1DImpl::get_config() const {
  Config c = Config::object();
  c["padding"] = detail::ints_config({padding_.first, padding_.second});
  c["data_format"] = data_format_;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(ZeroPadding1D, [](const Config& c) {
  ZeroPadding1DOptions o;
  o.padding = detail::read_ints(c, "padding", o.padding);
  o.data_format = detail::get_or<std::string>(c, "data_format", "");
  detail::read_base(c, o);
  return std::make_shared<ZeroPadding1DImpl>(std::move(o));
});

}  // namespace keras::layers
