// keras.layers.Cropping1D/2D/3D and ZeroPadding1D/2D/3D: PairsLayerImpl and the six
// registrations.
#include "keras/layers/reshaping/pairs_layer.hpp"

#include "keras/layers/registration.hpp"
#include "layers/layer_utils.hpp"
#include "layers/reshaping/reshaping_utils.hpp"

namespace keras::layers {

namespace {

// The argument's name and field: `cropping` or `padding`.
template <class Options>
constexpr const char* pairs_key() {
  if constexpr (requires(Options o) { o.cropping; })
    return "cropping";
  else
    return "padding";
}
template <class Options>
auto& pairs_arg(Options& options) {
  if constexpr (requires { options.cropping; })
    return options.cropping;
  else
    return options.padding;
}
// Every one has a data_format but Cropping1D.
template <class Options>
constexpr bool kHasDataFormat = requires(Options o) {
  o.data_format;
};

}  // namespace

template <PairsLayerKind Kind, int N>
PairsLayerImpl<Kind, N>::PairsLayerImpl(Options options)
    : LayerImpl(layer_options(options)),
      pairs_(reshaping_detail::expand_pairs(pairs_arg(options), N, class_name(),
                                            pairs_key<Options>())) {
  if constexpr (kHasDataFormat<Options>)
    data_format_ = detail::standardize_data_format(options.data_format, class_name());
}

template <PairsLayerKind Kind, int N>
Tensor PairsLayerImpl<Kind, N>::call(const Tensor& inputs, const CallContext&) {
  const bool channels_first = data_format_ == "channels_first";
  if constexpr (kCropping)
    return reshaping_detail::crop(*this, inputs, pairs_, channels_first);
  else
    return reshaping_detail::zero_pad(*this, inputs, pairs_, channels_first);
}

template <PairsLayerKind Kind, int N>
Config PairsLayerImpl<Kind, N>::get_config() const {
  Config c = Config::object();
  c[pairs_key<Options>()] = reshaping_detail::pairs_config(pairs_);
  if constexpr (kHasDataFormat<Options>) c["data_format"] = data_format_;
  return merge(LayerImpl::get_config(), c);
}

template class PairsLayerImpl<PairsLayerKind::kCropping, 1>;
template class PairsLayerImpl<PairsLayerKind::kCropping, 2>;
template class PairsLayerImpl<PairsLayerKind::kCropping, 3>;
template class PairsLayerImpl<PairsLayerKind::kZeroPadding, 1>;
template class PairsLayerImpl<PairsLayerKind::kZeroPadding, 2>;
template class PairsLayerImpl<PairsLayerKind::kZeroPadding, 3>;

namespace {

template <class Impl>
std::shared_ptr<LayerImpl> from_config(const Config& c) {
  using Options = typename Impl::Options;
  Options o;
  pairs_arg(o) = reshaping_detail::read_pairs(c, pairs_key<Options>(), pairs_arg(o));
  if constexpr (kHasDataFormat<Options>)
    o.data_format = detail::get_or<std::string>(c, "data_format", "");
  detail::read_base(c, o);
  return std::make_shared<Impl>(std::move(o));
}

}  // namespace

KERAS_REGISTER_LAYER(Cropping1D, from_config<Cropping1DImpl>);
KERAS_REGISTER_LAYER(Cropping2D, from_config<Cropping2DImpl>);
KERAS_REGISTER_LAYER(Cropping3D, from_config<Cropping3DImpl>);
KERAS_REGISTER_LAYER(ZeroPadding1D, from_config<ZeroPadding1DImpl>);
KERAS_REGISTER_LAYER(ZeroPadding2D, from_config<ZeroPadding2DImpl>);
KERAS_REGISTER_LAYER(ZeroPadding3D, from_config<ZeroPadding3DImpl>);

}  // namespace keras::layers
