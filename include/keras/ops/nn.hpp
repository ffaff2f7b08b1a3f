#pragma once
// Neural-network ops (keras/src/ops/nn.py). data_format "" means
// keras::config::image_data_format(); padding is "valid" or "same" (case-insensitive).
#include <optional>
#include <utility>

#include "keras/ops/core.hpp"

namespace keras::ops {

// ---- activations ----
Tensor relu(const Tensor& x);
Tensor relu6(const Tensor& x);
Tensor elu(const Tensor& x, double alpha = 1.0);
Tensor selu(const Tensor& x);
Tensor celu(const Tensor& x, double alpha = 1.0);
Tensor gelu(const Tensor& x, bool approximate = true);
Tensor silu(const Tensor& x);
Tensor swish(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor hard_sigmoid(const Tensor& x);
Tensor hard_silu(const Tensor& x);
Tensor hard_swish(const Tensor& x);
Tensor hard_tanh(const Tensor& x);
Tensor softplus(const Tensor& x);
Tensor softsign(const Tensor& x);
Tensor leaky_relu(const Tensor& x, double negative_slope = 0.2);
Tensor log_sigmoid(const Tensor& x);
Tensor glu(const Tensor& x, int64_t axis = -1);
Tensor softmax(const Tensor& x, int64_t axis = -1);
Tensor log_softmax(const Tensor& x, int64_t axis = -1);

// ---- encodings ----
// Out-of-range indices give an all-zero row (JAX/TensorFlow behaviour). dtype default floatx.
Tensor one_hot(const Tensor& x, int64_t num_classes, int64_t axis = -1,
               std::optional<DType> dtype = std::nullopt);
Tensor multi_hot(const Tensor& inputs, int64_t num_classes, int64_t axis = -1,
                 std::optional<DType> dtype = std::nullopt);

// ---- convolution and pooling ----
struct ConvOptions {
  Ints strides = 1;
  std::string padding = "valid";
  std::string data_format = "";
  Ints dilation_rate = 1;
};
// inputs (batch, *spatial, channels) for channels_last; kernel (*kernel_spatial, in/groups, out).
// groups = in_channels / kernel's in-channel dimension.
Tensor conv(const Tensor& inputs, const Tensor& kernel, ConvOptions options = {});
// kernel (*kernel_spatial, in, depth_multiplier).
Tensor depthwise_conv(const Tensor& inputs, const Tensor& kernel, ConvOptions options = {});
Tensor separable_conv(const Tensor& inputs, const Tensor& depthwise_kernel,
                      const Tensor& pointwise_kernel, ConvOptions options = {});
struct ConvTransposeOptions {
  Ints strides = 1;
  std::string padding = "valid";
  std::optional<Ints> output_padding;
  std::string data_format = "";
  Ints dilation_rate = 1;
};
// kernel (*kernel_spatial, out, in), as Keras's Conv*Transpose layers store it.
Tensor conv_transpose(const Tensor& inputs, const Tensor& kernel,
                      ConvTransposeOptions options = {});
struct PoolOptions {
  std::optional<Ints> strides;  // default: pool_size
  std::string padding = "valid";
  std::string data_format = "";
};
Tensor max_pool(const Tensor& inputs, const Ints& pool_size, PoolOptions options = {});
Tensor average_pool(const Tensor& inputs, const Ints& pool_size, PoolOptions options = {});

// ---- normalization ----
// Normalizes x with mean/variance broadcast along `axis` (the feature axis).
Tensor batch_normalization(const Tensor& x, const Tensor& mean, const Tensor& variance,
                           int64_t axis, const Tensor& offset = Tensor(),
                           const Tensor& scale = Tensor(), double epsilon = 1e-3);
// (mean, variance) over axes.
std::pair<Tensor, Tensor> moments(const Tensor& x, const std::vector<int64_t>& axes,
                                  bool keepdims = false);
Tensor normalize(const Tensor& x, int64_t axis = -1, int order = 2,
                 std::optional<double> epsilon = std::nullopt);

// ---- losses ----
Tensor binary_crossentropy(const Tensor& target, const Tensor& output, bool from_logits = false);
Tensor categorical_crossentropy(const Tensor& target, const Tensor& output,
                                bool from_logits = false, int64_t axis = -1);
Tensor sparse_categorical_crossentropy(const Tensor& target, const Tensor& output,
                                       bool from_logits = false, int64_t axis = -1);

// ---- attention ----
// Scaled dot-product attention (Keras's ops.dot_product_attention): query (B, T, N, H), key and
// value (B, S, K, H) with N a multiple of K (grouped-query attention; K == 1 is multi-query).
// bias (added to the logits) and mask (bool, true = attend) broadcast to (B, N, T, S); is_causal
// masks keys after each query position; scale defaults to 1 / sqrt(H). Masked logits become a
// large negative number, as in Keras. flash_attention: nullopt uses the backend's fused kernel
// when it has one, true requires it, false computes with composite ops. attn_logits_soft_cap is
// only supported by JAX on TPU in Keras: any value is a ValueError.
Tensor dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                             const Tensor& bias = Tensor(), const Tensor& mask = Tensor(),
                             std::optional<double> scale = std::nullopt, bool is_causal = false,
                             std::optional<bool> flash_attention = std::nullopt,
                             std::optional<double> attn_logits_soft_cap = std::nullopt);

}  // namespace keras::ops
