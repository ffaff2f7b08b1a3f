// keras::random ops on tensors: dropout, shuffle, categorical (keras/src/random/random.py; the
// semantics follow keras/src/backend/{jax,tensorflow,torch}/random.py).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "keras/autodiff/record.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"
#include "random/sampling.hpp"

namespace keras::random {

namespace {

void require_defined(const char* op, const Tensor& x, const char* arg) {
  if (!x.defined())
    throw ValueError(std::string("random::") + op + ": argument `" + arg +
                     "` is an undefined Tensor");
}

// noise_shape with kNone dims replaced by the input's; each dim must be 1 or the input's.
Shape concrete_noise_shape(const Shape& input, const std::optional<Shape>& noise_shape) {
  if (!noise_shape) return input;
  const Shape& ns = *noise_shape;
  if (ns.rank() != input.rank())
    throw ValueError("random::dropout: `noise_shape` " + ns.to_string() +
                     " must have the rank of " + "`inputs` (shape " + input.to_string() + ")");
  Shape out = ns;
  for (int i = 0; i < ns.rank(); ++i) {
    if (ns[i] == Shape::kNone) {
      out[i] = input[i];
    } else if (ns[i] < 0 || (ns[i] != 1 && input[i] != Shape::kNone && ns[i] != input[i])) {
      throw ValueError("random::dropout: `noise_shape` " + ns.to_string() +
                       " does not broadcast to the shape of `inputs` " + input.to_string() +
                       ": dimension " + std::to_string(i) + " must be 1, None or " +
                       std::to_string(input[i]));
    }
  }
  return out;
}

// x permuted along axis by `perm` (inverse `inv`); the VJP applies the inverse permutation, so it
// is itself differentiable.
Tensor permute(const Tensor& x, const Tensor& perm, const Tensor& inv, int axis) {
  Tensor y = x.backend().take(x, perm, axis);
  if (autodiff::is_recording() && is_floating(x.dtype())) {
    autodiff::record("shuffle", {x}, {y}, [perm, inv, axis](const std::vector<Tensor>& g) {
      return std::vector<Tensor>{permute(g[0], inv, perm, axis)};
    });
  }
  return y;
}

}  // namespace

Tensor dropout(const Tensor& inputs, double rate, DropoutOptions options) {
  require_defined("dropout", inputs, "inputs");
  // Keras's Dropout layer checks 0 <= rate <= 1; its backends special-case 0 and 1.
  if (!(rate >= 0.0 && rate <= 1.0))
    throw ValueError(
        "random::dropout: Invalid value received for argument `rate`. Expected a float value "
        "between 0 and 1. Received: rate=" +
        std::to_string(rate));
  if (!is_floating(inputs.dtype()))
    throw TypeError("random::dropout: `inputs` must be floating point. Received: dtype=" +
                    std::string(dtype_name(inputs.dtype())));
  Shape noise = concrete_noise_shape(inputs.shape(), options.noise_shape);
  if (inputs.is_symbolic()) return Tensor::symbolic(inputs.shape(), inputs.dtype());
  if (rate == 0.0) return inputs;
  if (rate == 1.0) return ops::zeros_like(inputs);

  const double keep_prob = 1.0 - rate;
  const DType dtype = inputs.dtype();
  Tensor mask =
      detail::seeded(inputs.backend(), options.seed, "random.dropout_mask",
                     [noise, dtype, keep_prob](backend::Backend& be, detail::PhiloxKey key) {
                       std::vector<double> u = detail::uniform_doubles(noise.num_elements(), key);
                       return visit_dtype(dtype, [&]<class T>() -> Tensor {
                         if constexpr (std::is_same_v<T, bool>) {
                           return Tensor();  // unreachable: inputs are floating
                         } else {
                           std::vector<T> host(u.size());
                           for (size_t i = 0; i < u.size(); ++i)
                             host[i] = static_cast<T>(u[i] < keep_prob ? 1 : 0);
                           return be.from_host(host.data(), noise, dtype);
                         }
                       });
                     });
  // Kept elements are inputs / keep_prob as in Keras (the division rounds the same way); the
  // multiply records the gradient, mask / keep_prob, for inputs.
  return ops::divide(ops::multiply(inputs, mask), keep_prob);
}

Tensor shuffle(const Tensor& x, ShuffleOptions options) {
  require_defined("shuffle", x, "x");
  if (x.ndim() == 0)
    throw ValueError("random::shuffle: `x` must have at least one dimension. Received: shape ()");
  int axis = normalize_axis(options.axis, x.ndim(), "random::shuffle", x.shape());
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), x.dtype());

  // Fisher-Yates: step k swaps position n-1-k with one drawn uniformly from [0, n-1-k], using the
  // Philox words of element k of this draw's stream.
  const int64_t n = x.shape()[axis];
  detail::Stream s{options.seed.draw()};
  std::vector<int64_t> perm(static_cast<size_t>(n));
  std::iota(perm.begin(), perm.end(), int64_t{0});
  for (int64_t k = 0; k + 1 < n; ++k) {
    int64_t i = n - 1 - k;
    detail::PhiloxCounter w = s.block(static_cast<uint64_t>(k / 2));
    uint64_t j = k % 2 == 0 ? detail::bounded(w[0], w[1], static_cast<uint64_t>(i) + 1)
                            : detail::bounded(w[2], w[3], static_cast<uint64_t>(i) + 1);
    std::swap(perm[static_cast<size_t>(i)], perm[j]);
  }
  std::vector<int64_t> inv(perm.size());
  for (size_t i = 0; i < perm.size(); ++i)
    inv[static_cast<size_t>(perm[i])] = static_cast<int64_t>(i);
  backend::Backend& be = x.backend();
  Tensor perm_t = be.from_host(perm.data(), Shape{n}, DType::Int64);
  Tensor inv_t = be.from_host(inv.data(), Shape{n}, DType::Int64);
  return permute(x, perm_t, inv_t, axis);
}

Tensor categorical(const Tensor& logits, int64_t num_samples, CategoricalOptions options) {
  require_defined("categorical", logits, "logits");
  if (logits.ndim() != 2)
    throw ValueError(
        "random::categorical: `logits` should be a 2-D tensor with shape [batch_size, "
        "num_classes]. Received: logits.shape=" +
        logits.shape().to_string());
  if (num_samples < 0)
    throw ValueError("random::categorical: `num_samples` must be non-negative. Received: " +
                     std::to_string(num_samples));
  if (!is_integer(options.dtype))
    throw ValueError("random::categorical requires an integer `dtype`. Received: dtype=" +
                     std::string(dtype_name(options.dtype)));
  const int64_t batch = logits.shape()[0], classes = logits.shape()[1];
  if (classes == 0)
    throw ValueError("random::categorical: `logits` has no classes (shape " +
                     logits.shape().to_string() + ")");
  if (logits.is_symbolic()) return Tensor::symbolic(Shape{batch, num_samples}, options.dtype);
  double dtype_max = visit_dtype(
      options.dtype, []<class T>() { return static_cast<double>(std::numeric_limits<T>::max()); });
  if (static_cast<double>(classes - 1) > dtype_max)
    throw ValueError("random::categorical: " + std::to_string(classes) +
                     " classes do not fit in dtype " + std::string(dtype_name(options.dtype)));

  // Inverse CDF of softmax(row) in double on the host: the same draw on every backend.
  std::vector<double> l = logits.to_vector<double>();
  std::vector<double> u = detail::uniform_doubles(batch * num_samples, options.seed.draw());
  std::vector<int64_t> out(u.size());
  std::vector<double> cdf(static_cast<size_t>(classes));
  for (int64_t r = 0; r < batch; ++r) {
    const double* row = l.data() + r * classes;
    double m = -std::numeric_limits<double>::infinity();
    for (int64_t c = 0; c < classes; ++c) {
      if (std::isnan(row[c]) || row[c] == std::numeric_limits<double>::infinity())
        throw ValueError("random::categorical: row " + std::to_string(r) +
                         " of `logits` contains NaN or +inf");
      m = std::max(m, row[c]);
    }
    if (m == -std::numeric_limits<double>::infinity())
      throw ValueError("random::categorical: row " + std::to_string(r) +
                       " of `logits` has no finite value (every class has probability 0)");
    double total = 0.0;
    int64_t last_positive = 0;
    for (int64_t c = 0; c < classes; ++c) {
      double p = std::exp(row[c] - m);
      if (p > 0.0) last_positive = c;
      total += p;
      cdf[static_cast<size_t>(c)] = total;
    }
    for (int64_t s = 0; s < num_samples; ++s) {
      double target = u[static_cast<size_t>(r * num_samples + s)] * total;
      auto it = std::upper_bound(cdf.begin(), cdf.end(), target);
      int64_t k = std::min<int64_t>(it - cdf.begin(), last_positive);
      out[static_cast<size_t>(r * num_samples + s)] = k;
    }
  }
  Tensor result = logits.backend().from_host(out.data(), Shape{batch, num_samples}, DType::Int64);
  return options.dtype == DType::Int64 ? result : logits.backend().cast(result, options.dtype);
}

}  // namespace keras::random
