// Cross-entropy ops (keras/src/ops/nn.py). Probabilities are clipped to
// [epsilon, 1 - epsilon] with epsilon = keras::config::epsilon() as in Keras's backends; logits
// take the stable paths (log_softmax; log_sigmoid as JAX and TensorFlow do for binary logits).
#include "ops/nn_internal.hpp"

namespace keras::ops {

using namespace detail;

namespace {

void require_same_shape(const char* op, const Tensor& target, const Tensor& output) {
  const Shape& a = target.shape();
  const Shape& b = output.shape();
  bool same = a.rank() == b.rank();
  for (int i = 0; same && i < a.rank(); ++i)
    same = a[i] == b[i] || a[i] == Shape::kNone || b[i] == Shape::kNone;
  if (!same)
    throw ValueError(op_name(op) +
                     ": arguments `target` and `output` must have the same shape, got "
                     "target.shape=" +
                     shape_str(target) + ", output.shape=" + shape_str(output));
}

DType loss_dtype(const Tensor& target, const Tensor& output) {
  return float_result_type(promote(target, output));
}

// log(clip(p / sum(p), eps, 1 - eps)) along axis: Keras's probability path.
Tensor clipped_log_probs(const Tensor& output, int axis) {
  double eps = config::epsilon();
  Tensor p = output / sum(output, {.axis = axis, .keepdims = true});
  return log(clip(p, eps, 1.0 - eps));
}

}  // namespace

Tensor binary_crossentropy(const Tensor& target, const Tensor& output, bool from_logits) {
  const char* op = "binary_crossentropy";
  require_defined(op, target, "target");
  require_defined(op, output, "output");
  require_same_shape(op, target, output);
  DType dt = loss_dtype(target, output);
  if (any_symbolic({&target, &output})) return Tensor::symbolic(output.shape(), dt);
  Tensor t = cast(target, dt);
  Tensor o = cast(output, dt);
  if (from_logits) return -(t * log_sigmoid(o)) - (1.0 - t) * log_sigmoid(-o);
  double eps = config::epsilon();
  o = clip(o, eps, 1.0 - eps);
  return -(t * log(o) + (1.0 - t) * log(1.0 - o));
}

Tensor categorical_crossentropy(const Tensor& target, const Tensor& output, bool from_logits,
                                int64_t axis) {
  const char* op = "categorical_crossentropy";
  require_defined(op, target, "target");
  require_defined(op, output, "output");
  require_same_shape(op, target, output);
  if (output.ndim() < 1)
    throw ValueError(op_name(op) +
                     ": arguments `target` and `output` must be at least rank 1, got "
                     "target.shape=" +
                     shape_str(target) + ", output.shape=" + shape_str(output));
  int a = normalize_axis(axis, output.ndim(), "ops::categorical_crossentropy", output.shape());
  DType dt = loss_dtype(target, output);
  Shape out_shape = reduced_shape(output.shape(), {a}, false);
  if (any_symbolic({&target, &output})) return Tensor::symbolic(out_shape, dt);
  Tensor t = cast(target, dt);
  Tensor o = cast(output, dt);
  Tensor log_prob = from_logits ? log_softmax(o, a) : clipped_log_probs(o, a);
  return -sum(t * log_prob, {.axis = a});
}

Tensor sparse_categorical_crossentropy(const Tensor& target, const Tensor& output, bool from_logits,
                                       int64_t axis) {
  const char* op = "sparse_categorical_crossentropy";
  require_defined(op, target, "target");
  require_defined(op, output, "output");
  if (output.ndim() < 1)
    throw ValueError(op_name(op) + ": argument `output` must be at least rank 1, got shape " +
                     shape_str(output));
  int a =
      normalize_axis(axis, output.ndim(), "ops::sparse_categorical_crossentropy", output.shape());
  Shape expected = reduced_shape(output.shape(), {a}, false);
  // Labels of shape (batch, 1) are accepted for outputs (batch, classes), as in Keras.
  Tensor labels = target;
  if (target.ndim() == output.ndim() && target.ndim() > 0 && target.shape().back() == 1)
    labels = reshape(target, Shape(target.shape().begin(), target.shape().end() - 1));
  bool match = labels.ndim() == expected.rank();
  for (int i = 0; match && i < expected.rank(); ++i)
    match = labels.shape()[i] == expected[i] || labels.shape()[i] == Shape::kNone ||
            expected[i] == Shape::kNone;
  if (!match)
    throw ValueError(op_name(op) +
                     ": arguments `target` and `output` must have the same shape up until the "
                     "class axis, got target.shape=" +
                     shape_str(target) + ", output.shape=" + shape_str(output) + " (axis " +
                     std::to_string(axis) + ")");
  DType dt = float_result_type(output.dtype());
  if (any_symbolic({&labels, &output})) return Tensor::symbolic(expected, dt);
  Tensor o = cast(output, dt);
  Tensor log_prob = from_logits ? log_softmax(o, a) : clipped_log_probs(o, a);
  // An out-of-range label has an all-zero one-hot row, so its loss is 0 (as in JAX).
  Tensor hot = one_hot(cast(labels, DType::Int32), output.shape()[a], a, dt);
  return -sum(hot * log_prob, {.axis = a});
}

}  // namespace keras::ops
