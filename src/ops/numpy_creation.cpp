// Creation ops: zeros, ones, full, *_like, arange, linspace, eye, tri, tril, triu
// (keras/src/ops/numpy.py and keras/src/backend/numpy/numpy.py for the dtype defaults).
#include <cmath>

#include "ops/elementwise_util.hpp"

namespace keras::ops {

using namespace detail;
using backend::BinaryOp;

namespace {

void check_shape(const char* op, const Shape& shape) {
  for (int64_t d : shape) {
    if (d == Shape::kNone)
      throw ValueError(op_name(op) + ": shape " + shape.to_string() +
                       " has unknown dimensions; creation ops need a fully defined shape");
    if (d < 0)
      throw ValueError(op_name(op) + ": negative dimensions are not allowed, got shape " +
                       shape.to_string());
  }
}

// A new handle (new identity) on y's data, so an op never returns its own input as its output.
Tensor fresh(const Tensor& y) {
  auto impl = std::make_shared<TensorImpl>(*y.impl());
  impl->id = TensorImpl::next_id();
  impl->weak = false;
  impl->trainable_variable = false;
  return Tensor(std::move(impl));
}

// fill_value broadcast to `shape` in `dtype` on `be`; the gradient flows back to fill_value.
Tensor fill(const char* op, Backend& be, const Shape& shape, const Tensor& value, DType dtype) {
  if (value.impl()->weak) return be.full(shape, dtype, value.impl()->scalar_value);
  Tensor v = prepare(value, be, dtype);
  Tensor y = v.shape() == shape ? v : be.broadcast_to(v, shape);
  if (y.impl() == value.impl()) y = fresh(y);
  if (autodiff::is_recording() && is_floating(dtype) && needs_grad(value)) {
    autodiff::record(op, {value}, {y}, [value](const std::vector<Tensor>& g) {
      return std::vector<Tensor>{unbroadcast(g[0], value.shape(), value.dtype())};
    });
  }
  return y;
}

void check_fill(const char* op, const Tensor& value, const Shape& shape) {
  require_defined(op, value, "fill_value");
  bool ok = value.ndim() <= shape.rank();
  if (ok) {
    int lead = shape.rank() - value.ndim();
    for (int i = 0; i < value.ndim(); ++i) {
      int64_t d = value.shape()[i], s = shape[lead + i];
      ok = ok && (d == 1 || d == s || d == Shape::kNone || s == Shape::kNone);
    }
  }
  if (!ok)
    throw ValueError(op_name(op) + ": fill_value of shape " + shape_str(value) +
                     " cannot be broadcast to shape " + shape.to_string());
}

// Every element (i, j) of the trailing (rows, cols) matrix compared as j - i <kind> k.
Tensor diagonal_mask(Backend& be, int64_t rows, int64_t cols, int64_t k, BinaryOp kind) {
  Tensor r = be.reshape(be.arange(0, 1, rows, DType::Int64), {rows, 1});
  Tensor c = be.reshape(be.arange(0, 1, cols, DType::Int64), {1, cols});
  Tensor diff = be.binary(BinaryOp::Subtract, c, r);
  return be.binary(kind, diff, be.full({}, DType::Int64, static_cast<double>(k)));
}

Tensor eye_impl(const char* op, int64_t N, std::optional<int64_t> M, int64_t k,
                std::optional<DType> dtype, BinaryOp kind) {
  int64_t cols = M.value_or(N);
  if (N < 0 || cols < 0)
    throw ValueError(op_name(op) + ": the number of rows and columns must be non-negative, got N=" +
                     std::to_string(N) + ", M=" + std::to_string(cols));
  Backend& be = backend::default_backend();
  return be.cast(diagonal_mask(be, N, cols, k, kind), dtype.value_or(config::floatx()));
}

Tensor triangle(const char* op, const Tensor& x, int64_t k, BinaryOp kind) {
  require_defined(op, x, "x");
  if (x.ndim() < 2)
    throw ValueError(op_name(op) + ": x must have at least 2 dimensions, got shape " +
                     shape_str(x));
  int64_t rows = x.shape()[x.ndim() - 2], cols = x.shape()[x.ndim() - 1];
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), x.dtype());
  Backend& be = x.backend();
  return where(diagonal_mask(be, rows, cols, k, kind), x, be.full({}, x.dtype(), 0));
}

}  // namespace

Tensor zeros(const Shape& shape, std::optional<DType> dtype) {
  check_shape("zeros", shape);
  return backend::default_backend().full(shape, dtype.value_or(config::floatx()), 0);
}

Tensor ones(const Shape& shape, std::optional<DType> dtype) {
  check_shape("ones", shape);
  return backend::default_backend().full(shape, dtype.value_or(config::floatx()), 1);
}

// Tensors are immutable, so an "uninitialized" tensor is a zero one.
Tensor empty(const Shape& shape, std::optional<DType> dtype) {
  check_shape("empty", shape);
  return backend::default_backend().full(shape, dtype.value_or(config::floatx()), 0);
}

// Keras: dtype defaults to floatx whatever the fill value (keras/src/backend/*/numpy.py: full).
Tensor full(const Shape& shape, const Tensor& fill_value, std::optional<DType> dtype) {
  check_shape("full", shape);
  check_fill("full", fill_value, shape);
  DType d = dtype.value_or(config::floatx());
  if (fill_value.is_symbolic()) return Tensor::symbolic(shape, d);
  Backend& be = pick_backend("full", {&fill_value});
  return fill("full", be, shape, fill_value, d);
}

namespace {
Tensor constant_like_shape(const char* op, const Tensor& x, double value,
                           std::optional<DType> dtype) {
  require_defined(op, x, "x");
  DType d = dtype.value_or(x.dtype());
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), d);
  return x.backend().full(x.shape(), d, value);
}
}  // namespace

Tensor zeros_like(const Tensor& x, std::optional<DType> dtype) {
  return constant_like_shape("zeros_like", x, 0, dtype);
}
Tensor ones_like(const Tensor& x, std::optional<DType> dtype) {
  return constant_like_shape("ones_like", x, 1, dtype);
}
Tensor empty_like(const Tensor& x, std::optional<DType> dtype) {
  return constant_like_shape("empty_like", x, 0, dtype);
}

Tensor full_like(const Tensor& x, const Tensor& fill_value, std::optional<DType> dtype) {
  require_defined("full_like", x, "x");
  check_fill("full_like", fill_value, x.shape());
  DType d = dtype.value_or(x.dtype());
  if (any_symbolic({&x, &fill_value})) return Tensor::symbolic(x.shape(), d);
  Backend& be = pick_backend("full_like", {&x, &fill_value});
  return fill("full_like", be, x.shape(), fill_value, d);
}

Tensor arange(const Tensor& start, const Tensor& stop, const Tensor& step,
              std::optional<DType> dtype) {
  require_defined("arange", start, "start");
  std::vector<Tensor> args;
  const char* names[] = {"start", "stop", "step"};
  const Tensor* given[] = {&start, &stop, &step};
  double values[] = {0, 0, 1};
  bool all_weak = true;
  for (int i = 0; i < 3; ++i) {
    const Tensor& t = *given[i];
    if (!t.defined()) continue;
    if (t.is_symbolic())
      throw ValueError(std::string("ops::arange: `") + names[i] +
                       "` is symbolic; arange needs concrete values to know its length");
    if (t.size() != 1)
      throw ValueError(std::string("ops::arange: `") + names[i] + "` must be a scalar, got shape " +
                       shape_str(t));
    values[i] = t.impl()->weak ? t.impl()->scalar_value : t.item<double>();
    all_weak = all_weak && t.impl()->weak;
    args.push_back(t);
  }
  if (!stop.defined()) values[1] = values[0], values[0] = 0;
  DType d;
  if (dtype) {
    d = *dtype;
  } else {
    d = promote(args);
    if (all_weak) d = result_type(d, d, true, true);  // a lone Python int is int32 (floatx-sized)
  }
  double lo = values[0], hi = values[1], dx = values[2];
  if (dx == 0) throw ValueError("ops::arange: `step` must not be zero");
  double count = std::ceil((hi - lo) / dx);
  if (!std::isfinite(count))
    throw ValueError("ops::arange: the length is not finite (start=" + std::to_string(lo) +
                     ", stop=" + std::to_string(hi) + ", step=" + std::to_string(dx) + ")");
  int64_t n = count > 0 ? static_cast<int64_t>(count) : 0;
  Backend& be = pick_backend("arange", args);
  return be.arange(lo, dx, n, d);
}

Tensor linspace(double start, double stop, LinspaceOptions options) {
  if (options.num < 0)
    throw ValueError("ops::linspace: `num` must be non-negative, got " +
                     std::to_string(options.num));
  normalize_axis(options.axis, 1, "ops::linspace", Shape{options.num});
  DType d = options.dtype.value_or(config::floatx());
  int64_t num = options.num;
  std::vector<double> v(static_cast<size_t>(num));
  int64_t div = options.endpoint ? num - 1 : num;
  double step = div > 0 ? (stop - start) / static_cast<double>(div) : 0.0;
  for (int64_t i = 0; i < num; ++i) v[i] = start + static_cast<double>(i) * step;
  if (options.endpoint && num > 1) v[num - 1] = stop;
  // NumPy (>= 2.0) floors the samples for integer dtypes.
  if (!is_floating(d) && !is_bool(d))
    for (double& x : v) x = std::floor(x);
  Backend& be = backend::default_backend();
  Tensor t = be.from_host(v.data(), {num}, DType::Float64);
  return d == DType::Float64 ? t : be.cast(t, d);
}

Tensor eye(int64_t N, std::optional<int64_t> M, int64_t k, std::optional<DType> dtype) {
  return eye_impl("eye", N, M, k, dtype, BinaryOp::Equal);
}

Tensor identity(int64_t n, std::optional<DType> dtype) {
  return eye_impl("identity", n, n, 0, dtype, BinaryOp::Equal);
}

Tensor tri(int64_t N, std::optional<int64_t> M, int64_t k, std::optional<DType> dtype) {
  return eye_impl("tri", N, M, k, dtype, BinaryOp::LessEqual);
}

Tensor tril(const Tensor& x, int64_t k) { return triangle("tril", x, k, BinaryOp::LessEqual); }
Tensor triu(const Tensor& x, int64_t k) { return triangle("triu", x, k, BinaryOp::GreaterEqual); }

}  // namespace keras::ops
