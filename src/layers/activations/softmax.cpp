#include "keras/layers/activations/activation_layers.hpp"

#include "keras/activations/activations.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

SoftmaxImpl::SoftmaxImpl(SoftmaxOptions options) : LayerWith(std::move(options)) {
  if (options_.axis.empty())
    throw ValueError("Softmax: `axis` must be an int or a non-empty list of ints");
  set_supports_masking(true);
}

Tensor SoftmaxImpl::call(const Tensor& inputs, const CallContext& context) {
  Tensor x = inputs;
  Tensor mask = context.mask;
  if (mask.defined()) {
    const Shape& ms = mask.shape();
    const Shape& xs = x.shape();
    if (ms.rank() > xs.rank())
      throw ValueError("Softmax '" + name() +
                       "': the `mask` must be broadcastable to `inputs` and "
                       "must not have more dimensions. Received: inputs.shape=" +
                       xs.to_string() + ", mask.shape=" + ms.to_string());
    for (int i = 1; i <= ms.rank(); ++i) {
      int64_t m = ms[ms.size() - i], d = xs[xs.size() - i];
      if (m >= 0 && d >= 0 && m != 1 && m != d)
        throw ValueError("Softmax '" + name() +
                         "': the `mask` must be broadcastable to `inputs`. "
                         "Each mask dimension must be 1 or match the corresponding input "
                         "dimension. Received: inputs.shape=" +
                         xs.to_string() + ", mask.shape=" + ms.to_string());
    }
    if (mask.dtype() != DType::Bool)
      mask = ops::greater(mask, ops::cast(Tensor(0.5), mask.dtype()));
    double large_negative = x.dtype() == DType::Float16 ? -30000.0 : -1e9;
    x = ops::where(mask, x, Tensor(large_negative));
  }
  Tensor out;
  if (options_.axis.size() > 1) {
    std::vector<int64_t> axes(options_.axis.begin(), options_.axis.end());
    out = ops::exp(x - ops::logsumexp(x, {.axis = axes, .keepdims = true}));
  } else {
    out = activations::softmax(x, options_.axis[0]);
  }
  if (mask.defined()) out = ops::where(mask, out, Tensor(0.0));
  return out;
}

KERAS_LAYER_CONFIG(Softmax, SoftmaxOptions, fields::lenient_base<SoftmaxOptions>(),
                   fields::field("axis", &SoftmaxOptions::axis, fields::IntOrIntsCodec{}));

}  // namespace keras::layers
