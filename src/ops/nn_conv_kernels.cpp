// The differentiable convolution kernel calls and the argument helpers shared by the conv and
// pooling ops. conv, conv_backprop_input and conv_backprop_filter are bilinear and each one's
// adjoints are the other two, so they differentiate each other to any order.
#include <algorithm>
#include <cctype>

#include "autodiff/input_gradients.hpp"
#include "ops/nn_internal.hpp"

namespace keras::ops::detail {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Operands of a kernel call: same backend, same dtype (the first operand's).
std::pair<Tensor, Tensor> operands(const char* op, const Tensor& a, const Tensor& b) {
  Backend& be = pick_backend(op, {&a, &b});
  return {prepare(a, be, a.dtype()), prepare(b, be, a.dtype())};
}

Tensor as_dtype(const Tensor& g, DType dtype) { return g.dtype() == dtype ? g : cast(g, dtype); }

}  // namespace

std::string resolve_data_format(const char* op, const std::string& data_format) {
  if (data_format.empty()) return config::image_data_format();
  std::string f = lower(data_format);
  if (f != "channels_last" && f != "channels_first")
    throw ValueError(op_name(op) +
                     ": `data_format` must be \"channels_last\" or \"channels_first\", got \"" +
                     data_format + "\"");
  return f;
}

std::string resolve_padding(const char* op, const std::string& padding) {
  std::string p = lower(padding);
  if (p != "valid" && p != "same")
    throw ValueError(op_name(op) + ": `padding` must be \"valid\" or \"same\", got \"" + padding +
                     "\"");
  return p;
}

std::pair<int64_t, int64_t> same_padding(int64_t in, int64_t effective_size, int64_t stride) {
  int64_t out = (in + stride - 1) / stride;
  int64_t total = std::max<int64_t>((out - 1) * stride + effective_size - in, 0);
  return {total / 2, total - total / 2};
}

Tensor channels_first_to_last(const Tensor& x) {
  std::vector<int64_t> perm{0};
  for (int i = 2; i < x.ndim(); ++i) perm.push_back(i);
  perm.push_back(1);
  return transpose(x, perm);
}

Tensor channels_last_to_first(const Tensor& x) {
  std::vector<int64_t> perm{0, x.ndim() - 1};
  for (int i = 1; i < x.ndim() - 1; ++i) perm.push_back(i);
  return transpose(x, perm);
}

int spatial_rank(const char* op, const Tensor& inputs, const char* arg) {
  int r = inputs.ndim();
  if (r < 3 || r > 5)
    throw ValueError(op_name(op) + ": `" + arg +
                     "` must have rank 3, 4 or 5 (batch, *spatial, channels), got shape " +
                     shape_str(inputs));
  return r - 2;
}

std::vector<int64_t> spatial_ints(const char* op, const Ints& value, int nd, const char* arg) {
  std::vector<int64_t> v = value.expand(static_cast<size_t>(nd), op_name(op), arg);
  for (int64_t x : v)
    if (x <= 0)
      throw ValueError(op_name(op) + ": `" + arg + "` values must be positive, got " +
                       std::to_string(x));
  return v;
}

Tensor conv_nd(const Tensor& x, const Tensor& kernel, const backend::ConvParams& p) {
  auto [xc, kc] = operands("conv", x, kernel);
  Tensor y = xc.backend().conv(xc, kc, p);
  if (autodiff::is_recording()) {
    autodiff::record("conv", {x, kernel}, {y}, [x, kernel, p](const std::vector<Tensor>& g) {
      // The data batch feeding a first conv layer needs no gradient: skip that kernel.
      bool need_x = autodiff::needs_input_gradient(0), need_k = autodiff::needs_input_gradient(1);
      return std::vector<Tensor>{
          need_x ? as_dtype(conv_nd_backprop_input(g[0], kernel, x.shape(), p), x.dtype())
                 : Tensor(),
          need_k ? as_dtype(conv_nd_backprop_filter(x, g[0], kernel.shape(), p), kernel.dtype())
                 : Tensor()};
    });
  }
  return y;
}

Tensor conv_nd_backprop_input(const Tensor& grad, const Tensor& kernel, const Shape& x_shape,
                              const backend::ConvParams& p) {
  auto [gc, kc] = operands("conv_backprop_input", grad, kernel);
  Tensor y = gc.backend().conv_backprop_input(gc, kc, x_shape, p);
  if (autodiff::is_recording()) {
    autodiff::record("conv_backprop_input", {grad, kernel}, {y},
                     [grad, kernel, p](const std::vector<Tensor>& h) {
                       bool need_g = autodiff::needs_input_gradient(0);
                       bool need_k = autodiff::needs_input_gradient(1);
                       return std::vector<Tensor>{
                           need_g ? as_dtype(conv_nd(h[0], kernel, p), grad.dtype()) : Tensor(),
                           need_k ? as_dtype(conv_nd_backprop_filter(h[0], grad, kernel.shape(), p),
                                             kernel.dtype())
                                  : Tensor()};
                     });
  }
  return y;
}

Tensor conv_nd_backprop_filter(const Tensor& x, const Tensor& grad, const Shape& kernel_shape,
                               const backend::ConvParams& p) {
  auto [xc, gc] = operands("conv_backprop_filter", x, grad);
  Tensor y = xc.backend().conv_backprop_filter(xc, gc, kernel_shape, p);
  if (autodiff::is_recording()) {
    autodiff::record(
        "conv_backprop_filter", {x, grad}, {y}, [x, grad, p](const std::vector<Tensor>& h) {
          bool need_x = autodiff::needs_input_gradient(0);
          bool need_g = autodiff::needs_input_gradient(1);
          return std::vector<Tensor>{
              need_x ? as_dtype(conv_nd_backprop_input(grad, h[0], x.shape(), p), x.dtype())
                     : Tensor(),
              need_g ? as_dtype(conv_nd(x, h[0], p), grad.dtype()) : Tensor()};
        });
  }
  return y;
}

}  // namespace keras::ops::detail
