#include "keras/layers/reshaping/up_sampling2d.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"
#include "layers/reshaping/reshaping_utils.hpp"

namespace keras::layers {

UpSampling2DImpl::UpSampling2DImpl(UpSampling2DOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      size_(detail::standardize_tuple(options.size, 2, "UpSampling2D", "size")),
      data_format_(detail::standardize_data_format(options.data_format, "UpSampling2D")),
      interpolation_(detail::lower(options.interpolation)) {
  if (interpolation_ == "bicubic" || interpolation_ == "lanczos3" || interpolation_ == "lanczos5" ||
      interpolation_ == "area")
    throw NotImplementedError("UpSampling2D: interpolation \"" + options.interpolation +
                              "\" is not supported yet; use \"nearest\" or \"bilinear\"");
  if (interpolation_ != "nearest" && interpolation_ != "bilinear")
    throw ValueError(
        "UpSampling2D: invalid value for argument `interpolation`: expected one of "
        "\"nearest\", \"bilinear\", \"bicubic\", \"lanczos3\", \"lanczos5\", \"area\". "
        "Received: interpolation=\"" +
        options.interpolation + "\"");
}

Tensor UpSampling2DImpl::call(const Tensor& inputs, const CallContext&) {
  const bool channels_first = data_format_ == "channels_first";
  if (interpolation_ == "nearest" || inputs.is_symbolic())
    return reshaping_detail::repeat_upsample(*this, inputs, size_, channels_first);
  detail::check_rank(*this, inputs.shape(), 4);
  Tensor x = inputs;
  if (!is_floating(x.dtype())) x = ops::cast(x, compute_dtype());
  std::vector<int> axes = reshaping_detail::spatial_axes(2, channels_first);
  for (int i = 0; i < 2; ++i)
    if (size_[i] != 1) x = reshaping_detail::linear_upsample_axis(x, axes[i], size_[i]);
  return x;
}

KERAS_LAYER_CONFIG_FROM(UpSampling2D, UpSampling2DOptions,
                        (UpSampling2DOptions{.size = size_,
                                             .data_format = data_format_,
                                             .interpolation = interpolation_}),
                        fields::field("size", &UpSampling2DOptions::size),
                        fields::field("data_format", &UpSampling2DOptions::data_format),
                        fields::field("interpolation", &UpSampling2DOptions::interpolation),
                        fields::base<UpSampling2DOptions>());

}  // namespace keras::layers
