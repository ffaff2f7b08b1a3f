#pragma once
// keras.layers.GroupedQueryAttention (keras/src/layers/attention/grouped_query_attention.py):
// num_query_heads query heads share num_key_value_heads key/value heads. Sub-layers
// `_query_dense` ("bqm,muh->bquh"), `_key_dense` / `_value_dense` ("bkm,mvh->bkvh"),
// `_output_dense` ("bquh,uhm->bqm"). The attention is ops::dot_product_attention with the
// key/value heads broadcast to their groups (no copies) unless dropout > 0 or scores are
// returned (then Keras's einsum path with repeated heads).
//
//   auto gqa = layers::GroupedQueryAttention({.head_dim = 16, .num_query_heads = 8,
//                                             .num_key_value_heads = 2});
//   Tensor y = gqa->attend(x, x, {.use_causal_mask = true})[0];
#include <optional>
#include <string>
#include <vector>

#include "keras/layers/attention/attention_call.hpp"
#include "keras/layers/core/einsum_dense.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct GroupedQueryAttentionOptions {
  int64_t head_dim = 0;             // required
  int64_t num_query_heads = 0;      // required
  int64_t num_key_value_heads = 0;  // required, divides num_query_heads
  double dropout = 0.0;
  bool use_bias = true;
  std::optional<int64_t> sliding_window{};
  std::optional<bool> flash_attention{};
  KERAS_KERNEL_BIAS_OPTIONS;
  bool use_gate = false;
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class GroupedQueryAttentionImpl : public LayerImpl {
 public:
  using Options = GroupedQueryAttentionOptions;
  explicit GroupedQueryAttentionImpl(GroupedQueryAttentionOptions options);
  std::string class_name() const override { return "GroupedQueryAttention"; }

  // Keras's call: {output} or {output, scores (B, num_query_heads, T, S)}.
  std::vector<Tensor> attend(const Tensor& query, const Tensor& value, AttentionCallArgs args = {});
  void set_call_layout(AttentionCallLayout layout) { layout_ = layout; }

  using LayerImpl::build;
  void build(const std::vector<Shape>& input_shapes) override;
  using LayerImpl::call;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Config get_config() const override;

  EinsumDense query_dense() const { return EinsumDense(query_dense_); }
  EinsumDense key_dense() const { return EinsumDense(key_dense_); }
  EinsumDense value_dense() const { return EinsumDense(value_dense_); }
  EinsumDense output_dense() const { return EinsumDense(output_dense_); }
  const GroupedQueryAttentionOptions& options() const { return options_; }

 private:
  GroupedQueryAttentionOptions options_;
  AttentionCallLayout layout_;
  std::shared_ptr<EinsumDenseImpl> query_dense_, key_dense_, value_dense_, gate_dense_,
      output_dense_;
  std::shared_ptr<LayerImpl> softmax_, dropout_layer_;
};
KERAS_LAYER(GroupedQueryAttention);

}  // namespace keras::layers
