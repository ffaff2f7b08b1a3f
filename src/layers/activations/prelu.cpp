#include "keras/layers/activations/prelu.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

PReLUImpl::PReLUImpl(PReLUOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  set_supports_masking(true);
}

void PReLUImpl::build(const Shape& input_shape) {
  const int rank = input_shape.rank();
  if (rank < 2)
    throw ValueError("PReLU '" + name() +
                     "': expected an input of rank >= 2 (batch first), got "
                     "shape " +
                     input_shape.to_string());
  Shape param(input_shape.begin() + 1, input_shape.end());
  if (options_.shared_axes)
    for (int64_t a : *options_.shared_axes) {
      if (a < 1 || a >= rank)
        throw ValueError("PReLU '" + name() + "': shared axis " + std::to_string(a) +
                         " is out of range for input shape " + input_shape.to_string() +
                         " (shared axes count from 1, the first axis after the batch)");
      param[a - 1] = 1;
    }
  for (size_t i = 0; i < param.size(); ++i)
    if (param[i] < 0)
      throw ValueError("PReLU '" + name() + "': axis " + std::to_string(i + 1) +
                       " of the input shape " + input_shape.to_string() +
                       " is undefined; share alpha along it with `shared_axes`");
  built_shape_ = input_shape;
  alpha_ = add_weight({.shape = param,
                       .initializer = options_.alpha_initializer,
                       .regularizer = options_.alpha_regularizer,
                       .constraint = options_.alpha_constraint,
                       .name = "alpha"});
}

Tensor PReLUImpl::call(const Tensor& inputs, const CallContext&) {
  bool ok = inputs.ndim() == built_shape_.rank();
  for (int i = 1; ok && i < inputs.ndim(); ++i)
    if (alpha_.shape()[i - 1] != 1 && inputs.shape()[i] >= 0 &&
        inputs.shape()[i] != built_shape_[i])
      ok = false;
  if (!ok)
    throw ValueError("PReLU '" + name() + "': input shape " + inputs.shape().to_string() +
                     " is incompatible with the layer (built for input shape " +
                     built_shape_.to_string() + ")");
  Tensor pos = ops::relu(inputs);
  Tensor neg = -alpha_.value() * ops::relu(-inputs);
  return pos + neg;
}

KERAS_LAYER_CONFIG(PReLU, PReLUOptions, fields::lenient_base<PReLUOptions>(),
                   fields::initializers<PReLUOptions>({KERAS_WEIGHT_ARGS(PReLUOptions, alpha)},
                                                      /*keep_on_null=*/true),
                   fields::regularizers_constraints<PReLUOptions>({KERAS_WEIGHT_ARGS(PReLUOptions,
                                                                                     alpha)}),
                   fields::field("shared_axes", &PReLUOptions::shared_axes));

}  // namespace keras::layers
