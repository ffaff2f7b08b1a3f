#include "keras/layers/core/dense.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
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

Config DenseImpl::get_config() const {
  Config base = LayerImpl::get_config();
  Config c = Config::object();
  c["units"] = options_.units;
  c["activation"] = activations::serialize(options_.activation);
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = detail::serialize_ref(options_.kernel_initializer);
  c["bias_initializer"] = detail::serialize_ref(options_.bias_initializer);
  c["kernel_regularizer"] = detail::serialize_ref(options_.kernel_regularizer);
  c["bias_regularizer"] = detail::serialize_ref(options_.bias_regularizer);
  c["kernel_constraint"] = detail::serialize_ref(options_.kernel_constraint);
  c["bias_constraint"] = detail::serialize_ref(options_.bias_constraint);
  c["quantization_config"] = nullptr;
  return merge(base, c);
}

KERAS_REGISTER_LAYER(Dense, [](const Config& c) {
  DenseOptions o;
  o.units = detail::get_or<int64_t>(c, "units", 0);
  o.activation = detail::read_activation(c, "activation");
  o.use_bias = detail::get_or<bool>(c, "use_bias", true);
  o.kernel_initializer = detail::read_initializer(c, "kernel_initializer", "glorot_uniform");
  o.bias_initializer = detail::read_initializer(c, "bias_initializer", "zeros");
  o.kernel_regularizer = detail::read_regularizer(c, "kernel_regularizer");
  o.bias_regularizer = detail::read_regularizer(c, "bias_regularizer");
  o.kernel_constraint = detail::read_constraint(c, "kernel_constraint");
  o.bias_constraint = detail::read_constraint(c, "bias_constraint");
  detail::read_base(c, o);
  return std::make_shared<DenseImpl>(std::move(o));
});

}  // namespace keras::layers
