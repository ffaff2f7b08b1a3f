// The torch backend's fused kernels: convolution and its gradients, max/average pooling and their
// gradients, softmax. Our tensors are channels_last; ATen's kernels are channels_first, so inputs
// are permuted to (batch, channels, *spatial) and results back. Asymmetric ("same") padding is
// applied with constant_pad_nd before the kernel and removed from input gradients afterwards.
// Integer inputs and more than 3 spatial dims use the composite defaults of Backend.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "backends/torch/torch_common.hpp"

namespace keras::backend::torch_backend {

namespace {

using Padding = std::vector<std::pair<int64_t, int64_t>>;

bool natively_supported(DType dtype, int64_t spatial_dims) {
  return is_floating(dtype) && spatial_dims >= 1 && spatial_dims <= 3;
}

at::Tensor to_channels_first(const at::Tensor& t) {
  std::vector<int64_t> perm{0, t.dim() - 1};
  for (int64_t d = 1; d < t.dim() - 1; ++d) perm.push_back(d);
  return t.permute(perm);
}

at::Tensor to_channels_last(const at::Tensor& t) {
  std::vector<int64_t> perm{0};
  for (int64_t d = 2; d < t.dim(); ++d) perm.push_back(d);
  perm.push_back(1);
  return t.permute(perm);
}

// Keras kernel (*kernel_spatial, in / groups, out) -> ATen weight (out, in / groups, *spatial).
at::Tensor kernel_to_aten(const at::Tensor& k, int64_t n) {
  std::vector<int64_t> perm{n + 1, n};
  for (int64_t d = 0; d < n; ++d) perm.push_back(d);
  return k.permute(perm);
}

// ATen weight -> Keras kernel.
at::Tensor kernel_from_aten(const at::Tensor& w, int64_t n) {
  std::vector<int64_t> perm;
  for (int64_t d = 0; d < n; ++d) perm.push_back(d + 2);
  perm.push_back(1);
  perm.push_back(0);
  return w.permute(perm);
}

std::pair<int64_t, int64_t> pad_at(const Padding& p, int64_t i) {
  return static_cast<size_t>(i) < p.size() ? p[static_cast<size_t>(i)]
                                           : std::pair<int64_t, int64_t>{0, 0};
}

std::vector<int64_t> or_default(const std::vector<int64_t>& v, int64_t n, int64_t fill) {
  if (static_cast<int64_t>(v.size()) == n) return v;
  return std::vector<int64_t>(static_cast<size_t>(n), fill);
}

// constant_pad_nd's list for the last n dims: (before, after) from the last dim backwards,
// negated to crop.
std::vector<int64_t> aten_pads(const Padding& p, int64_t n, bool negate = false) {
  std::vector<int64_t> out;
  for (int64_t i = n; i-- > 0;) {
    auto [b, a] = pad_at(p, i);
    out.push_back(negate ? -b : b);
    out.push_back(negate ? -a : a);
  }
  return out;
}

bool any_padding(const Padding& p) {
  for (auto [b, a] : p)
    if (b != 0 || a != 0) return true;
  return false;
}

// The padding ATen can take as its own argument (symmetric, non-negative), if it is one.
bool symmetric_padding(const Padding& p, int64_t n, std::vector<int64_t>* out) {
  out->assign(static_cast<size_t>(n), 0);
  for (int64_t i = 0; i < n; ++i) {
    auto [b, a] = pad_at(p, i);
    if (b != a || b < 0) return false;
    (*out)[static_cast<size_t>(i)] = b;
  }
  return true;
}

// Convolution geometry in ATen's terms. Symmetric padding goes to ATen; anything else is applied
// to the input beforehand (and `pre_pad` says so).
struct ConvGeometry {
  int64_t n;
  std::vector<int64_t> strides, dilation, padding, output_padding;
  bool pre_pad;
};

ConvGeometry conv_geometry(const ConvParams& p, int64_t n) {
  ConvGeometry g;
  g.n = n;
  g.strides = or_default(p.strides, n, 1);
  g.dilation = or_default(p.dilation, n, 1);
  g.output_padding.assign(static_cast<size_t>(n), 0);
  g.pre_pad = !symmetric_padding(p.padding, n, &g.padding);
  if (g.pre_pad) g.padding.assign(static_cast<size_t>(n), 0);
  return g;
}

// Pooling geometry. 1-D pooling runs as 2-D over (1, length), since ATen's 1-D pools lack
// index/backward entry points.
struct PoolGeometry {
  int64_t n;  // spatial dims of the keras tensor
  std::vector<int64_t> kernel, strides, zeros, ones;
  std::vector<int64_t> pads, crops;  // constant_pad_nd lists
  bool padded;
};

PoolGeometry pool_geometry(const PoolParams& p, int64_t n) {
  PoolGeometry g;
  g.n = n;
  g.kernel = p.pool_size;
  g.strides = static_cast<int64_t>(p.strides.size()) == n ? p.strides : p.pool_size;
  if (n == 1) {
    g.kernel.insert(g.kernel.begin(), 1);
    g.strides.insert(g.strides.begin(), 1);
  }
  const size_t m = g.kernel.size();
  g.zeros.assign(m, 0);
  g.ones.assign(m, 1);
  g.pads = aten_pads(p.padding, n);
  g.crops = aten_pads(p.padding, n, /*negate=*/true);
  g.padded = any_padding(p.padding);
  return g;
}

at::Tensor max_pool_nd(const at::Tensor& x, const PoolGeometry& g) {
  return g.kernel.size() == 2 ? at::max_pool2d(x, g.kernel, g.strides, g.zeros, g.ones, false)
                              : at::max_pool3d(x, g.kernel, g.strides, g.zeros, g.ones, false);
}

at::Tensor avg_pool_nd(const at::Tensor& x, const PoolGeometry& g, c10::optional<int64_t> divisor) {
  return g.kernel.size() == 2
             ? at::avg_pool2d(x, g.kernel, g.strides, g.zeros, false, true, divisor)
             : at::avg_pool3d(x, g.kernel, g.strides, g.zeros, false, true, divisor);
}

// x channels_last -> channels_first, padded with `value`, with the 1-D pool's extra dim.
at::Tensor pool_input(const at::Tensor& x, const PoolGeometry& g, double value) {
  at::Tensor t = to_channels_first(x);
  if (g.padded) t = at::constant_pad_nd(t, g.pads, value);
  return g.n == 1 ? t.unsqueeze(2) : t;
}

// The inverse of pool_input for a gradient: drop the extra dim, crop the padding, channels_last.
at::Tensor pool_output(const at::Tensor& t, const PoolGeometry& g, bool crop) {
  at::Tensor r = g.n == 1 ? t.squeeze(2) : t;
  if (crop && g.padded) r = at::constant_pad_nd(r, g.crops, 0.0);
  return to_channels_last(r);
}

// For each output position, the number of non-padding elements in its window (TF "same"
// average pooling), shaped (1, 1, *out) to broadcast.
at::Tensor window_counts(const Shape& x_shape, const PoolGeometry& g, at::ScalarType type) {
  std::vector<int64_t> ones_shape{1};  // channels_last, one batch and one channel
  for (int64_t d = 1; d <= g.n; ++d) ones_shape.push_back(x_shape[static_cast<size_t>(d)]);
  ones_shape.push_back(1);
  at::Tensor ones = at::ones(ones_shape, at::TensorOptions().dtype(type));
  return avg_pool_nd(pool_input(ones, g, 0.0), g, 1);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// convolution

Tensor TorchBackend::conv_impl(const Tensor& x, const Tensor& kernel, const ConvParams& p) {
  const int64_t n = x.ndim() - 2;
  if (!natively_supported(x.dtype(), n)) return Backend::conv_impl(x, kernel, p);
  return guarded("ops::conv", [&] {
    const DType dt = x.dtype();
    const ConvGeometry g = conv_geometry(p, n);
    at::Tensor input = to_channels_first(widen_half(aten(x, "ops::conv"), dt));
    if (g.pre_pad) input = at::constant_pad_nd(input, aten_pads(p.padding, n), 0.0);
    at::Tensor weight = kernel_to_aten(widen_half(aten(kernel, "ops::conv"), dt), n);
    at::Tensor y = at::convolution(input, weight, c10::nullopt, g.strides, g.padding, g.dilation,
                                   false, g.output_padding, p.groups);
    return wrap(to_channels_last(y).to(storage_type(dt)), dt);
  });
}

Tensor TorchBackend::conv_backprop_input_impl(const Tensor& grad, const Tensor& kernel,
                                              const Shape& x_shape, const ConvParams& p) {
  const int64_t n = x_shape.rank() - 2;
  if (!natively_supported(grad.dtype(), n))
    return Backend::conv_backprop_input_impl(grad, kernel, x_shape, p);
  return guarded("ops::conv_backprop_input", [&] {
    const DType dt = grad.dtype();
    const ConvGeometry g = conv_geometry(p, n);
    at::Tensor dy = to_channels_first(widen_half(aten(grad, "ops::conv_backprop_input"), dt));
    at::Tensor weight = kernel_to_aten(widen_half(aten(kernel, "ops::conv_backprop_input"), dt), n);
    // Only the input's shape matters to grad_input: an uninitialized stand-in of the (padded)
    // input shape.
    std::vector<int64_t> in_shape{x_shape[0], x_shape[static_cast<size_t>(n + 1)]};
    for (int64_t i = 0; i < n; ++i) {
      auto [b, a] = pad_at(p.padding, i);
      in_shape.push_back(x_shape[static_cast<size_t>(i + 1)] + (g.pre_pad ? b + a : 0));
    }
    at::Tensor stand_in = at::empty(in_shape, dy.options());
    at::Tensor dx = std::get<0>(at::convolution_backward(
        dy, stand_in, weight, c10::nullopt, g.strides, g.padding, g.dilation, false,
        g.output_padding, p.groups, {true, false, false}));
    if (g.pre_pad) dx = at::constant_pad_nd(dx, aten_pads(p.padding, n, /*negate=*/true), 0.0);
    return wrap(to_channels_last(dx).to(storage_type(dt)), dt);
  });
}

Tensor TorchBackend::conv_backprop_filter_impl(const Tensor& x, const Tensor& grad,
                                               const Shape& kernel_shape, const ConvParams& p) {
  const int64_t n = x.ndim() - 2;
  if (!natively_supported(x.dtype(), n))
    return Backend::conv_backprop_filter_impl(x, grad, kernel_shape, p);
  return guarded("ops::conv_backprop_filter", [&] {
    const DType dt = x.dtype();
    const ConvGeometry g = conv_geometry(p, n);
    at::Tensor input = to_channels_first(widen_half(aten(x, "ops::conv_backprop_filter"), dt));
    if (g.pre_pad) input = at::constant_pad_nd(input, aten_pads(p.padding, n), 0.0);
    at::Tensor dy = to_channels_first(widen_half(aten(grad, "ops::conv_backprop_filter"), dt));
    // Only the weight's shape matters to grad_weight.
    std::vector<int64_t> w_shape{kernel_shape[static_cast<size_t>(n + 1)],
                                 kernel_shape[static_cast<size_t>(n)]};
    for (int64_t i = 0; i < n; ++i) w_shape.push_back(kernel_shape[static_cast<size_t>(i)]);
    at::Tensor stand_in = at::empty(w_shape, dy.options());
    at::Tensor dw = std::get<1>(at::convolution_backward(
        dy, input, stand_in, c10::nullopt, g.strides, g.padding, g.dilation, false,
        g.output_padding, p.groups, {false, true, false}));
    return wrap(kernel_from_aten(dw, n).to(storage_type(dt)), dt);
  });
}

// ---------------------------------------------------------------------------------------------
// pooling

Tensor TorchBackend::max_pool_impl(const Tensor& x, const PoolParams& p) {
  const int64_t n = x.ndim() - 2;
  if (!natively_supported(x.dtype(), n)) return Backend::max_pool_impl(x, p);
  return guarded("ops::max_pool", [&] {
    const DType dt = x.dtype();
    const PoolGeometry g = pool_geometry(p, n);
    at::Tensor input = pool_input(widen_half(aten(x, "ops::max_pool"), dt), g,
                                  -std::numeric_limits<double>::infinity());
    return wrap(pool_output(max_pool_nd(input, g), g, false).to(storage_type(dt)), dt);
  });
}

Tensor TorchBackend::max_pool_backward_impl(const Tensor& x, const Tensor& grad,
                                            const PoolParams& p) {
  const int64_t n = x.ndim() - 2;
  if (!natively_supported(x.dtype(), n)) return Backend::max_pool_backward_impl(x, grad, p);
  return guarded("ops::max_pool_backward", [&] {
    const DType dt = x.dtype();
    const PoolGeometry g = pool_geometry(p, n);
    at::Tensor input = pool_input(widen_half(aten(x, "ops::max_pool_backward"), dt), g,
                                  -std::numeric_limits<double>::infinity());
    at::Tensor dy = to_channels_first(widen_half(aten(grad, "ops::max_pool_backward"), dt));
    if (n == 1) dy = dy.unsqueeze(2);
    // The gradient goes to the first maximum of each window (NaN counts as the maximum).
    at::Tensor dx;
    if (g.kernel.size() == 2) {
      auto [out, where] =
          at::max_pool2d_with_indices(input, g.kernel, g.strides, g.zeros, g.ones, false);
      dx = at::max_pool2d_with_indices_backward(dy, input, g.kernel, g.strides, g.zeros, g.ones,
                                                false, where);
    } else {
      auto [out, where] =
          at::max_pool3d_with_indices(input, g.kernel, g.strides, g.zeros, g.ones, false);
      dx = at::max_pool3d_with_indices_backward(dy, input, g.kernel, g.strides, g.zeros, g.ones,
                                                false, where);
    }
    return wrap(pool_output(dx, g, true).to(storage_type(dt)), dt);
  });
}

Tensor TorchBackend::avg_pool_impl(const Tensor& x, const PoolParams& p) {
  const int64_t n = x.ndim() - 2;
  if (!natively_supported(x.dtype(), n)) return Backend::avg_pool_impl(x, p);
  return guarded("ops::avg_pool", [&] {
    const DType dt = x.dtype();
    const PoolGeometry g = pool_geometry(p, n);
    at::Tensor input = pool_input(widen_half(aten(x, "ops::avg_pool"), dt), g, 0.0);
    at::Tensor y;
    if (!g.padded) {
      y = avg_pool_nd(input, g, c10::nullopt);
    } else {  // window sums over the counts of real (non-padding) elements
      y = avg_pool_nd(input, g, 1) / window_counts(x.shape(), g, input.scalar_type());
    }
    return wrap(pool_output(y, g, false).to(storage_type(dt)), dt);
  });
}

Tensor TorchBackend::avg_pool_backward_impl(const Tensor& grad, const Shape& x_shape,
                                            const PoolParams& p) {
  const int64_t n = x_shape.rank() - 2;
  if (!natively_supported(grad.dtype(), n))
    return Backend::avg_pool_backward_impl(grad, x_shape, p);
  return guarded("ops::avg_pool_backward", [&] {
    const DType dt = grad.dtype();
    const PoolGeometry g = pool_geometry(p, n);
    at::Tensor dy = to_channels_first(widen_half(aten(grad, "ops::avg_pool_backward"), dt));
    if (n == 1) dy = dy.unsqueeze(2);
    c10::optional<int64_t> divisor;
    if (g.padded) {
      dy = dy / window_counts(x_shape, g, dy.scalar_type());
      divisor = 1;
    }
    // Only the input's shape matters: an uninitialized stand-in of the padded input shape.
    std::vector<int64_t> in_shape{x_shape[0], x_shape[static_cast<size_t>(n + 1)]};
    if (n == 1) in_shape.push_back(1);
    for (int64_t i = 0; i < n; ++i) {
      auto [b, a] = pad_at(p.padding, i);
      in_shape.push_back(x_shape[static_cast<size_t>(i + 1)] + b + a);
    }
    at::Tensor stand_in = at::empty(in_shape, dy.options());
    at::Tensor dx = g.kernel.size() == 2
                        ? at::avg_pool2d_backward(dy, stand_in, g.kernel, g.strides, g.zeros, false,
                                                  true, divisor)
                        : at::avg_pool3d_backward(dy, stand_in, g.kernel, g.strides, g.zeros, false,
                                                  true, divisor);
    return wrap(pool_output(dx, g, true).to(storage_type(dt)), dt);
  });
}

// ---------------------------------------------------------------------------------------------
// softmax

Tensor TorchBackend::softmax_impl(const Tensor& x, int axis) {
  if (!is_floating(x.dtype())) return Backend::softmax_impl(x, axis);
  return guarded("ops::softmax", [&] {
    const DType dt = x.dtype();
    return wrap(at::softmax(widen_half(aten(x, "ops::softmax"), dt), axis).to(storage_type(dt)),
                dt);
  });
}

Tensor TorchBackend::log_softmax_impl(const Tensor& x, int axis) {
  if (!is_floating(x.dtype())) return Backend::log_softmax_impl(x, axis);
  return guarded("ops::log_softmax", [&] {
    const DType dt = x.dtype();
    return wrap(
        at::log_softmax(widen_half(aten(x, "ops::log_softmax"), dt), axis).to(storage_type(dt)),
        dt);
  });
}

}  // namespace keras::backend::torch_backend
