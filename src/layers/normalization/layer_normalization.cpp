#include "keras/layers/normalization/layer_normalization.hpp"

#include <algorithm>

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/normalization/normalization_fields.hpp"

namespace keras::layers {

LayerNormalizationImpl::LayerNormalizationImpl(LayerNormalizationOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  if (options_.axis.empty())
    throw ValueError("LayerNormalization: `axis` must be an int or a non-empty list of ints");
  set_supports_masking(true);
}

std::string LayerNormalizationImpl::where() const { return "LayerNormalization '" + name() + "'"; }

void LayerNormalizationImpl::build(const Shape& input_shape) {
  const int rank = input_shape.rank();
  axes_.clear();
  for (int64_t a : options_.axis) {
    if (a >= rank || a < -rank)
      throw ValueError(where() + ": axis " + std::to_string(a) +
                       " is out of bounds for input shape " + input_shape.to_string() + ".");
    axes_.push_back(a < 0 ? a + rank : a);
  }
  std::sort(axes_.begin(), axes_.end());
  if (std::adjacent_find(axes_.begin(), axes_.end()) != axes_.end())
    throw ValueError(where() + ": duplicate axes are not allowed. Received: axis=" +
                     detail::ints_config(options_.axis).dump());
  Shape shape;
  for (int64_t a : axes_) {
    if (input_shape[a] < 0)
      throw ValueError(where() + ": axis " + std::to_string(a) +
                       " of the input should have a defined dimension, but the layer received an "
                       "input with shape " +
                       input_shape.to_string() + ".");
    shape.push_back(input_shape[a]);
  }
  input_shape_ = input_shape;
  if (options_.scale || options_.rms_scaling)
    gamma_ = add_weight({.shape = shape,
                         .initializer = options_.gamma_initializer,
                         .trainable = true,
                         .regularizer = options_.gamma_regularizer,
                         .constraint = options_.gamma_constraint,
                         .name = "gamma"});
  if (options_.center && !options_.rms_scaling)
    beta_ = add_weight({.shape = shape,
                        .initializer = options_.beta_initializer,
                        .trainable = true,
                        .regularizer = options_.beta_regularizer,
                        .constraint = options_.beta_constraint,
                        .name = "beta"});
}

Tensor LayerNormalizationImpl::call(const Tensor& inputs, const CallContext&) {
  const int rank = inputs.ndim();
  if (rank != input_shape_.rank())
    throw ValueError(where() + ": input has " + std::to_string(rank) + " dimensions " +
                     inputs.shape().to_string() + ", expected " +
                     std::to_string(input_shape_.rank()) +
                     " (the layer was built for input shape " + input_shape_.to_string() + ")");
  Shape bshape(std::vector<int64_t>(static_cast<size_t>(rank), 1));
  for (int64_t a : axes_) {
    int64_t d = inputs.shape()[a];
    if (d >= 0 && d != input_shape_[a])
      throw ValueError(where() + ": input shape " + inputs.shape().to_string() +
                       " does not match the shape the layer was built for, " +
                       input_shape_.to_string() + ", on axis " + std::to_string(a));
    bshape[a] = input_shape_[a];
  }
  DType original = inputs.dtype();
  DType cd = result_type(inputs.dtype(), DType::Float32);
  Tensor x = ops::cast(inputs, cd);
  auto bcast = [&](const Variable& v) { return ops::reshape(ops::cast(v.value(), cd), bshape); };
  Tensor out;
  if (options_.rms_scaling) {
    Tensor variance = ops::var(x, {.axis = axes_, .keepdims = true});
    out = x * ops::rsqrt(variance + options_.epsilon);
    if (gamma_.defined()) out = out * bcast(gamma_);
  } else {
    auto [mean, variance] = ops::moments(x, axes_, /*keepdims=*/true);
    Tensor inv = ops::rsqrt(variance + options_.epsilon);
    if (gamma_.defined()) inv = inv * bcast(gamma_);
    Tensor res = -(mean * inv);
    if (beta_.defined()) res = res + bcast(beta_);
    out = x * inv + res;
  }
  return ops::cast(ops::cast(out, original), compute_dtype());
}

KERAS_LAYER_CONFIG(LayerNormalization, LayerNormalizationOptions,
                   fields::lenient_base<LayerNormalizationOptions>(),
                   fields::field("axis", &LayerNormalizationOptions::axis),
                   fields::field("epsilon", &LayerNormalizationOptions::epsilon),
                   fields::field("center", &LayerNormalizationOptions::center),
                   fields::field("scale", &LayerNormalizationOptions::scale),
                   fields::field("rms_scaling", &LayerNormalizationOptions::rms_scaling),
                   fields::beta_gamma<LayerNormalizationOptions>());

}  // namespace keras::layers
