#include "keras/layers/normalization/group_normalization.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/normalization/normalization_fields.hpp"

namespace keras::layers {

GroupNormalizationImpl::GroupNormalizationImpl(GroupNormalizationOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  if (options_.groups <= 0 && options_.groups != -1)
    throw ValueError(
        "GroupNormalization: received an invalid value for argument `groups`, "
        "expected a positive integer (or -1 for instance normalization). Received: "
        "groups=" +
        std::to_string(options_.groups));
  set_supports_masking(true);
}

std::string GroupNormalizationImpl::where() const { return "GroupNormalization '" + name() + "'"; }

void GroupNormalizationImpl::build(const Shape& input_shape) {
  rank_ = input_shape.rank();
  if (options_.axis >= rank_ || options_.axis < -rank_ || rank_ < 2)
    throw ValueError(where() + ": axis " + std::to_string(options_.axis) +
                     " is out of bounds for input shape " + input_shape.to_string() + ".");
  axis_ = static_cast<int>(options_.axis < 0 ? options_.axis + rank_ : options_.axis);
  if (axis_ == 0)
    throw ValueError(where() +
                     ": axis 0 is the batch axis; choose the channel axis. Received "
                     "input shape " +
                     input_shape.to_string());
  int64_t dim = input_shape[axis_];
  if (dim < 0)
    throw ValueError(where() + ": axis " + std::to_string(options_.axis) +
                     " of input tensor should have a defined dimension but the layer received an "
                     "input with shape " +
                     input_shape.to_string() + ".");
  if (options_.groups == -1) options_.groups = dim;  // Keras also writes the resolved value
  if (dim < options_.groups)
    throw ValueError(where() + ": number of groups (" + std::to_string(options_.groups) +
                     ") cannot be more than the number of channels (" + std::to_string(dim) + ").");
  if (dim % options_.groups != 0)
    throw ValueError(where() + ": number of groups (" + std::to_string(options_.groups) +
                     ") must be a multiple of the number of channels (" + std::to_string(dim) +
                     ").");
  if (options_.scale)
    gamma_ = add_weight({.shape = {dim},
                         .initializer = options_.gamma_initializer,
                         .regularizer = options_.gamma_regularizer,
                         .constraint = options_.gamma_constraint,
                         .name = "gamma"});
  if (options_.center)
    beta_ = add_weight({.shape = {dim},
                        .initializer = options_.beta_initializer,
                        .regularizer = options_.beta_regularizer,
                        .constraint = options_.beta_constraint,
                        .name = "beta"});
}

Tensor GroupNormalizationImpl::call(const Tensor& inputs, const CallContext&) {
  const Shape& built = build_shapes().at(0);
  if (inputs.ndim() != rank_ ||
      (inputs.shape()[axis_] >= 0 && inputs.shape()[axis_] != built[axis_]))
    throw ValueError(where() + ": input shape " + inputs.shape().to_string() +
                     " is incompatible with the layer (built for input shape " + built.to_string() +
                     ")");
  if (inputs.is_symbolic()) return Tensor::symbolic(inputs.shape(), compute_dtype());
  const int64_t groups = options_.groups;
  const int64_t dim = built[axis_];
  // (batch, ..., groups, dim / groups, ...)
  Shape grouped;
  for (int i = 0; i < rank_; ++i) {
    if (i == axis_) {
      grouped.push_back(groups);
      grouped.push_back(dim / groups);
    } else {
      grouped.push_back(inputs.shape()[i]);
    }
  }
  Shape bshape(std::vector<int64_t>(static_cast<size_t>(rank_ + 1), 1));
  bshape[axis_] = groups;
  bshape[axis_ + 1] = dim / groups;
  std::vector<int64_t> axes;
  for (int i = 1; i <= rank_; ++i)
    if (i != axis_) axes.push_back(i);

  DType original = inputs.dtype();
  DType cd = result_type(original, DType::Float32);
  Tensor x = ops::cast(ops::reshape(inputs, grouped), cd);
  auto [mean, variance] = ops::moments(x, axes, /*keepdims=*/true);
  Tensor inv = ops::rsqrt(variance + options_.epsilon);
  if (gamma_.defined()) inv = inv * ops::reshape(ops::cast(gamma_.value(), cd), bshape);
  Tensor res = -mean * inv;
  if (beta_.defined()) res = res + ops::reshape(ops::cast(beta_.value(), cd), bshape);
  Tensor out = ops::cast(x * inv + res, original);
  return ops::cast(ops::reshape(out, inputs.shape()), compute_dtype());
}

KERAS_LAYER_CONFIG(GroupNormalization, GroupNormalizationOptions,
                   fields::lenient_base<GroupNormalizationOptions>(),
                   fields::field("groups", &GroupNormalizationOptions::groups),
                   fields::field("axis", &GroupNormalizationOptions::axis),
                   fields::field("epsilon", &GroupNormalizationOptions::epsilon),
                   fields::field("center", &GroupNormalizationOptions::center),
                   fields::field("scale", &GroupNormalizationOptions::scale),
                   fields::beta_gamma<GroupNormalizationOptions>());

}  // namespace keras::layers
