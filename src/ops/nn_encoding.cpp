// Encoding ops: one_hot, multi_hot (keras/src/ops/nn.py, keras/src/backend/numpy/nn.py).
#include "ops/nn_internal.hpp"

namespace keras::ops {

using namespace detail;

namespace {

int one_hot_axis(const char* op, const Tensor& x, int64_t axis) {
  int out_rank = x.ndim() + 1;
  if (axis < -out_rank || axis >= out_rank)
    throw ValueError(op_name(op) + ": `axis` " + std::to_string(axis) +
                     " is out of bounds for the output of rank " + std::to_string(out_rank) +
                     " (x shape " + shape_str(x) + ")");
  return static_cast<int>(axis < 0 ? axis + out_rank : axis);
}

void check_classes(const char* op, int64_t num_classes) {
  if (num_classes <= 0)
    throw ValueError(op_name(op) + ": `num_classes` must be a positive integer, got " +
                     std::to_string(num_classes));
}

Shape one_hot_shape(const Shape& in, int64_t num_classes, int axis) {
  Shape out = in;
  out.insert(out.begin() + axis, num_classes);
  return out;
}

}  // namespace

Tensor one_hot(const Tensor& x, int64_t num_classes, int64_t axis, std::optional<DType> dtype) {
  require_defined("one_hot", x, "x");
  check_classes("one_hot", num_classes);
  int a = one_hot_axis("one_hot", x, axis);
  DType dt = dtype.value_or(config::floatx());
  Shape out = one_hot_shape(x.shape(), num_classes, a);
  if (x.is_symbolic()) return Tensor::symbolic(out, dt);
  // x[..., None] == arange(num_classes): an index outside [0, num_classes) (or a non-integer
  // float) matches nothing and gives a zero row, as in JAX and TensorFlow. Compared in a 64-bit
  // type so small integer dtypes cannot wrap.
  Backend& be = x.backend();
  DType cmp = is_floating(x.dtype()) ? DType::Float64 : DType::Int64;
  Tensor xi = prepare(x, be, cmp);
  Shape expanded = x.shape();
  expanded.push_back(1);
  Tensor hot = be.binary(backend::BinaryOp::Equal, be.reshape(xi, expanded),
                         be.arange(0.0, 1.0, num_classes, cmp));
  Tensor y = be.cast(hot, dt);
  if (a != x.ndim()) {
    std::vector<int> perm;
    for (int i = 0; i < x.ndim(); ++i) perm.push_back(i);
    perm.insert(perm.begin() + a, x.ndim());
    y = be.transpose(y, perm);
  }
  return y;
}

Tensor multi_hot(const Tensor& inputs, int64_t num_classes, int64_t axis,
                 std::optional<DType> dtype) {
  require_defined("multi_hot", inputs, "inputs");
  check_classes("multi_hot", num_classes);
  if (inputs.ndim() == 0)
    throw ValueError("ops::multi_hot: `inputs` must have rank >= 1, got a scalar");
  int a = one_hot_axis("multi_hot", inputs, axis);
  DType dt = dtype.value_or(config::floatx());
  // Keras reduces the one-hot encoding over axis 1 for batched inputs, axis 0 for a vector.
  int reduction = inputs.ndim() > 1 ? 1 : 0;
  Shape hot_shape = one_hot_shape(inputs.shape(), num_classes, a);
  Shape out = hot_shape;
  out.erase(out.begin() + reduction);
  if (inputs.is_symbolic()) return Tensor::symbolic(out, dt);
  Tensor hot = one_hot(cast(inputs, DType::Int32), num_classes, a, DType::Int32);
  Backend& be = hot.backend();
  const int axes[] = {reduction};
  if (hot.shape()[reduction] == 0) return be.full(out, dt, 0.0);
  return be.cast(be.reduce(backend::ReduceOp::Max, hot, axes, false), dt);
}

}  // namespace keras::ops
