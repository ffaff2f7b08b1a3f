// Normalization ops: batch_normalization, moments, normalize (keras/src/ops/nn.py). Written with
// other ops, so their gradients are composed.
#include <limits>

#include "ops/nn_internal.hpp"

namespace keras::ops {

using namespace detail;

namespace {

void check_vector(const char* arg, const Tensor& v, int64_t expected, const Tensor& x, int axis) {
  bool ok = v.ndim() == 1 &&
            (v.shape()[0] == expected || v.shape()[0] == Shape::kNone || expected == Shape::kNone);
  if (!ok)
    throw ValueError("ops::batch_normalization: argument `" + std::string(arg) +
                     "` must be a vector of length x.shape[axis] = " + std::to_string(expected) +
                     " (x shape " + shape_str(x) + ", axis " + std::to_string(axis) +
                     "), got shape " + shape_str(v));
}

}  // namespace

Tensor batch_normalization(const Tensor& x, const Tensor& mean, const Tensor& variance,
                           int64_t axis, const Tensor& offset, const Tensor& scale,
                           double epsilon) {
  const char* op = "batch_normalization";
  require_defined(op, x, "x");
  require_defined(op, mean, "mean");
  require_defined(op, variance, "variance");
  int a = normalize_axis(axis, x.ndim(), "ops::batch_normalization", x.shape());
  int64_t n = x.shape()[a];
  check_vector("mean", mean, n, x, a);
  check_vector("variance", variance, n, x, a);
  std::vector<Tensor> all{x, mean, variance};
  if (offset.defined()) {
    check_vector("offset", offset, n, x, a);
    all.push_back(offset);
  }
  if (scale.defined()) {
    check_vector("scale", scale, n, x, a);
    all.push_back(scale);
  }
  DType dt = float_result_type(promote(all));
  if (any_symbolic(all)) return Tensor::symbolic(x.shape(), dt);
  // Keras: inv = rsqrt(variance + epsilon) * scale; x * inv + (offset - mean * inv), with the
  // vectors reshaped to broadcast along `axis`.
  Shape bshape(std::vector<int64_t>(static_cast<size_t>(x.ndim()), 1));
  bshape[a] = n;
  auto vec = [&](const Tensor& v) { return reshape(cast(v, dt), bshape); };
  Tensor inv = rsqrt(vec(variance) + epsilon);
  if (scale.defined()) inv = inv * vec(scale);
  Tensor res = -(vec(mean) * inv);
  if (offset.defined()) res = res + vec(offset);
  return cast(x, dt) * inv + res;
}

std::pair<Tensor, Tensor> moments(const Tensor& x, const std::vector<int64_t>& axes,
                                  bool keepdims) {
  require_defined("moments", x, "x");
  std::vector<int> norm = normalize_axes(Axis(axes), x.ndim(), "moments", x.shape());
  DType out_dtype = float_result_type(x.dtype());
  Shape out_shape = reduced_shape(x.shape(), norm, keepdims);
  if (x.is_symbolic())
    return {Tensor::symbolic(out_shape, out_dtype), Tensor::symbolic(out_shape, out_dtype)};
  // float16 and bfloat16 statistics are computed in float32, as Keras does (their range is too
  // small for sums of squares), then clipped to float16's range and cast back.
  bool low_precision = out_dtype == DType::Float16 || out_dtype == DType::BFloat16;
  DType compute = low_precision ? DType::Float32 : out_dtype;
  Tensor xc = cast(x, compute);
  std::vector<int64_t> ax(norm.begin(), norm.end());
  Tensor m = mean(xc, {.axis = ax, .keepdims = true});
  // Two passes (mean of squared deviations), as JAX's var: stable for large means.
  Tensor v = mean(square(xc - m), {.axis = ax, .keepdims = true});
  if (!keepdims) {
    m = reshape(m, out_shape);
    v = reshape(v, out_shape);
  }
  if (low_precision) {
    constexpr double kF16Max = 65504.0;
    m = cast(clip(m, -kF16Max, kF16Max), out_dtype);
    v = cast(clip(v, -kF16Max, kF16Max), out_dtype);
  }
  return {m, v};
}

Tensor normalize(const Tensor& x, int64_t axis, int order, std::optional<double> epsilon) {
  require_defined("normalize", x, "x");
  if (order < 1)
    throw ValueError("ops::normalize: argument `order` must be an int >= 1, got order=" +
                     std::to_string(order));
  // A scalar is normalized as a vector of one element (Keras expands it).
  Tensor v = x.ndim() == 0 ? reshape(x, {1}) : x;
  int a = normalize_axis(axis, v.ndim(), "ops::normalize", v.shape());
  DType dt = float_result_type(v.dtype());
  if (v.is_symbolic()) return Tensor::symbolic(v.shape(), dt);
  double eps = epsilon ? *epsilon : config::epsilon();
  Tensor xf = cast(v, dt);
  if (order == 2) {
    // x * rsqrt(max(sum(x^2), eps^2)): the clamp keeps zero vectors' gradient finite.
    Tensor sq = sum(square(xf), {.axis = a, .keepdims = true});
    return xf * rsqrt(maximum(sq, eps * eps));
  }
  Tensor norm =
      order == 1
          ? sum(abs(xf), {.axis = a, .keepdims = true})
          : power(sum(power(abs(xf), static_cast<double>(order)), {.axis = a, .keepdims = true}),
                  1.0 / order);
  return xf / maximum(norm, eps);
}

}  // namespace keras::ops
