#include "keras/layers/activations/prelu.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_config_io.hpp"

namespace keras::layers {

PReLUImpl::PReLUImpl(PReLUOptions options)
    : LayerImpl(LayerOptions{
          .name = options.name, .dtype = options.dtype, .trainable = options.trainable}),
      options_(std::move(options)) {
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

Config PReLUImpl::get_config() const {
  using namespace config_io;
  Config c = Config::object();
  c["alpha_initializer"] = write(options_.alpha_initializer);
  c["alpha_regularizer"] = write(options_.alpha_regularizer);
  c["alpha_constraint"] = write(options_.alpha_constraint);
  c["shared_axes"] = options_.shared_axes ? write_ints(*options_.shared_axes) : Config(nullptr);
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(PReLU, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  using namespace config_io;
  PReLUOptions o;
  read_base(c, o);
  read(c, "alpha_initializer", o.alpha_initializer);
  read(c, "alpha_regularizer", o.alpha_regularizer);
  read(c, "alpha_constraint", o.alpha_constraint);
  if (c.contains("shared_axes") && !c["shared_axes"].is_null()) {
    if (c["shared_axes"].is_array())
      o.shared_axes = saving::config_ints(c["shared_axes"], "shared_axes");
    else
      o.shared_axes = std::vector<int64_t>{saving::config_int(c["shared_axes"], "shared_axes")};
  }
  return std::make_shared<PReLUImpl>(o);
});

}  // namespace keras::layers
