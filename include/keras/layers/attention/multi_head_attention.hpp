#pragma once
// keras.layers.MultiHeadAttention (keras/src/layers/attention/multi_head_attention.py).
// Projections are EinsumDense sub-layers with Keras's weight layout and attribute names
// (`_query_dense` kernel (dim, num_heads, key_dim), `_key_dense`, `_value_dense`,
// `_output_dense` kernel (num_heads, value_dim, out)); the attention itself is
// ops::dot_product_attention (fused on the cpu backend) unless dropout > 0, attention scores are
// returned or the projected rank is not 4, where Keras's einsum + masked Softmax path runs.
//
//   auto mha = layers::MultiHeadAttention({.num_heads = 4, .key_dim = 16});
//   Tensor y = mha->attend(x, x)[0];                                  // self-attention
//   auto outs = mha->attend(q, v, {.return_attention_scores = true});  // {output, scores}
//   Tensor y2 = mha(std::vector<Tensor>{q, v});                        // query, value[, key]
#include <optional>
#include <string>
#include <vector>

#include "keras/layers/attention/attention_call.hpp"
#include "keras/layers/core/einsum_dense.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct MultiHeadAttentionOptions {
  int64_t num_heads = 0;               // required
  int64_t key_dim = 0;                 // required
  std::optional<int64_t> value_dim{};  // default key_dim
  double dropout = 0.0;
  bool use_bias = true;
  std::optional<Shape> output_shape{};                   // default: the query's last dim
  std::optional<std::vector<int64_t>> attention_axes{};  // default: all but batch, heads, features
  std::optional<int64_t> sliding_window{};
  std::optional<bool> flash_attention{};
  KERAS_KERNEL_BIAS_OPTIONS;
  bool use_gate = false;
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class MultiHeadAttentionImpl : public LayerImpl {
 public:
  using Options = MultiHeadAttentionOptions;
  explicit MultiHeadAttentionImpl(MultiHeadAttentionOptions options);
  std::string class_name() const override { return "MultiHeadAttention"; }

  // Keras's call: returns {output} or {output, scores (B, num_heads, T, S)}.
  std::vector<Tensor> attend(const Tensor& query, const Tensor& value, AttentionCallArgs args = {});
  // Sets how invoke() reads its input list (attend() does this itself).
  void set_call_layout(AttentionCallLayout layout) { layout_ = layout; }
  const AttentionCallLayout& call_layout() const { return layout_; }

  using LayerImpl::build;
  void build(const std::vector<Shape>& input_shapes) override;  // [query, value, key?, ...]
  using LayerImpl::call;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Config get_config() const override;

  int64_t num_heads() const { return options_.num_heads; }
  int64_t key_dim() const { return options_.key_dim; }
  int64_t value_dim() const { return value_dim_; }
  // The resolved attention axes once built (Keras rewrites `_attention_axes` in build()).
  const std::optional<std::vector<int64_t>>& attention_axes() const { return attention_axes_; }
  // The projection sub-layers (empty holders before build()).
  EinsumDense query_dense() const { return EinsumDense(query_dense_); }
  EinsumDense key_dense() const { return EinsumDense(key_dense_); }
  EinsumDense value_dense() const { return EinsumDense(value_dense_); }
  EinsumDense output_dense() const { return EinsumDense(output_dense_); }
  const MultiHeadAttentionOptions& options() const { return options_; }

 private:
  std::pair<Tensor, Tensor> compute_attention(const Tensor& query, const Tensor& key,
                                              const Tensor& value, const Tensor& attention_mask,
                                              bool training, bool return_scores, bool causal_only);
  MultiHeadAttentionOptions options_;
  int64_t value_dim_;
  std::optional<std::vector<int64_t>> attention_axes_;
  AttentionCallLayout layout_;
  std::shared_ptr<EinsumDenseImpl> query_dense_, key_dense_, value_dense_, gate_dense_,
      output_dense_;
  std::shared_ptr<LayerImpl> softmax_, dropout_layer_;
  std::string dot_product_equation_, combine_equation_;
};
KERAS_LAYER(MultiHeadAttention);

}  // namespace keras::layers
