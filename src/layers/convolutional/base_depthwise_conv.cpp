#include "keras/layers/convolutional/base_depthwise_conv.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/convolutional/conv_utils.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

BaseDepthwiseConvImpl::BaseDepthwiseConvImpl(int rank, BaseDepthwiseConvOptions options,
                                             const std::string& where)
    : LayerImpl(LayerOptions{.name = options.name,
                             .dtype = options.dtype,
                             .trainable = options.trainable,
                             .activity_regularizer = options.activity_regularizer}),
      rank_(rank),
      options_(std::move(options)) {
  if (options_.depth_multiplier <= 0)
    throw ValueError(where + ": `depth_multiplier` must be a positive integer, got " +
                     std::to_string(options_.depth_multiplier));
  if (options_.kernel_size.empty()) throw ValueError(where + ": `kernel_size` is required");
  detail::ConvGeometry g = detail::standardize_conv_geometry(options_, rank, where);
  kernel_size_ = std::move(g.kernel_size);
  strides_ = std::move(g.strides);
  dilation_rate_ = std::move(g.dilation_rate);
  padding_ = std::move(g.padding);
  data_format_ = std::move(g.data_format);
  detail::check_strides_dilation(strides_, dilation_rate_, where);
}

void BaseDepthwiseConvImpl::build(const Shape& input_shape) {
  detail::check_rank(*this, input_shape, rank_ + 2);
  int ca = channel_axis(input_shape.rank());
  int64_t in_channels = detail::known_channels(*this, input_shape, ca);
  detail::check_conv_output_size(*this, input_shape, kernel_size_, strides_, dilation_rate_,
                                 padding_, data_format_);
  built_shape_ = input_shape;
  Shape kshape(kernel_size_.begin(), kernel_size_.end());
  kshape.push_back(in_channels);
  kshape.push_back(options_.depth_multiplier);
  kernel_ = add_weight({.shape = kshape,
                        .initializer = options_.depthwise_initializer,
                        .regularizer = options_.depthwise_regularizer,
                        .constraint = options_.depthwise_constraint,
                        .name = "kernel"});
  if (options_.use_bias)
    bias_ = add_weight({.shape = {in_channels * options_.depth_multiplier},
                        .initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint,
                        .name = "bias"});
}

Tensor BaseDepthwiseConvImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_rank(*this, inputs.shape(), rank_ + 2);
  int ca = channel_axis(inputs.ndim());
  detail::check_axis(*this, inputs.shape(), ca, built_shape_[ca], built_shape_,
                     "the channel dimension");
  Tensor y = ops::depthwise_conv(inputs, kernel_.value(),
                                 {.strides = Ints(strides_),
                                  .padding = padding_,
                                  .data_format = data_format_,
                                  .dilation_rate = Ints(dilation_rate_)});
  if (options_.use_bias) y = detail::add_channel_bias(y, bias_.value(), data_format_);
  if (!options_.activation.is_linear()) y = options_.activation(y);
  return y;
}

KERAS_LAYER_FIELDS(BaseDepthwiseConv, BaseDepthwiseConvOptions,
                   fields::field("depth_multiplier", &BaseDepthwiseConvOptions::depth_multiplier),
                   fields::field("kernel_size", &BaseDepthwiseConvOptions::kernel_size),
                   fields::field("strides", &BaseDepthwiseConvOptions::strides),
                   fields::field("padding", &BaseDepthwiseConvOptions::padding),
                   fields::field("data_format", &BaseDepthwiseConvOptions::data_format),
                   fields::field("dilation_rate", &BaseDepthwiseConvOptions::dilation_rate),
                   fields::field("activation", &BaseDepthwiseConvOptions::activation),
                   fields::field("use_bias", &BaseDepthwiseConvOptions::use_bias),
                   fields::weight_args<BaseDepthwiseConvOptions>(
                       {KERAS_WEIGHT_ARGS(BaseDepthwiseConvOptions, depthwise),
                        KERAS_WEIGHT_ARGS(BaseDepthwiseConvOptions, bias)},
                       fields::Activity::kWritten),
                   fields::base<BaseDepthwiseConvOptions>());

Config BaseDepthwiseConvImpl::get_config() const {
  Config c = fields::write(BaseDepthwiseConv_fields(), options_);
  detail::write_conv_geometry(c, kernel_size_, strides_, padding_, data_format_, dilation_rate_);
  return merge(LayerImpl::get_config(), c);
}

BaseDepthwiseConvOptions depthwise_conv_options_from_config(const Config& c) {
  return fields::read(BaseDepthwiseConv_fields(), c);
}

KERAS_REGISTER_LAYER_FIELDS(DepthwiseConv1D, BaseDepthwiseConv_fields());
KERAS_REGISTER_LAYER_FIELDS(DepthwiseConv2D, BaseDepthwiseConv_fields());

}  // namespace keras::layers
