// keras.ops math ops (keras/src/ops/math.py): rsqrt, erf, erfinv, logsumexp, top_k, in_top_k,
// segment_sum, segment_max.
#include <cmath>
#include <limits>
#include <numbers>

#include "ops/elementwise_util.hpp"
#include "ops/internal.hpp"

namespace keras::ops {

using namespace detail;
using backend::UnaryOp;

Tensor rsqrt(const Tensor& x) {
  return unary_float(
      "rsqrt", UnaryOp::Rsqrt, x,
      [](const Tensor&, const Tensor& y, const Tensor& g) { return g * (-0.5 * y * y * y); });
}

Tensor erf(const Tensor& x) {
  return unary_float("erf", UnaryOp::Erf, x, [](const Tensor& x, const Tensor&, const Tensor& g) {
    return g * ((2.0 / std::sqrt(std::numbers::pi)) * exp(-square(x)));
  });
}

Tensor erfinv(const Tensor& x) {
  return unary_float("erfinv", UnaryOp::Erfinv, x,
                     [](const Tensor&, const Tensor& y, const Tensor& g) {
                       return g * ((std::sqrt(std::numbers::pi) / 2.0) * exp(square(y)));
                     });
}

Tensor logsumexp(const Tensor& x, ReduceOptions options) {
  require_defined("logsumexp", x, "x");
  std::vector<int> axes = normalize_axes(options.axis, x.ndim(), "logsumexp", x.shape());
  DType dt = float_result_type(x.dtype());
  Shape out_shape = reduced_shape(x.shape(), axes, options.keepdims);
  if (x.is_symbolic()) return Tensor::symbolic(out_shape, dt);
  std::vector<int64_t> ax(axes.begin(), axes.end());
  Tensor xf = cast(x, dt);
  int64_t count = 1;
  for (int a : axes) count *= x.shape()[a];
  if (count == 0) return full(out_shape, -std::numeric_limits<double>::infinity(), dt);
  // m + log(sum(exp(x - m))) with m the maximum, replaced by 0 where it is infinite so that rows
  // of -inf give -inf (not NaN) and rows with +inf give +inf, as scipy.special.logsumexp.
  Shape keep_shape = reduced_shape(x.shape(), axes, true);
  return composite(
      "logsumexp", {xf},
      [&](const std::vector<Tensor>& xs) {
        Tensor m = max(xs[0], {.axis = ax, .keepdims = true});
        m = where(isfinite(m), m, zeros_like(m));
        Tensor y = log(sum(exp(xs[0] - m), {.axis = ax, .keepdims = true})) + m;
        return options.keepdims ? y : reshape(y, out_shape);
      },
      [ax, keep_shape](const std::vector<Tensor>& xs, const Tensor& y, const Tensor& g) {
        // softmax(x) * g, with a zero gradient for rows that are all -inf.
        Tensor yk = reshape(y, keep_shape);
        Tensor w = where(isinf(yk) & (yk < 0.0), zeros_like(xs[0]), exp(xs[0] - yk));
        return std::vector<Tensor>{w * reshape(g, keep_shape)};
      });
}

std::pair<Tensor, Tensor> top_k(const Tensor& x, int64_t k, bool sorted) {
  require_defined("top_k", x, "x");
  if (x.ndim() < 1) throw ValueError("ops::top_k: `x` must have rank >= 1, got a scalar");
  int64_t n = x.shape().back();
  if (k < 0 || (n != Shape::kNone && k > n))
    throw ValueError("ops::top_k: `k` must be in [0, x.shape[-1]] = [0, " + std::to_string(n) +
                     "], got k=" + std::to_string(k) + " for x of shape " + shape_str(x));
  Shape out = x.shape();
  out.back() = k;
  if (x.is_symbolic())
    return {Tensor::symbolic(out, x.dtype()), Tensor::symbolic(out, DType::Int32)};
  // A stable descending sort: ties keep their original order (lower index first), as Keras's
  // stable top_k. The values are gathered with take_along_axis so they carry its gradient.
  Backend& be = x.backend();
  int axis = x.ndim() - 1;
  Tensor indices = be.sort(prepare(x, be, x.dtype()), axis, true).second;
  std::vector<int64_t> start(static_cast<size_t>(x.ndim()), 0), step(start.size(), 1);
  indices = be.slice(indices, start, step, out);
  (void)sorted;  // the values are always returned sorted, which Keras allows for sorted=false
  return {take_along_axis(x, indices, int64_t{-1}), indices};
}

Tensor in_top_k(const Tensor& targets, const Tensor& predictions, int64_t k) {
  require_defined("in_top_k", targets, "targets");
  require_defined("in_top_k", predictions, "predictions");
  if (predictions.ndim() < 1)
    throw ValueError("ops::in_top_k: `predictions` must have rank >= 1, got a scalar");
  Shape batch(predictions.shape().begin(), predictions.shape().end() - 1);
  bool match = targets.ndim() == batch.rank();
  for (int i = 0; match && i < batch.rank(); ++i)
    match = targets.shape()[i] == batch[i] || targets.shape()[i] == Shape::kNone ||
            batch[i] == Shape::kNone;
  if (!match)
    throw ValueError(
        "ops::in_top_k: `targets` must have the shape of `predictions` without its "
        "last axis, got targets.shape=" +
        shape_str(targets) + ", predictions.shape=" + shape_str(predictions));
  if (is_floating(targets.dtype()))
    throw TypeError("ops::in_top_k: `targets` must be integer class indices, got dtype " +
                    dtype_str(targets));
  if (any_symbolic({&targets, &predictions})) return Tensor::symbolic(targets.shape(), DType::Bool);
  // JAX's rule: the target is in the top k when fewer than k predictions are strictly greater
  // than its own (so ties at the boundary count as in). A NaN prediction for the target, or a
  // target outside [0, classes), is never in the top k.
  int64_t classes = predictions.shape().back();
  Tensor t = cast(targets, DType::Int32);
  Tensor valid = (t >= 0) & (t < classes);
  Tensor safe = where(valid, t, zeros_like(t));
  Tensor p = stop_gradient(predictions);
  Tensor at_label = take_along_axis(p, expand_dims(safe, -1), int64_t{-1});
  at_label = where(isnan(at_label), full_like(at_label, -std::numeric_limits<double>::infinity()),
                   at_label);
  Tensor greater_count = sum(cast(greater(p, at_label), DType::Int32), {.axis = -1});
  return logical_and(valid, less(greater_count, k));
}

namespace {

struct SegmentIds {
  Tensor ids;    // int32 (N, 1), invalid entries replaced by 0
  Tensor valid;  // bool (N,): 0 <= id < num_segments
  int64_t num_segments = 0;
};

// Checks the arguments; returns the output shape (num_segments may be unknown when symbolic).
Shape segment_shape(const char* op, const Tensor& data, const Tensor& segment_ids,
                    std::optional<int64_t> num_segments) {
  require_defined(op, data, "data");
  require_defined(op, segment_ids, "segment_ids");
  if (segment_ids.ndim() != 1)
    throw ValueError(op_name(op) + ": argument `segment_ids` must be a 1-D vector, got shape " +
                     shape_str(segment_ids) +
                     "; flatten data to (-1, *data.shape[k:]) and the ids to (-1,) first");
  if (data.ndim() < 1)
    throw ValueError(op_name(op) + ": argument `data` must have rank >= 1, got a scalar");
  int64_t a = segment_ids.shape()[0], b = data.shape()[0];
  if (a != Shape::kNone && b != Shape::kNone && a != b)
    throw ValueError(op_name(op) +
                     ": arguments `segment_ids` and `data` must have the same leading "
                     "dimension, got segment_ids.shape=" +
                     shape_str(segment_ids) + ", data.shape=" + shape_str(data));
  if (!is_integer(segment_ids.dtype()))
    throw TypeError(op_name(op) + ": argument `segment_ids` must be an integer tensor, got dtype " +
                    dtype_str(segment_ids));
  if (num_segments && *num_segments < 0)
    throw ValueError(op_name(op) + ": `num_segments` must be non-negative, got " +
                     std::to_string(*num_segments));
  Shape out = data.shape();
  out[0] = num_segments ? *num_segments : Shape::kNone;
  return out;
}

SegmentIds segment_ids_of(const Tensor& data, const Tensor& segment_ids,
                          std::optional<int64_t> num_segments) {
  SegmentIds s;
  Tensor ids = cast(segment_ids, DType::Int32);
  if (num_segments) {
    s.num_segments = *num_segments;
  } else {
    // Keras's numpy backend: max(segment_ids) + 1 (negative ids are ignored).
    std::vector<int64_t> host = segment_ids.to_vector<int64_t>();
    int64_t m = -1;
    for (int64_t v : host) m = std::max(m, v);
    s.num_segments = m + 1;
  }
  s.valid = (ids >= 0) & (ids < s.num_segments);
  s.ids = reshape(where(s.valid, ids, zeros_like(ids)), {ids.shape()[0], 1});
  return s;
}

// `valid` reshaped to broadcast against data's rows.
Tensor row_mask(const Tensor& valid, const Tensor& data) {
  Shape s{data.shape()[0]};
  for (int i = 1; i < data.ndim(); ++i) s.push_back(1);
  return reshape(valid, s);
}

// Scatter-reduces rows of data whose id is valid into a base of num_segments rows.
Tensor segment_scatter(const Tensor& data, const SegmentIds& s, backend::ScatterReduction red,
                       double init) {
  Backend& be = data.backend();
  Shape out = data.shape();
  out[0] = s.num_segments;
  Tensor base = be.full(out, data.dtype(), init);
  if (data.shape()[0] == 0 || s.num_segments == 0) return base;
  // Invalid rows are sent to segment 0 with the reduction's identity, which changes nothing.
  Tensor rows = where(row_mask(s.valid, data), data, full_like(data, init, data.dtype()));
  return be.scatter_nd(base, prepare(s.ids, be, DType::Int32), prepare(rows, be, data.dtype()),
                       red);
}

double lowest_of(DType dtype) {
  if (is_floating(dtype)) return -std::numeric_limits<double>::infinity();
  return visit_dtype(dtype, []<class T>() -> double {
    if constexpr (std::is_integral_v<T>)
      return static_cast<double>(std::numeric_limits<T>::lowest());
    else
      return 0.0;
  });
}

}  // namespace

Tensor segment_sum(const Tensor& data, const Tensor& segment_ids,
                   std::optional<int64_t> num_segments) {
  Shape out = segment_shape("segment_sum", data, segment_ids, num_segments);
  if (any_symbolic({&data, &segment_ids})) return Tensor::symbolic(out, data.dtype());
  SegmentIds s = segment_ids_of(data, segment_ids, num_segments);
  Tensor y = segment_scatter(data, s, backend::ScatterReduction::Add, 0.0);
  if (autodiff::is_recording() && is_floating(data.dtype())) {
    autodiff::record("segment_sum", {data}, {y}, [s, data](const std::vector<Tensor>& g) {
      Tensor rows = take(g[0], reshape(s.ids, {s.ids.shape()[0]}), int64_t{0});
      return std::vector<Tensor>{where(row_mask(s.valid, data), rows, zeros_like(rows))};
    });
  }
  return y;
}

Tensor segment_max(const Tensor& data, const Tensor& segment_ids,
                   std::optional<int64_t> num_segments) {
  Shape out = segment_shape("segment_max", data, segment_ids, num_segments);
  if (any_symbolic({&data, &segment_ids})) return Tensor::symbolic(out, data.dtype());
  SegmentIds s = segment_ids_of(data, segment_ids, num_segments);
  // Empty segments hold the identity of max: -inf for floats, the lowest value for integers.
  Tensor y = segment_scatter(data, s, backend::ScatterReduction::Max, lowest_of(data.dtype()));
  if (autodiff::is_recording() && is_floating(data.dtype())) {
    autodiff::record("segment_max", {data}, {y}, [s, data, y](const std::vector<Tensor>& g) {
      // Split equally between the rows that attain their segment's maximum (TensorFlow's rule).
      Tensor flat_ids = reshape(s.ids, {s.ids.shape()[0]});
      Tensor hit =
          cast(equal(data, take(y, flat_ids, int64_t{0})) & row_mask(s.valid, data), data.dtype());
      Tensor count = segment_sum(stop_gradient(hit), flat_ids, s.num_segments);
      Tensor share = g[0] / maximum(count, 1.0);
      return std::vector<Tensor>{hit * take(share, flat_ids, int64_t{0})};
    });
  }
  return y;
}

}  // namespace keras::ops
