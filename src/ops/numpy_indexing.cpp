// Indexing ops: take, take_along_axis, pad (keras/src/ops/numpy.py), and the differentiable
// adjoints of take/take_along_axis that their gradients use.
#include "ops/numpy_shape_util.hpp"

namespace keras::ops {

using namespace detail;
using backend::PadMode;

namespace detail {

Tensor take_adjoint(const Tensor& src, const Tensor& indices, const Shape& shape, int axis) {
  Backend& be = src.backend();
  Tensor y = be.index_add(be.full(shape, src.dtype(), 0.0), axis,
                          prepare(indices, be, indices.dtype()), src);
  record_unary("take_adjoint", src, y,
               [indices, axis](const Tensor& g) { return take(g, indices, axis); });
  return y;
}

Tensor take_along_axis_adjoint(const Tensor& src, const Tensor& indices, const Shape& shape,
                               int axis) {
  Backend& be = src.backend();
  Tensor y = be.scatter_add_along_axis(be.full(shape, src.dtype(), 0.0), axis,
                                       prepare(indices, be, indices.dtype()), src);
  record_unary("take_along_axis_adjoint", src, y,
               [indices, axis](const Tensor& g) { return take_along_axis(g, indices, axis); });
  return y;
}

}  // namespace detail

namespace {
void require_int_indices(const char* op, const Tensor& indices) {
  if (!is_integer(indices.dtype()))
    throw TypeError(op_name(op) + ": indices must be integers (int32 or int64), got " +
                    dtype_str(indices) + " (shape " + shape_str(indices) + ")");
}
}  // namespace

Tensor take(const Tensor& x, const Tensor& indices, std::optional<int64_t> axis) {
  require_defined("take", x, "x");
  require_defined("take", indices, "indices");
  require_int_indices("take", indices);
  Tensor xv = axis ? x : ravel(x);
  int ax = axis ? normalize_axis(*axis, x.ndim(), "ops::take", x.shape()) : 0;
  const Shape& s = xv.shape();
  Shape out(s.begin(), s.begin() + ax);
  out.insert(out.end(), indices.shape().begin(), indices.shape().end());
  out.insert(out.end(), s.begin() + ax + 1, s.end());
  if (any_symbolic({&xv, &indices})) return Tensor::symbolic(out, x.dtype());
  Backend& be = pick_backend("take", {&xv, &indices});
  Tensor idx = prepare(indices, be, indices.dtype());
  Tensor y = be.take(prepare(xv, be, xv.dtype()), idx, ax);
  record_unary("take", xv, y, [s, ax, idx](const Tensor& g) {
    Tensor flat_idx = ravel(idx);
    Shape src(s.begin(), s.begin() + ax);
    src.push_back(flat_idx.shape()[0]);
    src.insert(src.end(), s.begin() + ax + 1, s.end());
    return take_adjoint(reshape_to("take", g, src), flat_idx, s, ax);
  });
  return y;
}

Tensor take_along_axis(const Tensor& x, const Tensor& indices, std::optional<int64_t> axis) {
  require_defined("take_along_axis", x, "x");
  require_defined("take_along_axis", indices, "indices");
  require_int_indices("take_along_axis", indices);
  Tensor xv = x;
  int ax = 0;
  if (!axis) {
    if (indices.ndim() != 1)
      throw ValueError("ops::take_along_axis: with axis None, indices must be 1-D, got shape " +
                       shape_str(indices));
    xv = ravel(x);
  } else {
    ax = normalize_axis(*axis, x.ndim(), "ops::take_along_axis", x.shape());
    if (indices.ndim() != x.ndim())
      throw ValueError("ops::take_along_axis: indices of shape " + shape_str(indices) +
                       " must have the same rank as x of shape " + shape_str(x));
  }
  // The dims other than axis broadcast against each other (NumPy's fancy indexing).
  const Shape& xs = xv.shape();
  const Shape& is = indices.shape();
  Shape xb = xs, ib = is;
  for (int d = 0; d < xs.rank(); ++d) {
    if (d == ax) continue;
    int64_t a = xs[d], b = is[d], m;
    if (a == b || b == 1)
      m = a;
    else if (a == 1)
      m = b;
    else if (a == Shape::kNone || b == Shape::kNone)
      m = a == Shape::kNone ? b : a;
    else
      throw ValueError("ops::take_along_axis: indices of shape " + is.to_string() +
                       " do not broadcast against x of shape " + xs.to_string() + " outside axis " +
                       std::to_string(ax));
    xb[d] = ib[d] = m;
  }
  if (any_symbolic({&xv, &indices})) return Tensor::symbolic(ib, x.dtype());
  Tensor xx = broadcast_to(xv, xb);
  Tensor ii = broadcast_to(indices, ib);
  Backend& be = pick_backend("take_along_axis", {&xx, &ii});
  Tensor idx = prepare(ii, be, ii.dtype());
  Tensor y = be.take_along_axis(prepare(xx, be, xx.dtype()), idx, ax);
  record_unary("take_along_axis", xx, y,
               [xb, ax, idx](const Tensor& g) { return take_along_axis_adjoint(g, idx, xb, ax); });
  return y;
}

namespace {

// The gradient of reflect/symmetric padding: each padded strip, mirrored, is added back onto the
// elements it copied.
Tensor fold_padding(Tensor g, const Shape& shape,
                    const std::vector<std::pair<int64_t, int64_t>>& pads, bool reflect) {
  for (int d = 0; d < shape.rank(); ++d) {
    auto [b, a] = pads[d];
    int64_t n = shape[d];
    if (b == 0 && a == 0) continue;
    Tensor center = slice_axis(g, d, b, n);
    std::vector<std::pair<int64_t, int64_t>> widths(shape.rank(), {0, 0});
    if (b > 0) {
      widths[d] = reflect ? std::pair{int64_t{1}, n - 1 - b} : std::pair{int64_t{0}, n - b};
      center = add(center, pad(flip(slice_axis(g, d, 0, b), d), widths));
    }
    if (a > 0) {
      widths[d] = reflect ? std::pair{n - 1 - a, int64_t{1}} : std::pair{n - a, int64_t{0}};
      center = add(center, pad(flip(slice_axis(g, d, b + n, a), d), widths));
    }
    g = center;
  }
  return g;
}

}  // namespace

Tensor pad(const Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& pad_width,
           const std::string& mode, const Tensor& constant_values) {
  require_defined("pad", x, "x");
  int r = x.ndim();
  std::vector<std::pair<int64_t, int64_t>> pads = pad_width;
  if (pads.size() == 1 && r != 1) pads.assign(r, pad_width[0]);
  if (static_cast<int>(pads.size()) != r)
    throw ValueError("ops::pad: pad_width has " + std::to_string(pad_width.size()) +
                     " pairs but x has rank " + std::to_string(r) + " (shape " + shape_str(x) +
                     "); give one (before, after) pair per axis or a single pair");
  PadMode kind;
  if (mode == "constant")
    kind = PadMode::Constant;
  else if (mode == "reflect")
    kind = PadMode::Reflect;
  else if (mode == "symmetric")
    kind = PadMode::Symmetric;
  else
    throw ValueError("ops::pad: unsupported mode \"" + mode +
                     "\"; expected \"constant\", \"reflect\" or \"symmetric\"");
  if (constant_values.defined() && kind != PadMode::Constant)
    throw ValueError(
        "ops::pad: argument `constant_values` can only be provided when mode is "
        "\"constant\", got mode \"" +
        mode + "\"");
  Shape out = x.shape();
  for (int d = 0; d < r; ++d) {
    auto [b, a] = pads[d];
    if (b < 0 || a < 0)
      throw ValueError("ops::pad: negative padding (" + std::to_string(b) + ", " +
                       std::to_string(a) + ") for axis " + std::to_string(d));
    int64_t n = x.shape()[d];
    if (kind != PadMode::Constant && n != Shape::kNone && (b > 0 || a > 0)) {
      if (n == 0)
        throw ValueError("ops::pad: cannot " + mode + "-pad the empty axis " + std::to_string(d) +
                         " of shape " + shape_str(x));
      int64_t limit = kind == PadMode::Reflect ? n - 1 : n;
      if (b > limit || a > limit)
        throw NotImplementedError("ops::pad: " + mode + " padding (" + std::to_string(b) + ", " +
                                  std::to_string(a) + ") of axis " + std::to_string(d) + " (size " +
                                  std::to_string(n) + ") must be at most " + std::to_string(limit) +
                                  " (repeated mirroring is not supported)");
    }
    if (n != Shape::kNone) out[d] = n + b + a;
  }
  double value = 0.0;
  if (constant_values.defined()) {
    if (constant_values.is_symbolic() || constant_values.size() != 1)
      throw ValueError("ops::pad: constant_values must be a concrete scalar, got shape " +
                       shape_str(constant_values));
    value = constant_values.item<double>();
  }
  if (x.is_symbolic()) return Tensor::symbolic(out, x.dtype());
  Backend& be = x.backend();
  Tensor y = be.pad(prepare(x, be, x.dtype()), pads, kind, value);
  Shape xs = x.shape();
  record_unary("pad", x, y, [xs, pads, kind](const Tensor& g) {
    if (kind != PadMode::Constant) return fold_padding(g, xs, pads, kind == PadMode::Reflect);
    std::vector<int64_t> start;
    for (auto [b, a] : pads) start.push_back(b);
    return slice(g, start, xs);
  });
  return y;
}

}  // namespace keras::ops
