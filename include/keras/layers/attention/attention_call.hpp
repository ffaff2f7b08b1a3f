#pragma once
// Keras's per-call keywords of MultiHeadAttention and GroupedQueryAttention
// (`layer(query, value, key=None, attention_mask=None, return_attention_scores=False,
// training=None, use_causal_mask=False)`).
//
// The layers take their tensors as one input list, [query, value, key?, attention_mask?], so a
// Functional graph records them like any other inputs. attend() fills that list and sets the
// layer's call layout (which optional inputs are present, the two flags); the layout persists,
// so replaying a Functional graph calls the layer the same way. invoke() on a plain list reads
// [query, value, key?] with the current layout (default: no attention mask, no flags).
//
// query_mask / value_mask / key_mask default to the inputs' keras_mask(), as Keras's __call__
// fills them.
#include <optional>

#include "keras/core/tensor.hpp"

namespace keras::layers {

struct AttentionCallArgs {
  Tensor key;             // default: value
  Tensor attention_mask;  // (B, T, S) (or (T, S)); true = attend; numbers are cast to bool
  bool return_attention_scores = false;
  bool use_causal_mask = false;
  std::optional<bool> training;
  Tensor query_mask, value_mask, key_mask;  // (B, T) / (B, S); default: keras_mask()s
};

// How an attention layer reads its input list.
struct AttentionCallLayout {
  bool has_key = false;
  bool has_attention_mask = false;
  bool return_attention_scores = false;
  bool use_causal_mask = false;
};

}  // namespace keras::layers
