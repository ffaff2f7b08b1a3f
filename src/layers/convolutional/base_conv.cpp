#include "keras/layers/convolutional/base_conv.hpp"

#include "core/checked_int.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/convolutional/conv_utils.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

BaseConvImpl::BaseConvImpl(int rank, BaseConvOptions options, const std::string& where)
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
  detail::ConvGeometry g = detail::standardize_conv_geometry(options_, rank, where, rank == 1);
  kernel_size_ = std::move(g.kernel_size);
  strides_ = std::move(g.strides);
  dilation_rate_ = std::move(g.dilation_rate);
  padding_ = std::move(g.padding);
  data_format_ = std::move(g.data_format);
  if (options_.groups <= 0)
    throw ValueError(where + ": the number of groups must be a positive integer, got groups=" +
                     std::to_string(options_.groups));
  if (options_.filters % options_.groups != 0)
    throw ValueError(where +
                     ": the number of filters must be evenly divisible by the number of groups. "
                     "Received: groups=" +
                     std::to_string(options_.groups) +
                     ", filters=" + std::to_string(options_.filters));
  detail::check_strides_dilation(strides_, dilation_rate_, where);
}

void BaseConvImpl::build(const Shape& input_shape) {
  detail::check_rank(*this, input_shape, rank_ + 2);
  int ca = channel_axis(input_shape.rank());
  int64_t in_channels = detail::known_channels(*this, input_shape, ca);
  if (in_channels % options_.groups != 0)
    throw ValueError(detail::layer_str(*this) +
                     ": the number of input channels must be evenly divisible by "
                     "the number of groups. Received groups=" +
                     std::to_string(options_.groups) + ", but the input has " +
                     std::to_string(in_channels) + " channels (full input shape is " +
                     input_shape.to_string() + ")");
  detail::check_conv_output_size(*this, input_shape, kernel_size_, strides_, dilation_rate_,
                                 padding_, data_format_);
  built_shape_ = input_shape;
  Shape kshape(kernel_size_.begin(), kernel_size_.end());
  kshape.push_back(in_channels / options_.groups);
  kshape.push_back(options_.filters);
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

Tensor BaseConvImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_rank(*this, inputs.shape(), rank_ + 2);
  int ca = channel_axis(inputs.ndim());
  detail::check_axis(*this, inputs.shape(), ca, built_shape_[ca], built_shape_,
                     "the channel dimension");
  Tensor x = inputs;
  std::string padding = padding_;
  if (padding_ == "causal") {
    // Left padding of the time axis so each output sees only current and past inputs.
    int time_axis = data_format_ == "channels_last" ? 1 : 2;
    std::vector<std::pair<int64_t, int64_t>> pads(x.ndim(), {0, 0});
    pads[time_axis] = {
        checked_int::mul(dilation_rate_[0], kernel_size_[0] - 1,
                         [&] { return class_name() + " '" + name() + "': causal padding"; }),
        0};
    x = ops::pad(x, pads);
    padding = "valid";
  }
  Tensor y = ops::conv(x, kernel_.value(),
                       {.strides = Ints(strides_),
                        .padding = padding,
                        .data_format = data_format_,
                        .dilation_rate = Ints(dilation_rate_)});
  if (options_.use_bias) y = detail::add_channel_bias(y, bias_.value(), data_format_);
  if (!options_.activation.is_linear()) y = options_.activation(y);
  return y;
}

KERAS_LAYER_FIELDS(BaseConv, BaseConvOptions, fields::field("filters", &BaseConvOptions::filters),
                   fields::field("kernel_size", &BaseConvOptions::kernel_size),
                   fields::field("strides", &BaseConvOptions::strides),
                   fields::field("padding", &BaseConvOptions::padding),
                   fields::field("data_format", &BaseConvOptions::data_format),
                   fields::field("dilation_rate", &BaseConvOptions::dilation_rate),
                   fields::field("groups", &BaseConvOptions::groups),
                   fields::field("activation", &BaseConvOptions::activation),
                   fields::field("use_bias", &BaseConvOptions::use_bias),
                   fields::kernel_bias<BaseConvOptions>(fields::Activity::kWritten),
                   fields::base<BaseConvOptions>());

Config BaseConvImpl::get_config() const {
  Config c = fields::write(BaseConv_fields(), options_);
  detail::write_conv_geometry(c, kernel_size_, strides_, padding_, data_format_, dilation_rate_);
  return merge(LayerImpl::get_config(), c);
}

BaseConvOptions conv_options_from_config(const Config& c) {
  return fields::read(BaseConv_fields(), c);
}

KERAS_REGISTER_LAYER_FIELDS(Conv1D, BaseConv_fields());
KERAS_REGISTER_LAYER_FIELDS(Conv2D, BaseConv_fields());
KERAS_REGISTER_LAYER_FIELDS(Conv3D, BaseConv_fields());

}  // namespace keras::layers
