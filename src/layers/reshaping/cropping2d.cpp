#include "keras/layers/reshaping/cropping2d.hpp"

#include "keras/layers/registration.hpp"
#include "layers/layer_utils.hpp"
#include "layers/reshaping/reshaping_utils.hpp"

namespace keras::layers {

Cropping2DImpl::Cropping2DImpl(Cropping2DOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      cropping_(options.cropping.expand(2, "Cropping2D", "cropping")),
      data_format_(detail::standardize_data_format(options.data_format, "Cropping2D")) {}

Tensor Cropping2DImpl::call(const Tensor& inputs, const CallContext&) {
  return reshaping_detail::crop(*this, inputs, cropping_, data_format_ == "channels_first");
}

Config Cropping2DImpl::get_config() const {
  Config c = Config::object();
  Config pairs = Config::array();
  for (const auto& [a, b] : cropping_) pairs.push_back(Config::array({a, b}));
  c["cropping"] = pairs;
  c["data_format"] = data_format_;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Cropping2D, [](const Config& c) {
  Cropping2DOptions o;
  o.cropping = reshaping_detail::read_pairs(c, "cropping", o.cropping);
  o.data_format = detail::get_or<std::string>(c, "data_format", "");
  detail::read_base(c, o);
  return std::make_shared<Cropping2DImpl>(std::move(o));
});

}  // namespace keras::layers
