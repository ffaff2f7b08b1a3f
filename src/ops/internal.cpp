#include "ops/internal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace keras::ops::detail {

void require_defined(const char* op, const Tensor& x, const char* arg) {
  if (!x.defined())
    throw ValueError(std::string("ops::") + op + ": argument `" + arg + "` is an undefined Tensor");
}

bool any_symbolic(std::initializer_list<const Tensor*> xs) {
  return std::any_of(xs.begin(), xs.end(), [](const Tensor* x) { return x->is_symbolic(); });
}
bool any_symbolic(const std::vector<Tensor>& xs) {
  return std::any_of(xs.begin(), xs.end(), [](const Tensor& x) { return x.is_symbolic(); });
}

namespace {
template <class Range, class Get>
Backend& pick(const char* op, const Range& xs, Get get) {
  Backend* strong = nullptr;
  Backend* weak = nullptr;
  for (const auto& item : xs) {
    const Tensor& x = get(item);
    if (!x.defined() || x.is_symbolic()) continue;
    Backend* be = &x.backend();
    if (x.impl()->weak) {
      if (!weak) weak = be;
      continue;
    }
    if (strong && strong != be)
      throw ValueError(std::string("ops::") + op + ": operands live on different backends (\"" +
                       std::string(strong->name()) + "\" and \"" + std::string(be->name()) +
                       "\"); move one with ops::convert_to_tensor(x, \"" +
                       std::string(strong->name()) + "\")");
    strong = be;
  }
  if (strong) return *strong;
  if (weak) return *weak;
  return backend::default_backend();
}
}  // namespace

Backend& pick_backend(const char* op, std::initializer_list<const Tensor*> xs) {
  return pick(op, xs, [](const Tensor* x) -> const Tensor& { return *x; });
}
Backend& pick_backend(const char* op, const std::vector<Tensor>& xs) {
  return pick(op, xs, [](const Tensor& x) -> const Tensor& { return x; });
}

namespace {
// The range of an integer dtype, as doubles.
std::pair<double, double> integer_range(DType dtype) {
  return visit_dtype(dtype, []<class T>() -> std::pair<double, double> {
    if constexpr (std::is_integral_v<T>)
      return {static_cast<double>(std::numeric_limits<T>::lowest()),
              static_cast<double>(std::numeric_limits<T>::max())};
    else
      return {-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  });
}
}  // namespace

Tensor prepare(const Tensor& x, Backend& be, DType dtype) {
  const TensorImpl& impl = *x.impl();
  if (impl.weak && (impl.backend != &be || impl.dtype != dtype)) {
    if (is_integer(dtype) || dtype == DType::Bool) {
      // A C++ integer that does not fit the other operand's integer dtype would wrap silently;
      // JAX raises an OverflowError here, so do we.
      auto [lo, hi] = integer_range(dtype);
      double v = impl.scalar_value;
      if (dtype != DType::Bool && (v < lo || v > hi || std::isnan(v)))
        throw ValueError("scalar " + std::to_string(v) + " is out of range for dtype " +
                         std::string(dtype_name(dtype)) +
                         "; cast the tensor to a wider dtype first");
    }
    return be.full({}, dtype, impl.scalar_value);
  }
  Tensor out = x;
  if (impl.backend != &be) {
    // Explicit moves only (pick_backend rejected mixed strong operands); this path is for weak
    // scalars, handled above, so reaching it means a caller bug.
    throw RuntimeError("ops: internal error: operand on backend \"" +
                       std::string(impl.backend->name()) + "\" reached a kernel of \"" +
                       std::string(be.name()) + "\"");
  }
  if (impl.dtype != dtype) out = be.cast(out, dtype);
  return out;
}

DType promote(const Tensor& a, const Tensor& b) {
  if (!a.defined() || !b.defined())
    throw ValueError("ops: an operand is an undefined Tensor (default-constructed)");
  return result_type(a.dtype(), b.dtype(), a.impl()->weak, b.impl()->weak);
}

DType promote(const std::vector<Tensor>& xs) {
  if (xs.empty()) return config::floatx();
  for (const Tensor& x : xs)
    if (!x.defined())
      throw ValueError("ops: an operand is an undefined Tensor (default-constructed)");
  DType d = xs[0].dtype();
  bool weak = xs[0].impl()->weak;
  for (size_t i = 1; i < xs.size(); ++i) {
    bool w = xs[i].impl()->weak;
    d = result_type(d, xs[i].dtype(), weak, w);
    weak = weak && w;
  }
  return d;
}

std::vector<int> normalize_axes(const Axis& axis, int rank, const char* op, const Shape& shape) {
  std::vector<int> out;
  if (axis.is_none()) {
    for (int i = 0; i < rank; ++i) out.push_back(i);
    return out;
  }
  std::string name = std::string("ops::") + op;
  for (int64_t a : *axis.axes) {
    int n = normalize_axis(a, rank, name.c_str(), shape);
    if (std::find(out.begin(), out.end(), n) != out.end())
      throw ValueError(name + ": axis " + std::to_string(a) + " is repeated in the axis list");
    out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Shape reduced_shape(const Shape& shape, const std::vector<int>& axes, bool keepdims) {
  Shape out;
  for (int i = 0; i < shape.rank(); ++i) {
    bool reduced = std::binary_search(axes.begin(), axes.end(), i);
    if (!reduced)
      out.push_back(shape[i]);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

Tensor unbroadcast(const Tensor& g, const Shape& shape, DType dtype) {
  Tensor out = g;
  if (g.shape() != shape) {
    int lead = g.ndim() - shape.rank();
    std::vector<int64_t> axes;
    for (int i = 0; i < g.ndim(); ++i)
      if (i < lead || (shape[i - lead] == 1 && g.shape()[i] != 1)) axes.push_back(i);
    out = ops::sum(out, {.axis = axes, .keepdims = true});
    if (lead > 0 || out.shape() != shape) out = ops::reshape(out, shape);
  }
  if (out.dtype() != dtype) out = ops::cast(out, dtype);
  return out;
}

Tensor unary(const char* op, backend::UnaryOp kind, const Tensor& x, DType compute_dtype,
             UnaryVjp vjp) {
  require_defined(op, x, "x");
  DType out_dtype = backend::unary_op_returns_bool(kind) ? DType::Bool : compute_dtype;
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), out_dtype);
  Backend& be = x.backend();
  Tensor y = be.unary(kind, prepare(x, be, compute_dtype));
  if (vjp && autodiff::is_recording() && is_floating(compute_dtype)) {
    autodiff::record(op, {x}, {y}, [x, y, vjp](const std::vector<Tensor>& g) {
      return std::vector<Tensor>{unbroadcast(vjp(x, y, g[0]), x.shape(), x.dtype())};
    });
  }
  return y;
}

Tensor unary_float(const char* op, backend::UnaryOp kind, const Tensor& x, UnaryVjp vjp) {
  require_defined(op, x, "x");
  return unary(op, kind, x, float_result_type(x.dtype()), vjp);
}

Tensor binary(const char* op, backend::BinaryOp kind, const Tensor& a, const Tensor& b,
              DType compute_dtype, BinaryVjp vjp) {
  require_defined(op, a, "x1");
  require_defined(op, b, "x2");
  std::string name = std::string("ops::") + op;
  Shape out_shape = broadcast_shapes(a.shape(), b.shape(), name.c_str());
  DType out_dtype = backend::binary_op_returns_bool(kind) ? DType::Bool : compute_dtype;
  if (any_symbolic({&a, &b})) return Tensor::symbolic(out_shape, out_dtype);
  Backend& be = pick_backend(op, {&a, &b});
  Tensor y = be.binary(kind, prepare(a, be, compute_dtype), prepare(b, be, compute_dtype));
  if (vjp && autodiff::is_recording() && is_floating(compute_dtype)) {
    autodiff::record(op, {a, b}, {y}, [a, b, y, vjp](const std::vector<Tensor>& g) {
      auto [ga, gb] = vjp(a, b, y, g[0]);
      return std::vector<Tensor>{ga.defined() ? unbroadcast(ga, a.shape(), a.dtype()) : Tensor(),
                                 gb.defined() ? unbroadcast(gb, b.shape(), b.dtype()) : Tensor()};
    });
  }
  return y;
}

}  // namespace keras::ops::detail
