#pragma once
// Internal helpers of the convolution layers.
#include <algorithm>

#include "core/checked_int.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers::detail {

inline void check_strides_dilation(const std::vector<int64_t>& strides,
                                   const std::vector<int64_t>& dilation, const std::string& where) {
  if (*std::max_element(strides.begin(), strides.end()) > 1 &&
      *std::max_element(dilation.begin(), dilation.end()) > 1)
    throw ValueError(where +
                     ": `strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                     "Received: strides=" +
                     tuple_str(strides) + " and dilation_rate=" + tuple_str(dilation));
}

// The geometry options every convolution layer standardizes in its constructor, in Keras's order.
struct ConvGeometry {
  std::vector<int64_t> kernel_size, strides, dilation_rate;
  std::string padding, data_format;
};
template <class Options>
ConvGeometry standardize_conv_geometry(const Options& o, int rank, const std::string& where,
                                       bool allow_causal = false) {
  ConvGeometry g;
  g.kernel_size = standardize_tuple(o.kernel_size, rank, where, "kernel_size");
  g.strides = standardize_tuple(o.strides, rank, where, "strides");
  g.dilation_rate = standardize_tuple(o.dilation_rate, rank, where, "dilation_rate");
  std::string named = where + (o.name.empty() ? "" : " '" + o.name + "'");
  check_window_argument(g.kernel_size, named, "kernel_size");
  check_window_argument(g.strides, named, "strides");
  check_window_argument(g.dilation_rate, named, "dilation_rate");
  g.padding = standardize_padding(o.padding, where, allow_causal);
  g.data_format = standardize_data_format(o.data_format, where);
  return g;
}

// A conv config writes the window arguments as the layer standardized them (kernel_size (3, 3)
// for 3), over the options' own; the keys keep their place.
inline void write_conv_geometry(Config& c, const std::vector<int64_t>& kernel_size,
                                const std::vector<int64_t>& strides, const std::string& padding,
                                const std::string& data_format,
                                const std::vector<int64_t>& dilation_rate) {
  c["kernel_size"] = ints_config(kernel_size);
  c["strides"] = ints_config(strides);
  c["padding"] = padding;
  c["data_format"] = data_format;
  c["dilation_rate"] = ints_config(dilation_rate);
}

// The input's channel count at `channel_axis`; ValueError naming the layer if it is unknown.
inline int64_t known_channels(const LayerImpl& layer, const Shape& input_shape, int channel_axis) {
  int64_t in_channels = input_shape[channel_axis];
  if (in_channels < 0)
    throw ValueError(layer_str(layer) +
                     ": the channel dimension of the input must be known, got input shape " +
                     input_shape.to_string());
  return in_channels;
}

// The spatial dimensions of an input shape.
inline std::vector<int64_t> spatial_dims(const Shape& s, const std::string& data_format) {
  if (data_format == "channels_last") return std::vector<int64_t>(s.begin() + 1, s.end() - 1);
  return std::vector<int64_t>(s.begin() + 2, s.end());
}

// Keras's compute_conv_output_shape check: a "valid" convolution must leave every spatial
// dimension positive.
inline void check_conv_output_size(const LayerImpl& layer, const Shape& input_shape,
                                   const std::vector<int64_t>& kernel_size,
                                   const std::vector<int64_t>& strides,
                                   const std::vector<int64_t>& dilation, const std::string& padding,
                                   const std::string& data_format) {
  if (padding != "valid") return;
  std::vector<int64_t> sp = spatial_dims(input_shape, data_format);
  for (size_t i = 0; i < sp.size() && i < kernel_size.size(); ++i) {
    if (sp[i] < 0) continue;
    auto where = [&] { return layer_str(layer) + ": kernel extent"; };
    int64_t effective =
        checked_int::add(checked_int::mul(dilation[i], kernel_size[i] - 1, where), 1, where);
    if (sp[i] < effective)
      throw ValueError(layer_str(layer) +
                       ": computed output size would be negative or zero. Received input shape " +
                       input_shape.to_string() + ", kernel_size=" + tuple_str(kernel_size) +
                       ", dilation_rate=" + tuple_str(dilation) + ", padding=\"valid\"");
  }
}

// Adds a (channels,) bias along the channel axis.
inline Tensor add_channel_bias(const Tensor& y, const Tensor& bias,
                               const std::string& data_format) {
  if (data_format == "channels_last") return ops::add(y, bias);
  Shape s(std::vector<int64_t>(static_cast<size_t>(y.ndim()), 1));
  s[1] = bias.shape()[0];
  return ops::add(y, ops::reshape(bias, s));
}

}  // namespace keras::layers::detail
