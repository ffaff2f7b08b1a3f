#include "keras/layers/core/dense.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

DenseImpl::DenseImpl(DenseOptions options)
    : LayerImpl(LayerOptions{.name = options.name,
                             .dtype = options.dtype,
                             .trainable = options.trainable,
                             .activity_regularizer = options.activity_regularizer}),
      options_(std::move(options)) {
  if (options_.units <= 0)
    throw ValueError("Dense: `units` must be a positive integer, got " +
                     std::to_string(options_.units));
  set_supports_masking(true);
}

void DenseImpl::build(const Shape& input_shape) {
  detail::check_min_rank(*this, input_shape, 2);
  int64_t input_dim = input_shape.back();
  if (input_dim < 0)
    throw ValueError(detail::layer_str(*this) +
                     ": the last dimension of the input must be known, got input shape " +
                     input_shape.to_string());
  built_shape_ = input_shape;
  kernel_ = add_weight({.shape = {input_dim, options_.units},
                        .initializer = options_.kernel_initializer,
                        .regularizer = options_.kernel_regularizer,
                        .constraint = options_.kernel_constraint,
                        .name = "kernel"});
  if (options_.use_bias)
    bias_ = add_weight({.shape = {options_.units},
                        .initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint,
                        .name = "bias"});
}

Tensor DenseImpl::call(const Tensor& inputs, const CallContext&) {
  detail::check_min_rank(*this, inputs.shape(), 2);
  detail::check_axis(*this, inputs.shape(), -1, kernel_.shape()[0], built_shape_);
  Tensor y = ops::matmul(inputs, kernel_.value());
  if (options_.use_bias) y = ops::add(y, bias_.value());
  if (!options_.activation.is_linear()) y = options_.activation(y);
  return y;
}

KERAS_LAYER_CONFIG(Dense, DenseOptions, fields::field("units", &DenseOptions::units),
                   fields::field("activation", &DenseOptions::activation),
                   fields::field("use_bias", &DenseOptions::use_bias),
                   fields::kernel_bias<DenseOptions>(),
                   fields::constant<DenseOptions>("quantization_config", nullptr),
                   fields::base<DenseOptions>());

}  // namespace keras::layers
