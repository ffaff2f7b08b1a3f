#pragma once
// Shared pieces of the convolution and pooling ops (not a public header).
#include <string>
#include <utility>
#include <vector>

#include "ops/elementwise_util.hpp"
#include "ops/internal.hpp"

namespace keras::ops::detail {

// "channels_last" or "channels_first": the argument, or keras::config::image_data_format() when
// empty; anything else is a ValueError naming the op.
std::string resolve_data_format(const char* op, const std::string& data_format);
// "valid" or "same" (case-insensitive); anything else is a ValueError naming the op.
std::string resolve_padding(const char* op, const std::string& padding);

// TensorFlow's "same" padding of one spatial dim: total = max((ceil(in / s) - 1) * s + k_eff - in,
// 0), split with the smaller half before.
std::pair<int64_t, int64_t> same_padding(int64_t in, int64_t effective_size, int64_t stride);

// Moves the channel axis of (batch, channels, *spatial) last, and back.
Tensor channels_first_to_last(const Tensor& x);
Tensor channels_last_to_first(const Tensor& x);

// The number of spatial dims of an N-D conv/pool input, checked to be 1, 2 or 3:
// "ops::conv: `inputs` must have rank 3, 4 or 5 (batch, *spatial, channels), got shape (2, 3)".
int spatial_rank(const char* op, const Tensor& inputs, const char* arg = "inputs");

// Positive ints, one per spatial dim, from an Ints argument.
std::vector<int64_t> spatial_ints(const char* op, const Ints& value, int nd, const char* arg);

// Differentiable channels_last kernel calls on concrete operands of one backend and dtype (the
// public ops validate, cast and transpose first). Each records its VJP with the other two, so
// gradients of any order work.
Tensor conv_nd(const Tensor& x, const Tensor& kernel, const backend::ConvParams& p);
Tensor conv_nd_backprop_input(const Tensor& grad, const Tensor& kernel, const Shape& x_shape,
                              const backend::ConvParams& p);
Tensor conv_nd_backprop_filter(const Tensor& x, const Tensor& grad, const Shape& kernel_shape,
                               const backend::ConvParams& p);

}  // namespace keras::ops::detail
