#include "keras/layers/rnn/time_distributed.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

TimeDistributedImpl::TimeDistributedImpl(const Layer& layer, TimeDistributedOptions options)
    : LayerImpl(layer_options(options)), layer_(layer.ptr()) {
  if (!layer_)
    throw ValueError(
        "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` "
        "instance. Received an empty layer");
  track_layer("layer", layer_);
  set_supports_masking(true);  // the input mask passes through (Keras 3.15.1)
}

void TimeDistributedImpl::build(const Shape& input_shape) {
  if (input_shape.rank() < 3)
    throw ValueError(
        "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, "
        "received: " +
        input_shape.to_string());
  std::vector<int64_t> child(input_shape.begin(), input_shape.end());
  child.erase(child.begin() + 1);
  if (!layer_->built()) layer_->maybe_build({Shape(child)});
}

Tensor TimeDistributedImpl::call(const Tensor& inputs, const CallContext& context) {
  const Shape& shape = inputs.shape();
  if (shape.rank() < 3)
    throw ValueError(
        "`TimeDistributed` Layer should be passed an input with at least 3 dimensions, "
        "received: " +
        shape.to_string());
  const Tensor& mask = context.mask;
  if (mask.defined()) {
    const Shape& ms = mask.shape();
    if (ms.rank() < 2)
      throw ValueError(
          "The `mask` passed to the `TimeDistributed` layer must be at least 2D (e.g., "
          "`(batch_size, timesteps)`), but it has shape " +
          ms.to_string());
    if ((shape[0] >= 0 && ms[0] >= 0 && shape[0] != ms[0]) ||
        (shape[1] >= 0 && ms[1] >= 0 && shape[1] != ms[1]))
      throw ValueError("The `mask` passed to the `TimeDistributed` layer has a shape " +
                       ms.to_string() + " that is incompatible with the input shape " +
                       shape.to_string());
  }
  if (inputs.is_symbolic()) {
    std::vector<int64_t> child(shape.begin(), shape.end());
    child.erase(child.begin() + 1);
    Tensor y =
        layer_->call(std::vector<Tensor>{Tensor::symbolic(Shape(child), inputs.dtype())}, context)
            .at(0);
    std::vector<int64_t> out(y.shape().begin(), y.shape().end());
    out.insert(out.begin() + 1, shape[1]);
    return Tensor::symbolic(Shape(out), y.dtype());
  }
  std::vector<int64_t> perm(shape.rank());
  for (int i = 0; i < shape.rank(); ++i) perm[i] = i;
  std::swap(perm[0], perm[1]);
  std::vector<Tensor> steps = ops::unstack(ops::transpose(inputs, perm), 0);
  std::vector<Tensor> masks;
  if (mask.defined()) masks = ops::unstack(ops::swapaxes(mask, 0, 1), 0);
  std::vector<Tensor> outs;
  for (size_t t = 0; t < steps.size(); ++t) {
    CallContext step = context;
    step.mask = masks.empty() ? Tensor() : masks[t];
    step.masks = {step.mask};
    outs.push_back(layer_->call(std::vector<Tensor>{steps[t]}, step).at(0));
  }
  return ops::stack(outs, 1);
}

Config TimeDistributedImpl::get_config() const {
  Config c = Config::object();
  c["layer"] = serialize(*layer_);
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(TimeDistributed, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  if (!detail::has(c, "layer"))
    throw ValueError("TimeDistributed.from_config: the config has no `layer`");
  TimeDistributedOptions o;
  detail::read_base(c, o);
  return std::make_shared<TimeDistributedImpl>(Layer(deserialize(c["layer"])), std::move(o));
});

}  // namespace keras::layers
