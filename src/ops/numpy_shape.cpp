// Shape ops: reshape, ravel, transpose, swapaxes, moveaxis, expand_dims, squeeze, broadcast_to,
// concatenate, append, stack, hstack, vstack, split, array_split (keras/src/ops/numpy.py).
#include <algorithm>
#include <numeric>

#include "core/checked_int.hpp"
#include "ops/numpy_shape_util.hpp"

namespace keras::ops {

using namespace detail;

namespace detail {

std::string ints_str(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

int64_t dims_product(const Shape& shape, int from, int to) {
  int64_t n = 1;
  for (int i = from; i < to; ++i) {
    if (shape[i] == Shape::kNone) return Shape::kNone;
    n = checked_int::mul(n, shape[i], "the number of elements of a tensor");
  }
  return n;
}

Tensor host_ints(backend::Backend& be, const std::vector<int64_t>& values) {
  return be.from_host(values.data(), Shape{static_cast<int64_t>(values.size())}, DType::Int64);
}

Tensor reshape_to(const char* op, const Tensor& x, const Shape& target) {
  if (x.is_symbolic()) return Tensor::symbolic(target, x.dtype());
  if (target == x.shape() && !x.impl()->weak) return x;
  Backend& be = x.backend();
  Tensor y = be.reshape(prepare(x, be, x.dtype()), target);
  Shape in = x.shape();
  record_unary(op, x, y, [in](const Tensor& g) { return reshape_to("reshape", g, in); });
  return y;
}

Tensor slice_axis(const Tensor& x, int axis, int64_t start, int64_t size) {
  std::vector<int64_t> starts(x.ndim(), 0);
  Shape shape = x.shape();
  starts[axis] = start;
  shape[axis] = size;
  return slice(x, starts, shape);
}

}  // namespace detail

namespace {

// The shape `newshape` means for x: one -1 is inferred from x's size (an unknown dim for a
// symbolic x with unknown dims), as NumPy does.
Shape resolve_reshape(const Shape& in, const Shape& newshape) {
  int infer = -1;
  int64_t known = 1;
  for (int i = 0; i < newshape.rank(); ++i) {
    if (newshape[i] == -1) {
      if (infer >= 0)
        throw ValueError(
            "ops::reshape: can only specify one unknown dimension (-1), got newshape " +
            ints_str(newshape));
      infer = i;
    } else if (newshape[i] < -1) {
      throw ValueError("ops::reshape: invalid dimension " + std::to_string(newshape[i]) +
                       " in newshape " + ints_str(newshape));
    } else {
      known *= newshape[i];
    }
  }
  if (!in.is_fully_defined()) return newshape;  // -1 stays unknown
  int64_t n = in.num_elements();
  Shape out = newshape;
  bool ok = infer >= 0 ? (known != 0 && n % known == 0) : known == n;
  if (!ok)
    throw ValueError("ops::reshape: cannot reshape a tensor of shape " + in.to_string() + " (" +
                     std::to_string(n) + " elements) into shape " + ints_str(newshape));
  if (infer >= 0) out[infer] = n / known;
  return out;
}

}  // namespace

Tensor reshape(const Tensor& x, const Shape& newshape) {
  require_defined("reshape", x, "x");
  return reshape_to("reshape", x, resolve_reshape(x.shape(), newshape));
}

Tensor ravel(const Tensor& x) {
  require_defined("ravel", x, "x");
  return reshape_to("ravel", x, Shape{dims_product(x.shape(), 0, x.ndim())});
}

Tensor transpose(const Tensor& x, const std::vector<int64_t>& axes) {
  require_defined("transpose", x, "x");
  int r = x.ndim();
  std::vector<int> perm(r);
  if (axes.empty()) {
    for (int i = 0; i < r; ++i) perm[i] = r - 1 - i;
  } else {
    if (static_cast<int>(axes.size()) != r)
      throw ValueError("ops::transpose: axes " + ints_str(axes) + " has " +
                       std::to_string(axes.size()) + " entries but x has rank " +
                       std::to_string(r) + " (shape " + shape_str(x) + ")");
    std::vector<bool> seen(r, false);
    for (int i = 0; i < r; ++i) {
      perm[i] = normalize_axis(axes[i], r, "ops::transpose", x.shape());
      if (seen[perm[i]])
        throw ValueError("ops::transpose: axes " + ints_str(axes) + " is not a permutation (axis " +
                         std::to_string(axes[i]) + " is repeated)");
      seen[perm[i]] = true;
    }
  }
  Shape out(r, 0);
  for (int i = 0; i < r; ++i) out[i] = x.shape()[perm[i]];
  if (x.is_symbolic()) return Tensor::symbolic(out, x.dtype());
  bool identity = true;
  for (int i = 0; i < r; ++i) identity = identity && perm[i] == i;
  if (identity) return x;
  Backend& be = x.backend();
  Tensor y = be.transpose(prepare(x, be, x.dtype()), perm);
  std::vector<int64_t> inverse(r);
  for (int i = 0; i < r; ++i) inverse[perm[i]] = i;
  record_unary("transpose", x, y, [inverse](const Tensor& g) { return transpose(g, inverse); });
  return y;
}

Tensor swapaxes(const Tensor& x, int64_t axis1, int64_t axis2) {
  require_defined("swapaxes", x, "x");
  int r = x.ndim();
  int a = normalize_axis(axis1, r, "ops::swapaxes", x.shape());
  int b = normalize_axis(axis2, r, "ops::swapaxes", x.shape());
  std::vector<int64_t> perm(r);
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[a], perm[b]);
  return transpose(x, perm);
}

Tensor moveaxis(const Tensor& x, const std::vector<int64_t>& source,
                const std::vector<int64_t>& destination) {
  require_defined("moveaxis", x, "x");
  if (source.size() != destination.size())
    throw ValueError("ops::moveaxis: source " + ints_str(source) + " and destination " +
                     ints_str(destination) + " must have the same number of elements");
  int r = x.ndim();
  Axis src_axes(source), dst_axes(destination);
  normalize_axes(src_axes, r, "moveaxis", x.shape());  // range and repetition checks
  normalize_axes(dst_axes, r, "moveaxis", x.shape());
  std::vector<std::pair<int, int>> moves;
  std::vector<bool> moved(r, false);
  for (size_t i = 0; i < source.size(); ++i) {
    int s = normalize_axis(source[i], r, "ops::moveaxis", x.shape());
    int d = normalize_axis(destination[i], r, "ops::moveaxis", x.shape());
    moves.emplace_back(d, s);
    moved[s] = true;
  }
  std::vector<int64_t> order;
  for (int i = 0; i < r; ++i)
    if (!moved[i]) order.push_back(i);
  std::sort(moves.begin(), moves.end());
  for (auto [d, s] : moves) order.insert(order.begin() + d, s);
  return transpose(x, order);
}

Tensor expand_dims(const Tensor& x, Axis axis) {
  require_defined("expand_dims", x, "x");
  if (axis.is_none()) throw ValueError("ops::expand_dims: axis is required");
  int out_rank = x.ndim() + static_cast<int>(axis.axes->size());
  Shape placeholder(out_rank, 1);
  std::vector<int> axes = normalize_axes(axis, out_rank, "expand_dims", placeholder);
  Shape out;
  int src = 0;
  for (int i = 0; i < out_rank; ++i) {
    if (std::binary_search(axes.begin(), axes.end(), i))
      out.push_back(1);
    else
      out.push_back(x.shape()[src++]);
  }
  return reshape_to("expand_dims", x, out);
}

Tensor squeeze(const Tensor& x, Axis axis) {
  require_defined("squeeze", x, "x");
  const Shape& s = x.shape();
  Shape out;
  if (axis.is_none()) {
    for (int64_t d : s)
      if (d != 1) out.push_back(d);
  } else {
    std::vector<int> axes = normalize_axes(axis, x.ndim(), "squeeze", s);
    for (int a : axes)
      if (s[a] != 1)
        throw ValueError("ops::squeeze: cannot squeeze axis " + std::to_string(a) +
                         " of a tensor of shape " + s.to_string() + ": its size is " +
                         (s[a] == Shape::kNone ? std::string("None") : std::to_string(s[a])) +
                         ", not 1");
    for (int i = 0; i < x.ndim(); ++i)
      if (!std::binary_search(axes.begin(), axes.end(), i)) out.push_back(s[i]);
  }
  return reshape_to("squeeze", x, out);
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  require_defined("broadcast_to", x, "x");
  const Shape& s = x.shape();
  int lead = shape.rank() - s.rank();
  bool ok = lead >= 0;
  for (int i = 0; ok && i < shape.rank(); ++i) {
    if (shape[i] < 0 && !(shape[i] == Shape::kNone && x.is_symbolic())) ok = false;
    if (ok && i >= lead) {
      int64_t d = s[i - lead];
      ok = d == 1 || d == shape[i] || d == Shape::kNone || shape[i] == Shape::kNone;
    }
  }
  if (!ok)
    throw ValueError("ops::broadcast_to: cannot broadcast a tensor of shape " + s.to_string() +
                     " to shape " + shape.to_string());
  if (x.is_symbolic()) return Tensor::symbolic(shape, x.dtype());
  if (shape == s && !x.impl()->weak) return x;
  Backend& be = x.backend();
  Tensor y = be.broadcast_to(prepare(x, be, x.dtype()), shape);
  DType dtype = x.dtype();
  record_unary("broadcast_to", x, y,
               [s, dtype](const Tensor& g) { return unbroadcast(g, s, dtype); });
  return y;
}

Tensor concatenate(const std::vector<Tensor>& xs, int64_t axis) {
  if (xs.empty()) throw ValueError("ops::concatenate: need at least one tensor to concatenate");
  for (size_t i = 0; i < xs.size(); ++i)
    require_defined("concatenate", xs[i], ("xs[" + std::to_string(i) + "]").c_str());
  int r = xs[0].ndim();
  if (r == 0)
    throw ValueError(
        "ops::concatenate: zero-dimensional tensors cannot be concatenated (input 0 "
        "has shape ())");
  for (size_t i = 1; i < xs.size(); ++i)
    if (xs[i].ndim() != r)
      throw ValueError(
          "ops::concatenate: all inputs must have the same rank, but input 0 has "
          "shape " +
          shape_str(xs[0]) + " and input " + std::to_string(i) + " has shape " + shape_str(xs[i]));
  int ax = normalize_axis(axis, r, "ops::concatenate", xs[0].shape());
  Shape out = xs[0].shape();
  int64_t total = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const Shape& s = xs[i].shape();
    for (int d = 0; d < r; ++d) {
      if (d == ax) continue;
      if (out[d] == Shape::kNone)
        out[d] = s[d];
      else if (s[d] != Shape::kNone && s[d] != out[d])
        throw ValueError(
            "ops::concatenate: all inputs must have the same shape except along axis " +
            std::to_string(ax) + ", but input 0 has shape " + shape_str(xs[0]) + " and input " +
            std::to_string(i) + " has shape " + s.to_string());
    }
    total = (total == Shape::kNone || s[ax] == Shape::kNone)
                ? Shape::kNone
                : checked_int::add(total, s[ax], "ops::concatenate");
  }
  out[ax] = total;
  DType dtype = promote(xs);
  if (any_symbolic(xs)) return Tensor::symbolic(out, dtype);
  Backend& be = pick_backend("concatenate", xs);
  std::vector<Tensor> prepared;
  for (const Tensor& x : xs) prepared.push_back(prepare(x, be, dtype));
  if (xs.size() == 1) return cast(xs[0], dtype);  // recorded, unlike a kernel cast
  Tensor y = be.concatenate(prepared, ax);
  bool floating = false;
  for (const Tensor& x : xs) floating = floating || is_floating(x.dtype());
  if (autodiff::is_recording() && floating && is_floating(dtype)) {
    autodiff::record("concatenate", xs, {y}, [xs, ax](const std::vector<Tensor>& g) {
      std::vector<Tensor> grads;
      int64_t offset = 0;
      for (const Tensor& x : xs) {
        int64_t n = x.shape()[ax];
        if (is_floating(x.dtype()))
          grads.push_back(cast(slice_axis(g[0], ax, offset, n), x.dtype()));
        else
          grads.emplace_back();
        offset += n;
      }
      return grads;
    });
  }
  return y;
}

Tensor append(const Tensor& x1, const Tensor& x2, std::optional<int64_t> axis) {
  require_defined("append", x1, "x1");
  require_defined("append", x2, "x2");
  if (!axis) return concatenate({ravel(x1), ravel(x2)}, 0);
  return concatenate({x1, x2}, *axis);
}

Tensor stack(const std::vector<Tensor>& xs, int64_t axis) {
  if (xs.empty()) throw ValueError("ops::stack: need at least one tensor to stack");
  for (size_t i = 0; i < xs.size(); ++i) {
    require_defined("stack", xs[i], ("xs[" + std::to_string(i) + "]").c_str());
    const Shape& a = xs[0].shape();
    const Shape& b = xs[i].shape();
    bool same = a.rank() == b.rank();
    for (int d = 0; same && d < a.rank(); ++d)
      same = a[d] == b[d] || a[d] == Shape::kNone || b[d] == Shape::kNone;
    if (!same)
      throw ValueError(
          "ops::stack: all input tensors must have the same shape, but input 0 has "
          "shape " +
          a.to_string() + " and input " + std::to_string(i) + " has shape " + b.to_string());
  }
  int r = xs[0].ndim() + 1;
  int ax = normalize_axis(axis, r, "ops::stack", xs[0].shape());
  std::vector<Tensor> expanded;
  for (const Tensor& x : xs) expanded.push_back(expand_dims(x, ax));
  return concatenate(expanded, ax);
}

Tensor hstack(const std::vector<Tensor>& xs) {
  if (xs.empty()) throw ValueError("ops::hstack: need at least one tensor to stack");
  std::vector<Tensor> ys;
  for (size_t i = 0; i < xs.size(); ++i) {
    require_defined("hstack", xs[i], ("xs[" + std::to_string(i) + "]").c_str());
    ys.push_back(xs[i].ndim() == 0 ? reshape(xs[i], {1}) : xs[i]);
  }
  return concatenate(ys, ys[0].ndim() == 1 ? 0 : 1);
}

Tensor vstack(const std::vector<Tensor>& xs) {
  if (xs.empty()) throw ValueError("ops::vstack: need at least one tensor to stack");
  std::vector<Tensor> ys;
  for (size_t i = 0; i < xs.size(); ++i) {
    require_defined("vstack", xs[i], ("xs[" + std::to_string(i) + "]").c_str());
    const Tensor& x = xs[i];
    if (x.ndim() == 0)
      ys.push_back(reshape(x, {1, 1}));
    else if (x.ndim() == 1)
      ys.push_back(reshape_to("vstack", x, Shape{1, x.shape()[0]}));
    else
      ys.push_back(x);
  }
  return concatenate(ys, 0);
}

namespace {

// Splits x along ax into [begins[i], ends[i]) pieces, recorded as one multi-output op whose VJP
// concatenates the pieces' gradients (or adds them back in place where pieces do not tile axis).
std::vector<Tensor> split_pieces(const char* op, const Tensor& x, int ax,
                                 const std::vector<int64_t>& begins,
                                 const std::vector<int64_t>& ends) {
  size_t n = begins.size();
  std::vector<Tensor> outs;
  const Shape& s = x.shape();
  if (x.is_symbolic()) {
    for (size_t i = 0; i < n; ++i) {
      Shape piece = s;
      piece[ax] = s[ax] == Shape::kNone ? Shape::kNone : ends[i] - begins[i];
      outs.push_back(Tensor::symbolic(piece, x.dtype()));
    }
    return outs;
  }
  Backend& be = x.backend();
  Tensor xp = prepare(x, be, x.dtype());
  std::vector<int64_t> step(s.rank(), 1);
  bool tiles = true;
  for (size_t i = 0; i < n; ++i) {
    std::vector<int64_t> start(s.rank(), 0);
    start[ax] = begins[i];
    Shape piece = s;
    piece[ax] = ends[i] - begins[i];
    outs.push_back(be.slice(xp, start, step, piece));
    tiles = tiles && begins[i] == (i == 0 ? 0 : ends[i - 1]);
  }
  tiles = tiles && n > 0 && ends[n - 1] == s[ax];
  if (autodiff::is_recording() && is_floating(x.dtype())) {
    autodiff::record(op, {x}, outs, [s, ax, begins, ends, tiles](const std::vector<Tensor>& g) {
      if (tiles) return std::vector<Tensor>{concatenate(g, ax)};
      Tensor total;
      for (size_t i = 0; i < g.size(); ++i) {
        std::vector<std::pair<int64_t, int64_t>> pads(s.rank(), {0, 0});
        pads[ax] = {begins[i], s[ax] - ends[i]};
        Tensor part = pad(g[i], pads);
        total = total.defined() ? add(total, part) : part;
      }
      return std::vector<Tensor>{total};
    });
  }
  return outs;
}

int split_axis(const char* op, const Tensor& x, int64_t axis) {
  if (x.ndim() == 0)
    throw ValueError(op_name(op) + ": cannot split a zero-dimensional tensor (shape ())");
  return normalize_axis(axis, x.ndim(), op_name(op).c_str(), x.shape());
}

}  // namespace

std::vector<Tensor> split(const Tensor& x, IndicesOrSections indices_or_sections, int64_t axis) {
  require_defined("split", x, "x");
  int ax = split_axis("split", x, axis);
  int64_t dim = x.shape()[ax];
  std::vector<int64_t> begins, ends;
  if (const int64_t* sections = std::get_if<int64_t>(&indices_or_sections)) {
    if (*sections <= 0)
      throw ValueError("ops::split: the number of sections must be larger than 0, got " +
                       std::to_string(*sections));
    if (dim != Shape::kNone && dim % *sections != 0)
      throw ValueError("ops::split: array split does not result in an equal division: axis " +
                       std::to_string(ax) + " of size " + std::to_string(dim) + " into " +
                       std::to_string(*sections) + " sections (shape " + shape_str(x) + ")");
    int64_t size = dim == Shape::kNone ? 0 : dim / *sections;
    for (int64_t i = 0; i < *sections; ++i) {
      begins.push_back(i * size);
      ends.push_back((i + 1) * size);
    }
  } else {
    const auto& indices = std::get<std::vector<int64_t>>(indices_or_sections);
    // Python slicing semantics: negative points count from the end, all are clamped, and a
    // piece whose end comes before its start is empty.
    auto clamp = [dim](int64_t i) {
      if (dim == Shape::kNone) return int64_t{0};
      if (i < 0) i += dim;
      return std::clamp<int64_t>(i, 0, dim);
    };
    int64_t prev = 0;
    for (size_t i = 0; i <= indices.size(); ++i) {
      int64_t end = i < indices.size() ? clamp(indices[i]) : (dim == Shape::kNone ? 0 : dim);
      begins.push_back(prev);
      ends.push_back(std::max(prev, end));
      prev = end;
    }
  }
  return split_pieces("split", x, ax, begins, ends);
}

std::vector<Tensor> array_split(const Tensor& x, int64_t sections, int64_t axis) {
  require_defined("array_split", x, "x");
  int ax = split_axis("array_split", x, axis);
  if (sections <= 0)
    throw ValueError("ops::array_split: the number of sections must be larger than 0, got " +
                     std::to_string(sections));
  int64_t dim = x.shape()[ax];
  std::vector<int64_t> begins, ends;
  int64_t base = dim == Shape::kNone ? 0 : dim / sections;
  int64_t extra = dim == Shape::kNone ? 0 : dim % sections;
  int64_t at = 0;
  for (int64_t i = 0; i < sections; ++i) {
    int64_t size = base + (i < extra ? 1 : 0);
    begins.push_back(at);
    ends.push_back(at + size);
    at += size;
  }
  return split_pieces("array_split", x, ax, begins, ends);
}

}  // namespace keras::ops
