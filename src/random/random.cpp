// keras::random: normal, uniform, truncated_normal, randint (keras/src/random/random.py).
#include "keras/random/random.hpp"

#include <cmath>
#include <limits>

#include "keras/backend/backend.hpp"
#include "keras/core/config.hpp"
#include "random/sampling.hpp"

namespace keras::random {

namespace {

backend::Backend& backend_for(const std::string& name) {
  return name.empty() ? backend::default_backend() : backend::get_backend(name);
}

void check_shape(const char* op, const Shape& shape) {
  for (int64_t d : shape)
    if (d < 0)
      throw ValueError(std::string("random::") + op + ": shape " + shape.to_string() +
                       " must be fully defined with non-negative dimensions");
}

DType float_dtype(const char* op, std::optional<DType> dtype) {
  DType d = dtype.value_or(config::floatx());
  if (!is_floating(d))
    throw ValueError(std::string("random::") + op + " requires a floating point `dtype`. " +
                     "Received: dtype=" + std::string(dtype_name(d)));
  return d;
}

void check_finite(const char* op, const char* arg, double value) {
  if (!std::isfinite(value))
    throw ValueError(std::string("random::") + op + ": `" + arg +
                     "` must be finite. Received: " + arg + "=" + std::to_string(value));
}

// The representable range of an integer dtype, as int64 (uint64's top is clipped to int64's).
std::pair<int64_t, int64_t> int_range(DType dtype) {
  return visit_dtype(dtype, []<class T>() -> std::pair<int64_t, int64_t> {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      constexpr auto hi = std::numeric_limits<T>::max();
      int64_t top = static_cast<uint64_t>(hi) > static_cast<uint64_t>(INT64_MAX)
                        ? INT64_MAX
                        : static_cast<int64_t>(hi);
      return {static_cast<int64_t>(std::numeric_limits<T>::min()), top};
    } else {
      return {0, 0};
    }
  });
}

}  // namespace

Tensor normal(const Shape& shape, NormalOptions options) {
  check_shape("normal", shape);
  DType dtype = float_dtype("normal", options.dtype);
  check_finite("normal", "mean", options.mean);
  check_finite("normal", "stddev", options.stddev);
  backend::Backend& be = backend_for(options.backend);
  return detail::seeded(be, options.seed, "random.normal", [=](backend::Backend& b, auto key) {
    return detail::sample_normal(b, shape, dtype, options.mean, options.stddev, key);
  });
}

Tensor truncated_normal(const Shape& shape, NormalOptions options) {
  check_shape("truncated_normal", shape);
  DType dtype = float_dtype("truncated_normal", options.dtype);
  check_finite("truncated_normal", "mean", options.mean);
  check_finite("truncated_normal", "stddev", options.stddev);
  backend::Backend& be = backend_for(options.backend);
  return detail::seeded(
      be, options.seed, "random.truncated_normal", [=](backend::Backend& b, auto key) {
        return detail::sample_truncated_normal(b, shape, dtype, options.mean, options.stddev, key);
      });
}

Tensor uniform(const Shape& shape, UniformOptions options) {
  check_shape("uniform", shape);
  DType dtype = float_dtype("uniform", options.dtype);
  check_finite("uniform", "minval", options.minval);
  check_finite("uniform", "maxval", options.maxval);
  backend::Backend& be = backend_for(options.backend);
  return detail::seeded(be, options.seed, "random.uniform", [=](backend::Backend& b, auto key) {
    return detail::sample_uniform(b, shape, dtype, options.minval, options.maxval, key);
  });
}

Tensor randint(const Shape& shape, int64_t minval, int64_t maxval, RandintOptions options) {
  check_shape("randint", shape);
  if (!is_integer(options.dtype))
    throw ValueError("random::randint requires an integer `dtype`. Received: dtype=" +
                     std::string(dtype_name(options.dtype)));
  if (minval >= maxval)
    throw ValueError("random::randint: `minval` must be less than `maxval`. Received: minval=" +
                     std::to_string(minval) + ", maxval=" + std::to_string(maxval));
  auto [lo, hi] = int_range(options.dtype);
  if (minval < lo || maxval - 1 > hi)
    throw ValueError("random::randint: the range [" + std::to_string(minval) + ", " +
                     std::to_string(maxval) + ") does not fit in dtype " +
                     std::string(dtype_name(options.dtype)) + " ([" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "])");
  backend::Backend& be = backend_for(options.backend);
  return detail::seeded(be, options.seed, "random.randint", [=](backend::Backend& b, auto key) {
    return detail::sample_randint(b, shape, options.dtype, minval, maxval, key);
  });
}

}  // namespace keras::random
