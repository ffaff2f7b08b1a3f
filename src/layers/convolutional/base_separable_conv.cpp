#include "keras/layers/convolutional/base_separable_conv.hpp"

#include "core/checked_int.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/convolutional/conv_utils.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

BaseSeparableConvImpl::BaseSeparableConvImpl(int rank, BaseSeparableConvOptions options,
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

void BaseSeparableConvImpl::build(const Shape& input_shape) {
  detail::check_rank(*this, input_shape, rank_ + 2);
  int ca = channel_axis(input_shape.rank());
  int64_t in_channels = detail::known_channels(*this, input_shape, ca);
  detail::check_conv_output_size(*this, input_shape, kernel_size_, strides_, dilation_rate_,
                                 padding_, data_format_);
  built_shape_ = input_shape;
  Shape dshape(kernel_size_.begin(), kernel_size_.end());
  dshape.push_back(in_channels);
  dshape.push_back(options_.depth_multiplier);
  Shape pshape(std::vector<int64_t>(static_cast<size_t>(rank_), 1));
  pshape.push_back(
      checked_int::mul(in_channels, options_.depth_multiplier,
                       class_name() + " '" + name() + "': in_channels * depth_multiplier"));
  pshape.push_back(options_.filters);
  depthwise_kernel_ = add_weight({.shape = dshape,
                                  .initializer = options_.depthwise_initializer,
                                  .regularizer = options_.depthwise_regularizer,
                                  .constraint = options_.depthwise_constraint,
                                  .name = "depthwise_kernel"});
  pointwise_kernel_ = add_weight({.shape = pshape,
                                  .initializer = options_.pointwise_initializer,
                                  .regularizer = options_.pointwise_regularizer,
                                  .constraint = options_.pointwise_constraint,
                                  .name = "pointwise_kernel"});
  if (options_.use_bias)
    bias_ = add_weight({.shape = {options_.filters},
                        .initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint,
                        .name = "bias"});
}

Tensor BaseSeparableConvImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_rank(*this, inputs.shape(), rank_ + 2);
  int ca = channel_axis(inputs.ndim());
  detail::check_axis(*this, inputs.shape(), ca, built_shape_[ca], built_shape_,
                     "the channel dimension");
  Tensor y = ops::separable_conv(inputs, depthwise_kernel_.value(), pointwise_kernel_.value(),
                                 {.strides = Ints(strides_),
                                  .padding = padding_,
                                  .data_format = data_format_,
                                  .dilation_rate = Ints(dilation_rate_)});
  if (options_.use_bias) y = detail::add_channel_bias(y, bias_.value(), data_format_);
  if (!options_.activation.is_linear()) y = options_.activation(y);
  return y;
}

KERAS_LAYER_FIELDS(BaseSeparableConv, BaseSeparableConvOptions,
                   fields::field("depth_multiplier", &BaseSeparableConvOptions::depth_multiplier),
                   fields::field("filters", &BaseSeparableConvOptions::filters),
                   fields::field("kernel_size", &BaseSeparableConvOptions::kernel_size),
                   fields::field("strides", &BaseSeparableConvOptions::strides),
                   fields::field("padding", &BaseSeparableConvOptions::padding),
                   fields::field("data_format", &BaseSeparableConvOptions::data_format),
                   fields::field("dilation_rate", &BaseSeparableConvOptions::dilation_rate),
                   fields::field("activation", &BaseSeparableConvOptions::activation),
                   fields::field("use_bias", &BaseSeparableConvOptions::use_bias),
                   fields::weight_args<BaseSeparableConvOptions>(
                       {KERAS_WEIGHT_ARGS(BaseSeparableConvOptions, depthwise),
                        KERAS_WEIGHT_ARGS(BaseSeparableConvOptions, pointwise),
                        KERAS_WEIGHT_ARGS(BaseSeparableConvOptions, bias)},
                       fields::Activity::kWritten),
                   fields::base<BaseSeparableConvOptions>());

Config BaseSeparableConvImpl::get_config() const {
  Config c = fields::write(BaseSeparableConv_fields(), options_);
  detail::write_conv_geometry(c, kernel_size_, strides_, padding_, data_format_, dilation_rate_);
  return merge(LayerImpl::get_config(), c);
}

BaseSeparableConvOptions separable_conv_options_from_config(const Config& c) {
  return fields::read(BaseSeparableConv_fields(), c);
}

KERAS_REGISTER_LAYER_FIELDS(SeparableConv1D, BaseSeparableConv_fields());
KERAS_REGISTER_LAYER_FIELDS(SeparableConv2D, BaseSeparableConv_fields());

}  // namespace keras::layers
