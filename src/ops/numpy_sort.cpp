// Sorting: sort and argsort, stable with NaN last (keras/src/ops/numpy.py), via Backend::sort.
#include "ops/numpy_shape_util.hpp"

namespace keras::ops {

using namespace detail;

Tensor sort(const Tensor& x, int64_t axis) {
  require_defined("sort", x, "x");
  int ax = normalize_axis(axis, x.ndim(), "ops::sort", x.shape());
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), x.dtype());
  Backend& be = x.backend();
  auto [values, indices] = be.sort(prepare(x, be, x.dtype()), ax, false);
  Shape xs = x.shape();
  // The adjoint of a permutation along axis: scatter each gradient back to where it came from.
  record_unary("sort", x, values, [indices = indices, xs, ax](const Tensor& g) {
    return take_along_axis_adjoint(g, indices, xs, ax);
  });
  return values;
}

Tensor argsort(const Tensor& x, int64_t axis) {
  require_defined("argsort", x, "x");
  // A 0-d input sorts as the flattened (1,) tensor, as jnp.argsort(x, axis=None) does in Keras.
  if (x.ndim() == 0) return argsort(reshape(x, {1}), 0);
  int ax = normalize_axis(axis, x.ndim(), "ops::argsort", x.shape());
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), DType::Int32);
  Backend& be = x.backend();
  return be.sort(prepare(x, be, x.dtype()), ax, false).second;
}

}  // namespace keras::ops
