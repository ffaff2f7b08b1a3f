// Convolution ops: conv, depthwise_conv, separable_conv, conv_transpose (keras/src/ops/nn.py).
// Shapes follow keras/src/ops/operation_utils.py (compute_conv_output_shape) and
// keras/src/backend/common/backend_utils.py (conv_transpose's JAX/TensorFlow output size). All of
// them run the channels_last conv kernels of the backend; channels_first inputs are transposed
// around them.
#include "core/checked_int.hpp"
#include "ops/nn_internal.hpp"

namespace keras::ops {

using namespace detail;

namespace {

struct ConvSetup {
  int nd = 0;
  bool channels_first = false;
  std::vector<int64_t> strides, dilation;
  bool same = false;
  DType dtype = DType::Float32;
};

std::string shape_of(const Shape& s) { return s.to_string(); }

ConvSetup setup(const char* op, const Tensor& inputs, const Tensor& kernel, const Ints& strides,
                const std::string& padding, const std::string& data_format,
                const Ints& dilation_rate) {
  require_defined(op, inputs, "inputs");
  require_defined(op, kernel, "kernel");
  ConvSetup s;
  s.nd = spatial_rank(op, inputs);
  if (kernel.ndim() != inputs.ndim())
    throw ValueError(op_name(op) + ": `kernel` must have rank " + std::to_string(inputs.ndim()) +
                     " (*kernel_size, in_channels, out_channels) for inputs of shape " +
                     shape_str(inputs) + ", got kernel shape " + shape_str(kernel));
  s.channels_first = resolve_data_format(op, data_format) == "channels_first";
  s.same = resolve_padding(op, padding) == "same";
  s.strides = spatial_ints(op, strides, s.nd, "strides");
  s.dilation = spatial_ints(op, dilation_rate, s.nd, "dilation_rate");
  DType dt = promote(inputs, kernel);
  s.dtype = is_floating(dt) ? dt : float_result_type(dt);
  return s;
}

int64_t channels_of(const ConvSetup& s, const Shape& shape) {
  return s.channels_first ? shape[1] : shape.back();
}

std::vector<int64_t> spatial_of(const ConvSetup& s, const Shape& shape) {
  int first = s.channels_first ? 2 : 1;
  return std::vector<int64_t>(shape.begin() + first, shape.begin() + first + s.nd);
}

Shape assemble(const ConvSetup& s, int64_t batch, const std::vector<int64_t>& spatial,
               int64_t channels) {
  Shape out{batch};
  if (s.channels_first) out.push_back(channels);
  out.insert(out.end(), spatial.begin(), spatial.end());
  if (!s.channels_first) out.push_back(channels);
  return out;
}

// Output spatial sizes of a forward conv, Keras's compute_conv_output_shape.
std::vector<int64_t> conv_output_spatial(const char* op, const ConvSetup& s, const Tensor& inputs,
                                         const Shape& kernel_shape) {
  std::vector<int64_t> in = spatial_of(s, inputs.shape()), out;
  for (int i = 0; i < s.nd; ++i) {
    int64_t k_eff =
        checked_int::add(checked_int::mul(kernel_shape[i] - 1, s.dilation[i], op), 1, op);
    if (in[i] == Shape::kNone) {
      out.push_back(Shape::kNone);
    } else if (s.same) {
      out.push_back(checked_int::ceil_div(in[i], s.strides[i]));
    } else {
      int64_t o = in[i] >= k_eff ? (in[i] - k_eff) / s.strides[i] + 1 : 0;
      if (o <= 0)
        throw ValueError(op_name(op) +
                         ": computed output size would be zero or negative: inputs shape " +
                         shape_str(inputs) + ", kernel shape " + shape_of(kernel_shape) +
                         " (effective size " + std::to_string(k_eff) + " along spatial dim " +
                         std::to_string(i) + "), padding \"valid\"");
      out.push_back(o);
    }
  }
  return out;
}

backend::ConvParams params(const ConvSetup& s, const Shape& x_last, const Shape& kernel_shape,
                           int64_t groups) {
  backend::ConvParams p;
  p.strides = s.strides;
  p.dilation = s.dilation;
  p.groups = groups;
  for (int i = 0; i < s.nd; ++i) {
    int64_t k_eff = (kernel_shape[i] - 1) * s.dilation[i] + 1;
    p.padding.push_back(s.same ? same_padding(x_last[1 + i], k_eff, s.strides[i])
                               : std::pair<int64_t, int64_t>{0, 0});
  }
  return p;
}

// Runs a channels_last conv kernel on channels_first or channels_last inputs.
Tensor run_conv(const ConvSetup& s, const Tensor& inputs, const Tensor& kernel, int64_t groups) {
  Tensor x = cast(inputs, s.dtype);
  Tensor k = cast(kernel, s.dtype);
  if (s.channels_first) x = channels_first_to_last(x);
  Tensor y = conv_nd(x, k, params(s, x.shape(), k.shape(), groups));
  return s.channels_first ? channels_last_to_first(y) : y;
}

// The groups of a conv whose kernel takes `kernel_in` channels, with the error Keras gives.
int64_t groups_of(const char* op, int64_t channels, const Tensor& kernel) {
  int64_t kin = kernel.shape()[kernel.ndim() - 2], kout = kernel.shape().back();
  if (channels == Shape::kNone) return 1;
  if (kin <= 0 || channels % kin != 0)
    throw ValueError(op_name(op) +
                     ": the number of input channels must be evenly divisible by the kernel's "
                     "in_channels, got input channels " +
                     std::to_string(channels) + " and kernel shape " + shape_str(kernel));
  int64_t groups = channels / kin;
  if (kout % groups != 0)
    throw ValueError(op_name(op) + ": the kernel's out_channels (" + std::to_string(kout) +
                     ") must be divisible by the number of groups (" + std::to_string(groups) +
                     " = input channels " + std::to_string(channels) + " / kernel in_channels " +
                     std::to_string(kin) + ")");
  return groups;
}

void check_kernel_in(const char* op, int64_t channels, const Tensor& kernel, int dim,
                     const ConvSetup& s) {
  int64_t kin = kernel.shape()[dim];
  if (channels != Shape::kNone && kin != Shape::kNone && channels != kin)
    throw ValueError(op_name(op) +
                     ": the number of input channels must match the kernel's input channels, got "
                     "input channels " +
                     std::to_string(channels) + ", kernel shape " + shape_str(kernel) +
                     " (input channels " + std::to_string(kin) + "), data_format \"" +
                     (s.channels_first ? "channels_first" : "channels_last") + "\"");
}

}  // namespace

Tensor conv(const Tensor& inputs, const Tensor& kernel, ConvOptions o) {
  ConvSetup s = setup("conv", inputs, kernel, o.strides, o.padding, o.data_format, o.dilation_rate);
  int64_t groups = groups_of("conv", channels_of(s, inputs.shape()), kernel);
  std::vector<int64_t> out = conv_output_spatial("conv", s, inputs, kernel.shape());
  Shape out_shape = assemble(s, inputs.shape()[0], out, kernel.shape().back());
  if (any_symbolic({&inputs, &kernel})) return Tensor::symbolic(out_shape, s.dtype);
  return run_conv(s, inputs, kernel, groups);
}

Tensor depthwise_conv(const Tensor& inputs, const Tensor& kernel, ConvOptions o) {
  ConvSetup s =
      setup("depthwise_conv", inputs, kernel, o.strides, o.padding, o.data_format, o.dilation_rate);
  int64_t c = channels_of(s, inputs.shape());
  check_kernel_in("depthwise_conv", c, kernel, kernel.ndim() - 2, s);
  int64_t cin = kernel.shape()[kernel.ndim() - 2], mult = kernel.shape().back();
  std::vector<int64_t> out = conv_output_spatial("depthwise_conv", s, inputs, kernel.shape());
  int64_t out_c = cin == Shape::kNone || mult == Shape::kNone ? Shape::kNone : cin * mult;
  Shape out_shape = assemble(s, inputs.shape()[0], out, out_c);
  if (any_symbolic({&inputs, &kernel})) return Tensor::symbolic(out_shape, s.dtype);
  // A grouped conv with one group per input channel: kernel (*k, 1, in * multiplier).
  Shape ks(kernel.shape().begin(), kernel.shape().end() - 2);
  ks.push_back(1);
  ks.push_back(cin * mult);
  return run_conv(s, inputs, reshape(kernel, ks), cin);
}

Tensor separable_conv(const Tensor& inputs, const Tensor& depthwise_kernel,
                      const Tensor& pointwise_kernel, ConvOptions o) {
  require_defined("separable_conv", pointwise_kernel, "pointwise_kernel");
  Tensor mid = depthwise_conv(inputs, depthwise_kernel, o);
  if (pointwise_kernel.ndim() != mid.ndim())
    throw ValueError("ops::separable_conv: `pointwise_kernel` must have rank " +
                     std::to_string(mid.ndim()) + ", got shape " + shape_str(pointwise_kernel));
  return conv(mid, pointwise_kernel,
              {.strides = 1,
               .padding = "valid",
               .data_format = o.data_format,
               .dilation_rate = o.dilation_rate});
}

Tensor conv_transpose(const Tensor& inputs, const Tensor& kernel, ConvTransposeOptions o) {
  const char* op = "conv_transpose";
  ConvSetup s = setup(op, inputs, kernel, o.strides, o.padding, o.data_format, o.dilation_rate);
  check_kernel_in(op, channels_of(s, inputs.shape()), kernel, kernel.ndim() - 1, s);
  std::vector<int64_t> output_padding;
  if (o.output_padding) {
    output_padding =
        o.output_padding->expand(static_cast<size_t>(s.nd), op_name(op), "output_padding");
    for (int i = 0; i < s.nd; ++i)
      if (output_padding[i] < 0)
        throw ValueError(op_name(op) + ": `output_padding` values must be non-negative, got " +
                         std::to_string(output_padding[i]) + " along spatial dim " +
                         std::to_string(i));
  }
  // Keras's padding rule (backend_utils._convert_conv_transpose_padding_args_from_keras_to_jax):
  // the transposed conv is a stride-1 conv of the stride-dilated inputs padded with (lo, hi).
  std::vector<int64_t> in = spatial_of(s, inputs.shape()), out;
  std::vector<std::pair<int64_t, int64_t>> jax_pads;
  auto where = [&] { return op_name(op); };  // built only on overflow
  for (int i = 0; i < s.nd; ++i) {
    int64_t st = s.strides[i];
    int64_t k_eff =
        checked_int::add(checked_int::mul(kernel.shape()[i] - 1, s.dilation[i], where), 1, where);
    int64_t lo, hi;
    if (!s.same) {
      int64_t op_i = o.output_padding ? output_padding[i] : std::max(k_eff, st) - k_eff;
      lo = k_eff - 1;
      hi = checked_int::add(k_eff - 1, op_i, where);
    } else {
      int64_t pad_len = o.output_padding
                            ? checked_int::add(k_eff + k_eff % 2 - 2, output_padding[i], where)
                            : checked_int::add(st, k_eff - 2, where);
      lo = std::min(pad_len / 2 + pad_len % 2, k_eff - 1);
      hi = pad_len - lo;
    }
    jax_pads.push_back({lo, hi});
    // (in - 1) * st + lo + hi - k_eff + 2, each step checked.
    auto size = [&] {
      int64_t v = checked_int::mul(in[i] - 1, st, where);
      v = checked_int::add(v, lo, where);
      v = checked_int::add(v, hi, where);
      return checked_int::add(v, 2 - k_eff, where);
    };
    out.push_back(in[i] == Shape::kNone ? Shape::kNone : size());
  }
  int64_t filters = kernel.shape()[kernel.ndim() - 2];
  Shape out_shape = assemble(s, inputs.shape()[0], out, filters);
  if (any_symbolic({&inputs, &kernel})) return Tensor::symbolic(out_shape, s.dtype);

  // The same result is the input gradient of the forward conv (filters -> in channels) with
  // padding (k_eff - 1 - lo, k_eff - 1 - hi). Negative padding crops the forward conv's input:
  // those output positions get zeros.
  Tensor x = cast(inputs, s.dtype);
  Tensor k = cast(kernel, s.dtype);
  if (s.channels_first) x = channels_first_to_last(x);
  backend::ConvParams p;
  p.strides = s.strides;
  p.dilation = s.dilation;
  Shape grad_shape{x.shape()[0]};
  std::vector<std::pair<int64_t, int64_t>> crops{{0, 0}};
  bool cropped = false;
  for (int i = 0; i < s.nd; ++i) {
    int64_t k_eff = (kernel.shape()[i] - 1) * s.dilation[i] + 1;
    int64_t before = k_eff - 1 - jax_pads[i].first, after = k_eff - 1 - jax_pads[i].second;
    int64_t crop_b = std::max<int64_t>(-before, 0), crop_a = std::max<int64_t>(-after, 0);
    p.padding.push_back({std::max<int64_t>(before, 0), std::max<int64_t>(after, 0)});
    crops.push_back({crop_b, crop_a});
    cropped = cropped || crop_b > 0 || crop_a > 0;
    grad_shape.push_back(out[i] - crop_b - crop_a);
  }
  grad_shape.push_back(filters);
  crops.push_back({0, 0});
  Tensor y = conv_nd_backprop_input(x, k, grad_shape, p);
  if (cropped) y = pad(y, crops);
  return s.channels_first ? channels_last_to_first(y) : y;
}

}  // namespace keras::ops
