// keras.layers.UpSampling1D/2D/3D: UpSamplingImpl<N> and the three registrations.
#include "keras/layers/reshaping/up_sampling.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"
#include "layers/reshaping/reshaping_utils.hpp"

namespace keras::layers {

namespace {

// UpSampling2D's `interpolation`, lower-cased; the resize modes Keras has beyond these two are
// not implemented yet.
std::string checked_interpolation(const std::string& interpolation) {
  std::string lowered = detail::lower(interpolation);
  if (lowered == "bicubic" || lowered == "lanczos3" || lowered == "lanczos5" || lowered == "area")
    throw NotImplementedError("UpSampling2D: interpolation \"" + interpolation +
                              "\" is not supported yet; use \"nearest\" or \"bilinear\"");
  if (lowered != "nearest" && lowered != "bilinear")
    throw ValueError(
        "UpSampling2D: invalid value for argument `interpolation`: expected one of "
        "\"nearest\", \"bilinear\", \"bicubic\", \"lanczos3\", \"lanczos5\", \"area\". "
        "Received: interpolation=\"" +
        interpolation + "\"");
  return lowered;
}

}  // namespace

template <int N>
UpSamplingImpl<N>::UpSamplingImpl(Options options) : LayerImpl(layer_options(options)) {
  if constexpr (N == 1) {
    if (options.size <= 0)
      throw ValueError(
          "UpSampling1D: argument `size` should be a positive integer. Received: size=" +
          std::to_string(options.size));
    size_ = {options.size};
  } else {
    size_ = detail::standardize_tuple(options.size, N, class_name(), "size");
    data_format_ = detail::standardize_data_format(options.data_format, class_name());
  }
  if constexpr (N == 2) interpolation_ = checked_interpolation(options.interpolation);
}

template <int N>
Tensor UpSamplingImpl<N>::call(const Tensor& inputs, const CallContext&) {
  const bool channels_first = data_format_ == "channels_first";
  if (interpolation_ == "nearest" || inputs.is_symbolic())
    return reshaping_detail::repeat_upsample(*this, inputs, size_, channels_first);
  detail::check_rank(*this, inputs.shape(), N + 2);
  Tensor x = inputs;
  if (!is_floating(x.dtype())) x = ops::cast(x, compute_dtype());
  std::vector<int> axes = reshaping_detail::spatial_axes(N, channels_first);
  for (int i = 0; i < N; ++i)
    if (size_[i] != 1) x = reshaping_detail::linear_upsample_axis(x, axes[i], size_[i]);
  return x;
}

template <int N>
Config UpSamplingImpl<N>::get_config() const {
  Config c = Config::object();
  if constexpr (N == 1) {
    c["size"] = size_[0];
  } else {
    c["size"] = detail::ints_config(size_);
    c["data_format"] = data_format_;
  }
  if constexpr (N == 2) c["interpolation"] = interpolation_;
  return merge(LayerImpl::get_config(), c);
}

template class UpSamplingImpl<1>;
template class UpSamplingImpl<2>;
template class UpSamplingImpl<3>;

namespace {

template <int N>
std::shared_ptr<LayerImpl> up_sampling_from_config(const Config& c) {
  UpSamplingOptions<N> o;
  if constexpr (N == 1) {
    o.size = detail::get_or<int64_t>(c, "size", o.size);
  } else {
    o.size = detail::read_ints(c, "size", o.size);
    o.data_format = detail::get_or<std::string>(c, "data_format", "");
  }
  if constexpr (N == 2)
    o.interpolation = detail::get_or<std::string>(c, "interpolation", o.interpolation);
  detail::read_base(c, o);
  return std::make_shared<UpSamplingImpl<N>>(std::move(o));
}

}  // namespace

KERAS_REGISTER_LAYER(UpSampling1D, up_sampling_from_config<1>);
KERAS_REGISTER_LAYER(UpSampling2D, up_sampling_from_config<2>);
KERAS_REGISTER_LAYER(UpSampling3D, up_sampling_from_config<3>);

}  // namespace keras::layers
