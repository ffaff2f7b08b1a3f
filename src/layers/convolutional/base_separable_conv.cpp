#include "keras/layers/convolutional/base_separable_conv.hpp"

#include "core/checked_int.hpp"
#include "keras/layers/convolutional/separable_conv1d.hpp"
#include "keras/layers/convolutional/separable_conv2d.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
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

Config BaseSeparableConvImpl::get_config() const {
  Config c = Config::object();
  c["depth_multiplier"] = options_.depth_multiplier;
  c["filters"] = options_.filters;
  c["kernel_size"] = detail::ints_config(kernel_size_);
  c["strides"] = detail::ints_config(strides_);
  c["padding"] = padding_;
  c["data_format"] = data_format_;
  c["dilation_rate"] = detail::ints_config(dilation_rate_);
  c["activation"] = activations::serialize(options_.activation);
  c["use_bias"] = options_.use_bias;
  c["depthwise_initializer"] = detail::serialize_ref(options_.depthwise_initializer);
  c["pointwise_initializer"] = detail::serialize_ref(options_.pointwise_initializer);
  c["bias_initializer"] = detail::serialize_ref(options_.bias_initializer);
  c["depthwise_regularizer"] = detail::serialize_ref(options_.depthwise_regularizer);
  c["pointwise_regularizer"] = detail::serialize_ref(options_.pointwise_regularizer);
  c["bias_regularizer"] = detail::serialize_ref(options_.bias_regularizer);
  c["activity_regularizer"] = detail::serialize_ref(options_.activity_regularizer);
  c["depthwise_constraint"] = detail::serialize_ref(options_.depthwise_constraint);
  c["pointwise_constraint"] = detail::serialize_ref(options_.pointwise_constraint);
  c["bias_constraint"] = detail::serialize_ref(options_.bias_constraint);
  return merge(LayerImpl::get_config(), c);
}

BaseSeparableConvOptions separable_conv_options_from_config(const Config& c) {
  BaseSeparableConvOptions o;
  o.filters = detail::get_or<int64_t>(c, "filters", 0);
  o.kernel_size = detail::read_ints(c, "kernel_size", Ints());
  o.strides = detail::read_ints(c, "strides", 1);
  o.padding = detail::get_or<std::string>(c, "padding", "valid");
  o.data_format = detail::get_or<std::string>(c, "data_format", "");
  o.dilation_rate = detail::read_ints(c, "dilation_rate", 1);
  o.depth_multiplier = detail::get_or<int64_t>(c, "depth_multiplier", 1);
  o.activation = detail::read_activation(c, "activation");
  o.use_bias = detail::get_or<bool>(c, "use_bias", true);
  o.depthwise_initializer = detail::read_initializer(c, "depthwise_initializer", "glorot_uniform");
  o.pointwise_initializer = detail::read_initializer(c, "pointwise_initializer", "glorot_uniform");
  o.bias_initializer = detail::read_initializer(c, "bias_initializer", "zeros");
  o.depthwise_regularizer = detail::read_regularizer(c, "depthwise_regularizer");
  o.pointwise_regularizer = detail::read_regularizer(c, "pointwise_regularizer");
  o.bias_regularizer = detail::read_regularizer(c, "bias_regularizer");
  o.depthwise_constraint = detail::read_constraint(c, "depthwise_constraint");
  o.pointwise_constraint = detail::read_constraint(c, "pointwise_constraint");
  o.bias_constraint = detail::read_constraint(c, "bias_constraint");
  detail::read_base(c, o);
  return o;
}

KERAS_REGISTER_LAYER(SeparableConv1D, [](const Config& c) {
  return std::make_shared<SeparableConv1DImpl>(separable_conv_options_from_config(c));
});
KERAS_REGISTER_LAYER(SeparableConv2D, [](const Config& c) {
  return std::make_shared<SeparableConv2DImpl>(separable_conv_options_from_config(c));
});

}  // namespace keras::layers
