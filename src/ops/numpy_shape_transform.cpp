// Shape transforms built from slices, broadcasts and gathers: tile, repeat, flip, fliplr, flipud,
// roll, rot90, diag, diagonal, trace, meshgrid (keras/src/ops/numpy.py).
#include <algorithm>

#include "core/checked_int.hpp"

#include "ops/numpy_shape_util.hpp"

namespace keras::ops {

using namespace detail;

Tensor tile(const Tensor& x, const std::vector<int64_t>& repeats) {
  require_defined("tile", x, "x");
  for (int64_t r : repeats)
    if (r < 0)
      throw ValueError("ops::tile: repeats " + ints_str(repeats) + " must be non-negative");
  int rank = std::max<int>(x.ndim(), static_cast<int>(repeats.size()));
  std::vector<int64_t> reps(rank - repeats.size(), 1);
  reps.insert(reps.end(), repeats.begin(), repeats.end());
  Shape xs(rank - x.ndim(), 1);
  xs.insert(xs.end(), x.shape().begin(), x.shape().end());
  Shape interleaved, target, out;
  for (int i = 0; i < rank; ++i) {
    interleaved.push_back(1);
    interleaved.push_back(xs[i]);
    target.push_back(reps[i]);
    target.push_back(xs[i]);
    out.push_back(xs[i] == Shape::kNone ? Shape::kNone
                                        : checked_int::mul(xs[i], reps[i], "ops::tile"));
  }
  if (x.is_symbolic()) return Tensor::symbolic(out, x.dtype());
  return reshape_to("tile", broadcast_to(reshape_to("tile", x, interleaved), target), out);
}

Tensor repeat(const Tensor& x, const Ints& repeats, std::optional<int64_t> axis) {
  require_defined("repeat", x, "x");
  Tensor xv = axis ? x : ravel(x);
  int ax = axis ? normalize_axis(*axis, x.ndim(), "ops::repeat", x.shape()) : 0;
  for (int64_t r : repeats)
    if (r < 0)
      throw ValueError("ops::repeat: repeats " + ints_str(repeats) + " must be non-negative");
  const Shape& s = xv.shape();
  int64_t n = s[ax];
  Shape out = s;
  if (repeats.size() == 1) {
    int64_t r = repeats[0];
    out[ax] = n == Shape::kNone ? Shape::kNone : checked_int::mul(n, r, "ops::repeat");
    if (xv.is_symbolic()) return Tensor::symbolic(out, x.dtype());
    Shape expanded = s, target = s;
    expanded.insert(expanded.begin() + ax + 1, 1);
    target.insert(target.begin() + ax + 1, r);
    return reshape_to("repeat", broadcast_to(reshape_to("repeat", xv, expanded), target), out);
  }
  if (n != Shape::kNone && static_cast<int64_t>(repeats.size()) != n)
    throw ValueError("ops::repeat: repeats has " + std::to_string(repeats.size()) +
                     " values but axis " + std::to_string(ax) + " has size " + std::to_string(n) +
                     " (shape " + s.to_string() + "); give one count or one per element");
  // The total first: the index list below has that many entries.
  int64_t total = 0;
  for (int64_t r : repeats) total = checked_int::add(total, r, "ops::repeat");
  out[ax] = total;
  if (xv.is_symbolic()) return Tensor::symbolic(out, x.dtype());
  std::vector<int64_t> index;
  for (size_t i = 0; i < repeats.size(); ++i) index.insert(index.end(), repeats[i], i);
  return take(xv, host_ints(xv.backend(), index), ax);
}

Tensor flip(const Tensor& x, Axis axis) {
  require_defined("flip", x, "x");
  std::vector<int> axes = normalize_axes(axis, x.ndim(), "flip", x.shape());
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), x.dtype());
  if (axes.empty()) return x;
  const Shape& s = x.shape();
  std::vector<int64_t> start(s.rank(), 0), step(s.rank(), 1);
  for (int a : axes)
    if (s[a] > 0) {
      start[a] = s[a] - 1;
      step[a] = -1;
    }
  Backend& be = x.backend();
  Tensor y = be.slice(prepare(x, be, x.dtype()), start, step, s);
  std::vector<int64_t> flipped(axes.begin(), axes.end());
  record_unary("flip", x, y, [flipped](const Tensor& g) { return flip(g, flipped); });
  return y;
}

Tensor fliplr(const Tensor& x) {
  require_defined("fliplr", x, "x");
  if (x.ndim() < 2)
    throw ValueError("ops::fliplr: x must be at least 2-D, got shape " + shape_str(x));
  return flip(x, 1);
}

Tensor flipud(const Tensor& x) {
  require_defined("flipud", x, "x");
  if (x.ndim() < 1)
    throw ValueError("ops::flipud: x must be at least 1-D, got shape " + shape_str(x));
  return flip(x, 0);
}

Tensor roll(const Tensor& x, const Ints& shift, Axis axis) {
  require_defined("roll", x, "x");
  if (axis.is_none()) {
    if (shift.size() != 1)
      throw ValueError("ops::roll: with axis None, shift must be one value, got " +
                       ints_str(shift));
    if (x.is_symbolic()) return Tensor::symbolic(x.shape(), x.dtype());
    return reshape_to("roll", roll(ravel(x), shift, 0), x.shape());
  }
  std::vector<int64_t> axes = *axis.axes, shifts = shift;
  if (shifts.size() == 1 && axes.size() > 1) shifts.assign(axes.size(), shift[0]);
  if (axes.size() == 1 && shifts.size() > 1) axes.assign(shifts.size(), axes[0]);
  if (axes.size() != shifts.size())
    throw ValueError("ops::roll: shift " + ints_str(shift) + " and axis " + ints_str(*axis.axes) +
                     " must have the same length (or one of them a single value)");
  std::vector<int64_t> total(x.ndim(), 0);
  for (size_t i = 0; i < axes.size(); ++i)
    total[normalize_axis(axes[i], x.ndim(), "ops::roll", x.shape())] += shifts[i];
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), x.dtype());
  Tensor y = x;
  for (int d = 0; d < x.ndim(); ++d) {
    int64_t n = x.shape()[d];
    if (n == 0) continue;
    int64_t s = ((total[d] % n) + n) % n;
    if (s == 0) continue;
    y = concatenate({slice_axis(y, d, n - s, s), slice_axis(y, d, 0, n - s)}, d);
  }
  return y;
}

Tensor rot90(const Tensor& x, int64_t k, std::pair<int64_t, int64_t> axes) {
  require_defined("rot90", x, "x");
  if (x.ndim() < 2)
    throw ValueError("ops::rot90: x must have at least 2 dimensions, got shape " + shape_str(x));
  int a0 = normalize_axis(axes.first, x.ndim(), "ops::rot90", x.shape());
  int a1 = normalize_axis(axes.second, x.ndim(), "ops::rot90", x.shape());
  if (a0 == a1)
    throw ValueError("ops::rot90: axes (" + std::to_string(axes.first) + ", " +
                     std::to_string(axes.second) + ") must be two different dimensions");
  k = ((k % 4) + 4) % 4;
  if (k == 0) return x;
  if (k == 2) return flip(x, {a0, a1});
  std::vector<int64_t> perm(x.ndim());
  for (int i = 0; i < x.ndim(); ++i) perm[i] = i;
  std::swap(perm[a0], perm[a1]);
  if (k == 1) return transpose(flip(x, a1), perm);
  return flip(transpose(x, perm), a1);
}

Tensor diagonal(const Tensor& x, int64_t offset, int64_t axis1, int64_t axis2) {
  require_defined("diagonal", x, "x");
  if (x.ndim() < 2)
    throw ValueError("ops::diagonal: x must have at least 2 dimensions, got shape " + shape_str(x));
  int a1 = normalize_axis(axis1, x.ndim(), "ops::diagonal", x.shape());
  int a2 = normalize_axis(axis2, x.ndim(), "ops::diagonal", x.shape());
  if (a1 == a2)
    throw ValueError("ops::diagonal: axis1 and axis2 cannot be the same (both " +
                     std::to_string(a1) + ")");
  std::vector<int64_t> perm;
  Shape out;
  for (int i = 0; i < x.ndim(); ++i)
    if (i != a1 && i != a2) {
      perm.push_back(i);
      out.push_back(x.shape()[i]);
    }
  perm.push_back(a1);
  perm.push_back(a2);
  int64_t n = x.shape()[a1], m = x.shape()[a2];
  int64_t len = Shape::kNone;
  if (n != Shape::kNone && m != Shape::kNone)
    len = std::max<int64_t>(0, offset >= 0 ? std::min(n, m - offset) : std::min(n + offset, m));
  out.push_back(len);
  if (x.is_symbolic()) return Tensor::symbolic(out, x.dtype());
  // The diagonal of an (n, m) block is every (m + 1)-th element of its flattening.
  Shape flat(out.begin(), out.end() - 1);
  flat.push_back(n * m);
  Tensor xf = reshape_to("diagonal", transpose(x, perm), flat);
  int64_t start = offset >= 0 ? offset : -offset * m;
  std::vector<int64_t> index;
  for (int64_t i = 0; i < len; ++i) index.push_back(start + i * (m + 1));
  return take(xf, host_ints(x.backend(), index), flat.rank() - 1);
}

Tensor trace(const Tensor& x, int64_t offset, int64_t axis1, int64_t axis2) {
  require_defined("trace", x, "x");
  return sum(diagonal(x, offset, axis1, axis2), {.axis = -1});  // sum widens small ints
}

Tensor diag(const Tensor& x, int64_t k) {
  require_defined("diag", x, "x");
  if (x.ndim() == 2) return diagonal(x, k);
  if (x.ndim() != 1) throw ValueError("ops::diag: x must be 1-D or 2-D, got shape " + shape_str(x));
  int64_t n = x.shape()[0];
  int64_t size = n == Shape::kNone ? Shape::kNone : n + (k < 0 ? -k : k);
  if (x.is_symbolic()) return Tensor::symbolic(Shape{size, size}, x.dtype());
  std::vector<uint8_t> mask(static_cast<size_t>(size * size), 0);
  for (int64_t i = 0; i < size; ++i) {
    int64_t j = i + k;
    if (j >= 0 && j < size) mask[i * size + j] = 1;
  }
  Backend& be = x.backend();
  Tensor cond = be.from_host(mask.data(), Shape{size, size}, DType::Bool);
  int64_t extra = k < 0 ? -k : k;
  Tensor padded = pad(x, {{0, extra}});
  // Row i holds x[i] (k >= 0: element (i, i + k)) or column j holds x[j] (k < 0).
  Tensor values = broadcast_to(reshape_to("diag", padded, k >= 0 ? Shape{size, 1} : Shape{1, size}),
                               Shape{size, size});
  return where(cond, values, be.full({}, x.dtype(), 0.0));
}

std::vector<Tensor> meshgrid(const std::vector<Tensor>& xs, const std::string& indexing) {
  if (indexing != "xy" && indexing != "ij")
    throw ValueError("ops::meshgrid: indexing must be \"xy\" or \"ij\", got \"" + indexing + "\"");
  size_t n = xs.size();
  std::vector<Tensor> flat;
  Shape shape;
  for (size_t i = 0; i < n; ++i) {
    require_defined("meshgrid", xs[i], ("xs[" + std::to_string(i) + "]").c_str());
    flat.push_back(ravel(xs[i]));
    shape.push_back(flat.back().shape()[0]);
  }
  bool xy = indexing == "xy" && n >= 2;
  if (xy) std::swap(shape[0], shape[1]);
  std::vector<Tensor> out;
  for (size_t i = 0; i < n; ++i) {
    Shape s(static_cast<int>(n), 1);
    size_t pos = xy && i < 2 ? 1 - i : i;
    s[pos] = flat[i].shape()[0];
    out.push_back(broadcast_to(reshape_to("meshgrid", flat[i], s), shape));
  }
  return out;
}

}  // namespace keras::ops
