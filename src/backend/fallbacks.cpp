// Default implementations of the optional fused kernels, written only with the Backend's own
// primitive kernels (pad, slice, reshape, transpose, concatenate, matmul, reduce, binary, where),
// so a new backend runs every op on day one. They favour clarity over speed: convolution is
// im2col + one (grouped) matmul, pooling reduces one strided slice per window offset, and every
// backward kernel scatters its pieces back by dilating and padding them.
#include <algorithm>
#include <limits>
#include <type_traits>

#include "keras/backend/backend.hpp"

namespace keras::backend {

namespace {

using Pads = std::vector<std::pair<int64_t, int64_t>>;

// Calls f(offset) for every multi-index in the box `sizes`, row-major (last index fastest): the
// order of the kernel's flattened spatial positions.
template <class F>
void for_each_offset(const std::vector<int64_t>& sizes, F f) {
  for (int64_t s : sizes)
    if (s <= 0) return;
  std::vector<int64_t> idx(sizes.size(), 0);
  while (true) {
    f(idx);
    int d = static_cast<int>(sizes.size()) - 1;
    for (; d >= 0; --d) {
      if (++idx[d] < sizes[d]) break;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

int64_t product(const std::vector<int64_t>& v) {
  int64_t p = 1;
  for (int64_t x : v) p *= x;
  return p;
}

// The geometry shared by the convolution and pooling kernels (channels_last, N spatial dims).
struct Window {
  int nd = 0;
  std::vector<int64_t> size;      // window extent per spatial dim (kernel or pool size)
  std::vector<int64_t> dilation;  // spacing of the window's taps
  std::vector<int64_t> strides;
  Pads padding;                 // (before, after) per spatial dim
  std::vector<int64_t> in;      // unpadded input spatial shape
  std::vector<int64_t> padded;  // padded input spatial shape
  std::vector<int64_t> out;     // output spatial shape

  Window(const Shape& x_shape, std::vector<int64_t> window, std::vector<int64_t> dil,
         std::vector<int64_t> str, Pads pads)
      : nd(x_shape.rank() - 2),
        size(std::move(window)),
        dilation(std::move(dil)),
        strides(std::move(str)),
        padding(std::move(pads)) {
    for (int i = 0; i < nd; ++i) {
      in.push_back(x_shape[1 + i]);
      padded.push_back(in[i] + padding[i].first + padding[i].second);
      int64_t extent = (size[i] - 1) * dilation[i] + 1;
      out.push_back(padded[i] >= extent ? (padded[i] - extent) / strides[i] + 1 : 0);
    }
  }
  bool has_padding() const {
    for (auto [a, b] : padding)
      if (a != 0 || b != 0) return true;
    return false;
  }
  // Full-rank (batch, *spatial, channels) pads for Backend::pad.
  Pads full_pads() const {
    Pads p{{0, 0}};
    p.insert(p.end(), padding.begin(), padding.end());
    p.push_back({0, 0});
    return p;
  }
  Shape out_shape(int64_t batch, int64_t channels) const {
    Shape s{batch};
    s.insert(s.end(), out.begin(), out.end());
    s.push_back(channels);
    return s;
  }
};

Tensor pad_input(Backend& b, const Tensor& x, const Window& w, double value) {
  if (!w.has_padding()) return x;
  Pads p = w.full_pads();
  return b.pad(x, p, PadMode::Constant, value);
}

// The strided slice of the padded input seen by window tap `offset`: (batch, *out, channels).
Tensor tap(Backend& b, const Tensor& xp, const Window& w, const std::vector<int64_t>& offset) {
  std::vector<int64_t> start{0}, step{1};
  for (int i = 0; i < w.nd; ++i) {
    start.push_back(offset[i] * w.dilation[i]);
    step.push_back(w.strides[i]);
  }
  start.push_back(0);
  step.push_back(1);
  return b.slice(xp, start, step, w.out_shape(xp.shape()[0], xp.shape().back()));
}

// The adjoint of tap(): a zero tensor of the padded input's shape with `piece` (batch, *out, C)
// written at the positions tap `offset` reads. Strides are undone by interleaving zeros
// (reshape to (.., n, 1, ..), pad the unit axis to the stride, merge), then the piece is padded
// into place.
Tensor untap(Backend& b, const Tensor& piece, const Window& w, const std::vector<int64_t>& offset) {
  const Shape& ps = piece.shape();
  const int64_t batch = ps[0], channels = ps.back();
  Tensor t = piece;
  bool strided = false;
  for (int i = 0; i < w.nd; ++i) strided = strided || (w.strides[i] > 1 && w.out[i] > 1);
  std::vector<int64_t> span(w.nd);
  for (int i = 0; i < w.nd; ++i) span[i] = w.out[i] > 0 ? (w.out[i] - 1) * w.strides[i] + 1 : 0;
  if (strided) {
    Shape split{batch};
    Pads pads{{0, 0}};
    Shape merged{batch};
    for (int i = 0; i < w.nd; ++i) {
      split.push_back(w.out[i]);
      split.push_back(1);
      pads.push_back({0, 0});
      pads.push_back({0, w.strides[i] - 1});
      merged.push_back(w.out[i] * w.strides[i]);
    }
    split.push_back(channels);
    pads.push_back({0, 0});
    merged.push_back(channels);
    t = b.reshape(b.pad(b.reshape(t, split), pads, PadMode::Constant, 0.0), merged);
    std::vector<int64_t> start(w.nd + 2, 0), step(w.nd + 2, 1);
    Shape cut{batch};
    cut.insert(cut.end(), span.begin(), span.end());
    cut.push_back(channels);
    t = b.slice(t, start, step, cut);
  }
  Pads place{{0, 0}};
  for (int i = 0; i < w.nd; ++i) {
    int64_t before = offset[i] * w.dilation[i];
    place.push_back({before, w.padded[i] - before - span[i]});
  }
  place.push_back({0, 0});
  return b.pad(t, place, PadMode::Constant, 0.0);
}

// Removes the padding from a tensor of the padded input's shape.
Tensor unpad(Backend& b, const Tensor& xp, const Window& w) {
  if (!w.has_padding()) return xp;
  std::vector<int64_t> start{0}, step(w.nd + 2, 1);
  Shape s{xp.shape()[0]};
  for (int i = 0; i < w.nd; ++i) {
    start.push_back(w.padding[i].first);
    s.push_back(w.in[i]);
  }
  start.push_back(0);
  s.push_back(xp.shape().back());
  return b.slice(xp, start, step, s);
}

// Sums the untapped pieces of every window offset; piece(offset) gives (batch, *out, C).
template <class PieceFn>
Tensor scatter_taps(Backend& b, const Window& w, const Shape& x_shape, DType dtype, PieceFn piece) {
  Shape padded{x_shape[0]};
  padded.insert(padded.end(), w.padded.begin(), w.padded.end());
  padded.push_back(x_shape.back());
  Tensor acc;
  for_each_offset(w.size, [&](const std::vector<int64_t>& off) {
    Tensor part = untap(b, piece(off), w, off);
    acc = acc.defined() ? b.binary(BinaryOp::Add, acc, part) : part;
  });
  if (!acc.defined()) acc = b.full(padded, dtype, 0.0);
  return unpad(b, acc, w);
}

Window conv_window(const Shape& x_shape, const Shape& kernel_shape, const ConvParams& p) {
  std::vector<int64_t> ks(kernel_shape.begin(), kernel_shape.end() - 2);
  return Window(x_shape, ks, p.dilation, p.strides, p.padding);
}

// im2col: (groups, batch * prod(out), K * in/groups), columns ordered (tap, channel) like the
// kernel's (*kernel_spatial, in/groups) dimensions.
Tensor patches(Backend& b, const Tensor& x, const Window& w, int64_t groups) {
  Tensor xp = pad_input(b, x, w, 0.0);
  std::vector<Tensor> taps;
  for_each_offset(w.size,
                  [&](const std::vector<int64_t>& off) { taps.push_back(tap(b, xp, w, off)); });
  const int64_t batch = x.shape()[0], c = x.shape().back(), k = product(w.size);
  const int64_t rows = batch * product(w.out), cg = c / groups;
  Tensor cols = b.concatenate(taps, w.nd + 1);  // (batch, *out, K * C)
  if (groups == 1) return b.reshape(cols, {1, rows, k * c});
  cols = b.reshape(cols, {rows, k, groups, cg});
  const int perm[] = {2, 0, 1, 3};
  return b.reshape(b.transpose(cols, perm), {groups, rows, k * cg});
}

// The kernel as (groups, K * in/groups, out/groups).
Tensor grouped_kernel(Backend& b, const Tensor& kernel, int64_t groups) {
  const Shape& s = kernel.shape();
  const int64_t cg = s[s.rank() - 2], o = s.back(), og = o / groups;
  const int64_t k = kernel.size() / (cg * o);
  if (groups == 1) return b.reshape(kernel, {1, k * cg, o});
  Tensor t = b.reshape(kernel, {k, cg, groups, og});
  const int perm[] = {2, 0, 1, 3};
  return b.reshape(b.transpose(t, perm), {groups, k * cg, og});
}

// (batch, *out, out_channels) -> (groups, rows, out/groups).
Tensor grouped_grad(Backend& b, const Tensor& grad, int64_t groups) {
  const int64_t o = grad.shape().back(), rows = grad.size() / std::max<int64_t>(o, 1);
  if (groups == 1) return b.reshape(grad, {1, rows, o});
  Tensor t = b.reshape(grad, {rows, groups, o / groups});
  const int perm[] = {1, 0, 2};
  return b.transpose(t, perm);
}

Tensor max_pool_init(Backend& b, const Tensor& x, const Window& w) {
  DType dt = x.dtype();
  double lowest = -std::numeric_limits<double>::infinity();
  if (is_integer(dt) || is_bool(dt)) {
    lowest = visit_dtype(dt, []<class T>() {
      if constexpr (std::is_same_v<T, bool>)
        return 0.0;
      else if constexpr (std::is_integral_v<T>)
        return static_cast<double>(std::numeric_limits<T>::lowest());
      else
        return 0.0;
    });
  }
  return pad_input(b, x, w, lowest);
}

Window pool_window(const Shape& x_shape, const PoolParams& p) {
  return Window(x_shape, p.pool_size, std::vector<int64_t>(p.pool_size.size(), 1), p.strides,
                p.padding);
}

// Number of non-padding elements in each window: (1, *out, 1) in `dtype`.
Tensor window_counts(Backend& b, const Window& w, DType dtype) {
  Shape ones_shape{1};
  ones_shape.insert(ones_shape.end(), w.in.begin(), w.in.end());
  ones_shape.push_back(1);
  Tensor ones = pad_input(b, b.full(ones_shape, dtype, 1.0), w, 0.0);
  Tensor acc;
  for_each_offset(w.size, [&](const std::vector<int64_t>& off) {
    Tensor t = tap(b, ones, w, off);
    acc = acc.defined() ? b.binary(BinaryOp::Add, acc, t) : t;
  });
  return acc;
}

Tensor pool_sum(Backend& b, const Tensor& x, const Window& w) {
  Tensor xp = pad_input(b, x, w, 0.0);
  Tensor acc;
  for_each_offset(w.size, [&](const std::vector<int64_t>& off) {
    Tensor t = tap(b, xp, w, off);
    acc = acc.defined() ? b.binary(BinaryOp::Add, acc, t) : t;
  });
  if (!acc.defined()) acc = b.full(w.out_shape(x.shape()[0], x.shape().back()), x.dtype(), 0.0);
  return acc;
}

}  // namespace

Tensor Backend::conv_impl(const Tensor& x, const Tensor& kernel, const ConvParams& p) {
  Window w = conv_window(x.shape(), kernel.shape(), p);
  const int64_t o = kernel.shape().back();
  Shape out = w.out_shape(x.shape()[0], o);
  if (out.num_elements() == 0 || x.size() == 0 || kernel.size() == 0)
    return full(out, x.dtype(), 0.0);
  Tensor y = matmul(patches(*this, x, w, p.groups), grouped_kernel(*this, kernel, p.groups));
  if (p.groups > 1) {
    const int perm[] = {1, 0, 2};
    y = transpose(y, perm);  // (rows, groups, out/groups)
  }
  return reshape(y, out);
}

Tensor Backend::conv_backprop_input_impl(const Tensor& grad, const Tensor& kernel,
                                         const Shape& x_shape, const ConvParams& p) {
  Window w = conv_window(x_shape, kernel.shape(), p);
  const int64_t groups = p.groups, c = x_shape.back(), cg = c / groups;
  const int64_t k = product(w.size), rows = grad.size() / std::max<int64_t>(grad.shape().back(), 1);
  if (x_shape.num_elements() == 0 || grad.size() == 0 || kernel.size() == 0)
    return full(x_shape, grad.dtype(), 0.0);
  // d patches = grad @ kernel^T: (groups, rows, K * cg), then as (K, batch, *out, C).
  Tensor gk = grouped_kernel(*this, kernel, groups);
  const int tperm[] = {0, 2, 1};
  Tensor dp = matmul(grouped_grad(*this, grad, groups), transpose(gk, tperm));
  dp = reshape(dp, {groups, rows, k, cg});
  const int perm[] = {2, 1, 0, 3};
  dp = transpose(dp, perm);  // (K, rows, groups, cg)
  Shape taps_shape{k};
  Shape piece_shape = w.out_shape(x_shape[0], c);
  taps_shape.insert(taps_shape.end(), piece_shape.begin(), piece_shape.end());
  dp = reshape(dp, taps_shape);
  int64_t index = 0;
  return scatter_taps(*this, w, x_shape, grad.dtype(), [&](const std::vector<int64_t>&) {
    std::vector<int64_t> start(taps_shape.size(), 0), step(taps_shape.size(), 1);
    start[0] = index++;
    Shape one = taps_shape;
    one[0] = 1;
    return reshape(slice(dp, start, step, one), piece_shape);
  });
}

Tensor Backend::conv_backprop_filter_impl(const Tensor& x, const Tensor& grad,
                                          const Shape& kernel_shape, const ConvParams& p) {
  Window w = conv_window(x.shape(), kernel_shape, p);
  const int64_t groups = p.groups;
  if (x.size() == 0 || grad.size() == 0 || kernel_shape.num_elements() == 0)
    return full(kernel_shape, x.dtype(), 0.0);
  const int tperm[] = {0, 2, 1};
  Tensor cols = transpose(patches(*this, x, w, groups), tperm);  // (groups, K * cg, rows)
  Tensor dk = matmul(cols, grouped_grad(*this, grad, groups));   // (groups, K * cg, og)
  if (groups == 1) return reshape(dk, kernel_shape);
  const int64_t cg = kernel_shape[kernel_shape.rank() - 2], o = kernel_shape.back();
  const int64_t k = kernel_shape.num_elements() / (cg * o);
  dk = reshape(dk, {groups, k, cg, o / groups});
  const int perm[] = {1, 2, 0, 3};
  return reshape(transpose(dk, perm), kernel_shape);
}

Tensor Backend::max_pool_impl(const Tensor& x, const PoolParams& p) {
  Window w = pool_window(x.shape(), p);
  Shape out = w.out_shape(x.shape()[0], x.shape().back());
  if (out.num_elements() == 0) return full(out, x.dtype(), 0.0);
  Tensor xp = max_pool_init(*this, x, w);
  Tensor acc;
  for_each_offset(w.size, [&](const std::vector<int64_t>& off) {
    Tensor t = tap(*this, xp, w, off);
    acc = acc.defined() ? binary(BinaryOp::Maximum, acc, t) : t;
  });
  return acc;
}

Tensor Backend::max_pool_backward_impl(const Tensor& x, const Tensor& grad, const PoolParams& p) {
  // Each window's gradient goes to its first maximum in row-major window order, as the native
  // kernels (oneDNN, ATen) route it.
  Window w = pool_window(x.shape(), p);
  if (x.size() == 0 || grad.size() == 0) return full(x.shape(), grad.dtype(), 0.0);
  Tensor y = Backend::max_pool_impl(x, p);
  Tensor xp = max_pool_init(*this, x, w);
  Tensor taken = full(y.shape(), DType::Bool, 0.0);
  Tensor zero = full({}, grad.dtype(), 0.0);
  return scatter_taps(*this, w, x.shape(), grad.dtype(), [&](const std::vector<int64_t>& off) {
    Tensor hit = binary(BinaryOp::Equal, tap(*this, xp, w, off), y);
    hit = binary(BinaryOp::LogicalAnd, hit, unary(UnaryOp::LogicalNot, taken));
    taken = binary(BinaryOp::LogicalOr, taken, hit);
    return where(hit, grad, zero);
  });
}

Tensor Backend::avg_pool_impl(const Tensor& x, const PoolParams& p) {
  Window w = pool_window(x.shape(), p);
  Shape out = w.out_shape(x.shape()[0], x.shape().back());
  if (out.num_elements() == 0) return full(out, x.dtype(), 0.0);
  Tensor sum = pool_sum(*this, x, w);
  if (!w.has_padding())
    return binary(BinaryOp::Divide, sum, full({}, x.dtype(), static_cast<double>(product(w.size))));
  return binary(BinaryOp::Divide, sum, window_counts(*this, w, x.dtype()));
}

Tensor Backend::avg_pool_backward_impl(const Tensor& grad, const Shape& x_shape,
                                       const PoolParams& p) {
  Window w = pool_window(x_shape, p);
  if (x_shape.num_elements() == 0 || grad.size() == 0) return full(x_shape, grad.dtype(), 0.0);
  Tensor counts = w.has_padding() ? window_counts(*this, w, grad.dtype())
                                  : full({}, grad.dtype(), static_cast<double>(product(w.size)));
  Tensor g = binary(BinaryOp::Divide, grad, counts);
  return scatter_taps(*this, w, x_shape, grad.dtype(),
                      [&](const std::vector<int64_t>&) { return g; });
}

namespace {
// The composites below would fail inside ops::exp; name the op the caller asked for instead.
void require_floating(std::string_view op, const Tensor& x) {
  if (!is_floating(x.dtype()))
    throw TypeError("ops::" + std::string(op) + " does not support dtype " +
                    std::string(dtype_name(x.dtype())) + "; cast to a floating dtype first");
}
}  // namespace

Tensor Backend::softmax_impl(const Tensor& x, int axis) {
  require_floating("softmax", x);
  if (x.size() == 0) return full(x.shape(), x.dtype(), 0.0);
  const int axes[] = {axis};
  Tensor e =
      unary(UnaryOp::Exp, binary(BinaryOp::Subtract, x, reduce(ReduceOp::Max, x, axes, true)));
  return binary(BinaryOp::Divide, e, reduce(ReduceOp::Sum, e, axes, true));
}

Tensor Backend::log_softmax_impl(const Tensor& x, int axis) {
  require_floating("log_softmax", x);
  if (x.size() == 0) return full(x.shape(), x.dtype(), 0.0);
  const int axes[] = {axis};
  Tensor shifted = binary(BinaryOp::Subtract, x, reduce(ReduceOp::Max, x, axes, true));
  Tensor lse = unary(UnaryOp::Log, reduce(ReduceOp::Sum, unary(UnaryOp::Exp, shifted), axes, true));
  return binary(BinaryOp::Subtract, shifted, lse);
}

// The sequence kernels have no composite: the LSTM and GRU layers check
// has_native(FusedKernel::Lstm / Gru) and run their step loop without them.
namespace {
[[noreturn]] void no_native_kernel(const Backend& be, const char* kernel) {
  throw NotImplementedError("backend '" + std::string(be.name()) + "' has no native " + kernel +
                            " kernel (the recurrent layers run their step loop without one)");
}
}  // namespace

std::array<Tensor, 4> Backend::lstm_impl(const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                         const Tensor&, const Tensor&) {
  no_native_kernel(*this, "lstm");
}

std::array<Tensor, 6> Backend::lstm_backward_impl(const Tensor&, const Tensor&, const Tensor&,
                                                  const Tensor&, const Tensor&, const Tensor&,
                                                  const Tensor&, const Tensor&, const Tensor&,
                                                  const Tensor&) {
  no_native_kernel(*this, "lstm_backward");
}

std::array<Tensor, 3> Backend::gru_impl(const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                        const Tensor&, const Tensor&) {
  no_native_kernel(*this, "gru");
}

std::array<Tensor, 6> Backend::gru_backward_impl(const Tensor&, const Tensor&, const Tensor&,
                                                 const Tensor&, const Tensor&, const Tensor&,
                                                 const Tensor&, const Tensor&) {
  no_native_kernel(*this, "gru_backward");
}

}  // namespace keras::backend
