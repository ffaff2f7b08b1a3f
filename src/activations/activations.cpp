// The activation functions (keras/src/activations/activations.py). Those keras::ops lacks
// (soft_shrink, sparse_plus, squareplus, tanh_shrink, hard_shrink, threshold, sparse_sigmoid,
// mish, sparsemax) are composed here from ops, following Keras's JAX backend, so their gradients
// come from the composition.
#include "keras/activations/activations.hpp"

#include "keras/ops/ops.hpp"

namespace keras::activations {

Tensor relu(const Tensor& x, ReluOptions o) {
  // Keras's ReLU.static_call, branch for branch.
  Tensor negative_part;
  if (o.negative_slope != 0.0) {
    if (!o.max_value && o.threshold == 0.0) return ops::leaky_relu(x, o.negative_slope);
    negative_part = o.threshold != 0.0 ? ops::relu(ops::add(ops::negative(x), Tensor(o.threshold)))
                                       : ops::relu(ops::negative(x));
  }
  bool clip_max = o.max_value.has_value();
  Tensor y;
  if (o.threshold != 0.0) {
    y = ops::where(ops::greater(x, ops::cast(Tensor(o.threshold), x.dtype())), x,
                   ops::zeros_like(x));
  } else if (o.max_value && *o.max_value == 6.0) {
    y = ops::relu6(x);
    clip_max = false;
  } else {
    y = ops::relu(x);
  }
  if (clip_max)
    y = ops::clip(y, ops::cast(Tensor(0.0), y.dtype()), ops::cast(Tensor(*o.max_value), y.dtype()));
  if (o.negative_slope != 0.0)
    y = ops::subtract(y, ops::multiply(Tensor(o.negative_slope), negative_part));
  return y;
}

Tensor leaky_relu(const Tensor& x, double negative_slope) {
  return ops::leaky_relu(x, negative_slope);
}
Tensor relu6(const Tensor& x) { return ops::relu6(x); }
Tensor softmax(const Tensor& x, int64_t axis) { return ops::softmax(x, axis); }
Tensor elu(const Tensor& x, double alpha) { return ops::elu(x, alpha); }
Tensor selu(const Tensor& x) { return ops::selu(x); }
Tensor softplus(const Tensor& x) { return ops::softplus(x); }
Tensor softsign(const Tensor& x) { return ops::softsign(x); }

Tensor soft_shrink(const Tensor& x, double threshold) {
  Tensor zero = ops::zeros_like(x);
  return ops::where(
      ops::greater(x, Tensor(threshold)), ops::subtract(x, Tensor(threshold)),
      ops::where(ops::less(x, Tensor(-threshold)), ops::add(x, Tensor(threshold)), zero));
}

Tensor sparse_plus(const Tensor& x) {
  Tensor quadratic = ops::divide(ops::square(ops::add(x, Tensor(1.0))), Tensor(4.0));
  return ops::where(
      ops::less_equal(x, Tensor(-1.0)), ops::zeros_like(quadratic),
      ops::where(ops::greater_equal(x, Tensor(1.0)), ops::cast(x, quadratic.dtype()), quadratic));
}

Tensor silu(const Tensor& x) { return ops::silu(x); }
Tensor swish(const Tensor& x) { return ops::silu(x); }

Tensor squareplus(const Tensor& x, double b) {
  return ops::divide(ops::add(x, ops::sqrt(ops::add(ops::square(x), Tensor(b)))), Tensor(2.0));
}

Tensor gelu(const Tensor& x, bool approximate) { return ops::gelu(x, approximate); }
Tensor celu(const Tensor& x, double alpha) { return ops::celu(x, alpha); }
Tensor glu(const Tensor& x, int64_t axis) { return ops::glu(x, axis); }
Tensor tanh(const Tensor& x) { return ops::tanh(x); }
Tensor tanh_shrink(const Tensor& x) { return ops::subtract(x, ops::tanh(x)); }
Tensor hard_tanh(const Tensor& x) { return ops::hard_tanh(x); }

Tensor hard_shrink(const Tensor& x, double threshold) {
  return ops::where(ops::greater(ops::absolute(x), Tensor(threshold)), x, ops::zeros_like(x));
}

Tensor threshold(const Tensor& x, double threshold, double default_value) {
  return ops::where(ops::greater(x, Tensor(threshold)), x,
                    ops::full_like(x, Tensor(default_value)));
}

Tensor sigmoid(const Tensor& x) { return ops::sigmoid(x); }
Tensor exponential(const Tensor& x) { return ops::exp(x); }
Tensor hard_sigmoid(const Tensor& x) { return ops::hard_sigmoid(x); }
Tensor log_sigmoid(const Tensor& x) { return ops::log_sigmoid(x); }

Tensor sparse_sigmoid(const Tensor& x) {
  return ops::multiply(Tensor(0.5), ops::clip(ops::add(x, Tensor(1.0)), Tensor(0.0), Tensor(2.0)));
}

Tensor hard_silu(const Tensor& x) { return ops::hard_silu(x); }
Tensor hard_swish(const Tensor& x) { return ops::hard_silu(x); }
Tensor linear(const Tensor& x) { return x; }

Tensor mish(const Tensor& x) { return ops::multiply(x, ops::tanh(ops::softplus(x))); }

Tensor log_softmax(const Tensor& x, int64_t axis) { return ops::log_softmax(x, axis); }

Tensor sparsemax(const Tensor& x, int64_t axis) {
  // Keras's backends: sort descending, find the support {k : 1 + k * z_(k) > cumsum_(k)},
  // tau = (sum of the support's sorted values - 1) / |support|, output max(x - tau, 0).
  // Keras <= 3.15 summed the support's *cumulative sums* (wrong whenever the support has more than
  // one element); we follow the fix merged upstream (keras-team/keras#23469).
  int ax = normalize_axis(axis, x.ndim(), "activations::sparsemax", x.shape());
  const Tensor& logits = x;
  Tensor sorted = ops::negative(ops::sort(ops::negative(logits), ax));
  Tensor cumsum = ops::cumsum(sorted, ax);
  int64_t n = x.shape()[static_cast<size_t>(ax)];
  Shape r_shape(std::vector<int64_t>(static_cast<size_t>(x.ndim()), 1));
  r_shape[static_cast<size_t>(ax)] = n;
  Tensor r =
      ops::reshape(ops::arange(Tensor(1), Tensor(n + 1), Tensor(1), sorted.dtype()), r_shape);
  Tensor support = ops::greater(
      ops::subtract(sorted, ops::divide(ops::subtract(cumsum, Tensor(1.0)), r)), Tensor(0.0));
  Tensor k = ops::sum(ops::cast(support, sorted.dtype()), {.axis = ax, .keepdims = true});
  Tensor sorted_safe = ops::where(support, sorted, ops::zeros_like(sorted));
  Tensor tau = ops::divide(
      ops::subtract(ops::sum(sorted_safe, {.axis = ax, .keepdims = true}), Tensor(1.0)), k);
  return ops::maximum(ops::subtract(logits, tau), Tensor(0.0));
}

}  // namespace keras::activations
