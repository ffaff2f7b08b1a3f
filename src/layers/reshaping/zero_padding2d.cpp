#include "keras/layers/reshaping/zero_padding2d.hpp"

#include "keras/layers/registration.hpp"
#include "layers/layer_utils.hpp"
#include "layers/reshaping/reshaping_utils.hpp"

namespace keras::layers {

ZeroPadding2DImpl::ZeroPadding2DImpl(ZeroPadding2DOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      padding_(options.padding.expand(2, "ZeroPadding2D", "padding")),
      data_format_(detail::standardize_data_format(options.data_format, "ZeroPadding2D")) {}

Tensor ZeroPadding2DImpl::call(const Tensor& inputs, const CallContext&) {
  return reshaping_detail::zero_pad(*this, inputs, padding_, data_format_ == "channels_first");
}

Config ZeroPadding2DImpl::get_config() const {
  Config c = Config::object();
  Config pairs = Config::array();
  for (const auto& [a, b] : padding_) pairs.push_back(Config::array({a, b}));
  c["padding"] = pairs;
  c["data_format"] = data_format_;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(ZeroPadding2D, [](const Config& c) {
  ZeroPadding2DOptions o;
  o.padding = reshaping_detail::read_pairs(c, "padding", o.padding);
  o.data_format = detail::get_or<std::string>(c, "data_format", "");
  detail::read_base(c, o);
  return std::make_shared<ZeroPadding2DImpl>(std::move(o));
});

}  // namespace keras::layers
