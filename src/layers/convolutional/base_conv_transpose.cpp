#include "keras/layers/convolutional/base_conv_transpose.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/convolutional/conv_utils.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

BaseConvTransposeImpl::BaseConvTransposeImpl(int rank, BaseConvTransposeOptions options,
                                             const std::string& where)
    : LayerImpl(LayerOptions{.name = options.name,
                             .dtype = options.dtype,
                             .trainable = options.trainable,
                             .activity_regularizer = options.activity_regularizer}),
      rank_(rank),
      options_(std::move(options)) {
  if (options_.filters <= 0)
    throw ValueError(where + ": `filters` must be a positive integer, got " +
                     std::to_string(options_.filters));
  if (options_.kernel_size.empty()) throw ValueError(where + ": `kernel_size` is required");
  detail::ConvGeometry g = detail::standardize_conv_geometry(options_, rank, where);
  kernel_size_ = std::move(g.kernel_size);
  strides_ = std::move(g.strides);
  dilation_rate_ = std::move(g.dilation_rate);
  padding_ = std::move(g.padding);
  data_format_ = std::move(g.data_format);
  if (options_.output_padding) {
    output_padding_ =
        detail::standardize_tuple(*options_.output_padding, rank, where, "output_padding", 0);
    for (int i = 0; i < rank; ++i)
      if ((*output_padding_)[i] >= strides_[i])
        throw ValueError(
            where +
            ": invalid `output_padding` argument. Each value in `output_padding` must be "
            "strictly less than the corresponding stride. At index " +
            std::to_string(i) + ", `output_padding` is " + std::to_string((*output_padding_)[i]) +
            " and `strides` is " + std::to_string(strides_[i]));
  }
  detail::check_strides_dilation(strides_, dilation_rate_, where);
}

void BaseConvTransposeImpl::build(const Shape& input_shape) {
  detail::check_rank(*this, input_shape, rank_ + 2);
  int ca = channel_axis(input_shape.rank());
  int64_t in_channels = detail::known_channels(*this, input_shape, ca);
  built_shape_ = input_shape;
  Shape kshape(kernel_size_.begin(), kernel_size_.end());
  kshape.push_back(options_.filters);
  kshape.push_back(in_channels);
  kernel_ = add_weight({.shape = kshape,
                        .initializer = options_.kernel_initializer,
                        .regularizer = options_.kernel_regularizer,
                        .constraint = options_.kernel_constraint,
                        .name = "kernel"});
  if (options_.use_bias)
    bias_ = add_weight({.shape = {options_.filters},
                        .initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint,
                        .name = "bias"});
}

Tensor BaseConvTransposeImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_rank(*this, inputs.shape(), rank_ + 2);
  int ca = channel_axis(inputs.ndim());
  detail::check_axis(*this, inputs.shape(), ca, built_shape_[ca], built_shape_,
                     "the channel dimension");
  ops::ConvTransposeOptions o{.strides = Ints(strides_),
                              .padding = padding_,
                              .data_format = data_format_,
                              .dilation_rate = Ints(dilation_rate_)};
  if (output_padding_) o.output_padding = Ints(*output_padding_);
  Tensor y = ops::conv_transpose(inputs, kernel_.value(), o);
  if (options_.use_bias) y = detail::add_channel_bias(y, bias_.value(), data_format_);
  if (!options_.activation.is_linear()) y = options_.activation(y);
  return y;
}

KERAS_LAYER_FIELDS(BaseConvTranspose, BaseConvTransposeOptions,
                   fields::field("filters", &BaseConvTransposeOptions::filters),
                   fields::field("kernel_size", &BaseConvTransposeOptions::kernel_size),
                   fields::field("strides", &BaseConvTransposeOptions::strides),
                   fields::field("padding", &BaseConvTransposeOptions::padding),
                   fields::field("output_padding", &BaseConvTransposeOptions::output_padding),
                   fields::field("data_format", &BaseConvTransposeOptions::data_format),
                   fields::field("dilation_rate", &BaseConvTransposeOptions::dilation_rate),
                   fields::field("activation", &BaseConvTransposeOptions::activation),
                   fields::field("use_bias", &BaseConvTransposeOptions::use_bias),
                   fields::kernel_bias<BaseConvTransposeOptions>(fields::Activity::kWritten),
                   fields::base<BaseConvTransposeOptions>());

Config BaseConvTransposeImpl::get_config() const {
  Config c = fields::write(BaseConvTranspose_fields(), options_);
  detail::write_conv_geometry(c, kernel_size_, strides_, padding_, data_format_, dilation_rate_);
  c["output_padding"] = output_padding_ ? detail::ints_config(*output_padding_) : Config(nullptr);
  return merge(LayerImpl::get_config(), c);
}

BaseConvTransposeOptions conv_transpose_options_from_config(const Config& c) {
  return fields::read(BaseConvTranspose_fields(), c);
}

KERAS_REGISTER_LAYER_FIELDS(Conv1DTranspose, BaseConvTranspose_fields());
KERAS_REGISTER_LAYER_FIELDS(Conv2DTranspose, BaseConvTranspose_fields());
KERAS_REGISTER_LAYER_FIELDS(Conv3DTranspose, BaseConvTranspose_fields());

}  // namespace keras::layers
