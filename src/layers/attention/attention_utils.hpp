#pragma once
// Pieces shared by MultiHeadAttention and GroupedQueryAttention (not a public header): reading
// the input list, Keras's _compute_attention_mask / _compute_causal_mask /
// _compute_sliding_window_mask, and the masked softmax's mask expansion.
#include <string>
#include <vector>

#include "keras/backend/backend.hpp"
#include "keras/layers/attention/attention_call.hpp"
#include "keras/layers/layer.hpp"
#include "keras/ops/ops.hpp"

namespace keras::layers::attention_detail {

struct AttentionInputs {
  Tensor query, value, key, attention_mask;
  Tensor query_mask, value_mask, key_mask;
};

// Splits [query, value, key?, attention_mask?] by the layout; masks from the context.
inline AttentionInputs split_inputs(const std::string& where, const std::vector<Tensor>& inputs,
                                    const std::vector<Tensor>& masks,
                                    const AttentionCallLayout& layout) {
  size_t want = 2 + (layout.has_key ? 1 : 0) + (layout.has_attention_mask ? 1 : 0);
  bool key_by_count = !layout.has_attention_mask && !layout.has_key && inputs.size() == 3;
  if (inputs.size() != want && !key_by_count)
    throw ValueError(where + ": expected inputs [query, value" +
                     std::string(layout.has_key ? ", key" : "") +
                     (layout.has_attention_mask ? ", attention_mask" : "") + "] (" +
                     std::to_string(want) + " tensors), got " + std::to_string(inputs.size()));
  auto mask_at = [&](size_t i) { return i < masks.size() ? masks[i] : Tensor(); };
  AttentionInputs r;
  r.query = inputs[0];
  r.value = inputs[1];
  r.query_mask = mask_at(0);
  r.value_mask = mask_at(1);
  size_t i = 2;
  if (layout.has_key || key_by_count) {
    r.key = inputs[i];
    r.key_mask = mask_at(i);
    ++i;
  }
  if (layout.has_attention_mask) r.attention_mask = inputs[i];
  return r;
}

// The input list and the explicit masks of attend().
inline std::vector<Tensor> input_list(const Tensor& query, const Tensor& value,
                                      const AttentionCallArgs& args) {
  std::vector<Tensor> xs{query, value};
  if (args.key.defined()) xs.push_back(args.key);
  if (args.attention_mask.defined()) xs.push_back(args.attention_mask);
  return xs;
}
inline std::vector<Tensor> explicit_masks(const std::vector<Tensor>& xs,
                                          const AttentionCallArgs& args) {
  if (!args.query_mask.defined() && !args.value_mask.defined() && !args.key_mask.defined())
    return {};
  std::vector<Tensor> masks;
  for (const Tensor& x : xs) masks.push_back(x.keras_mask());
  if (args.query_mask.defined()) masks[0] = args.query_mask;
  if (args.value_mask.defined()) masks[1] = args.value_mask;
  if (args.key_mask.defined() && args.key.defined()) masks[2] = args.key_mask;
  return masks;
}
inline AttentionCallLayout layout_of(const AttentionCallArgs& args) {
  return {args.key.defined(), args.attention_mask.defined(), args.return_attention_scores,
          args.use_causal_mask};
}

inline Tensor as_bool(const Tensor& m) {
  return m.dtype() == DType::Bool ? m : ops::cast(m, DType::Bool);
}

// A (1, T, S) lower-triangular boolean mask (row >= column).
inline Tensor causal_mask(const Tensor& query, const Tensor& value) {
  int64_t t = query.shape()[1], s = value.shape()[1];
  if (query.is_symbolic() || value.is_symbolic())
    return Tensor::symbolic(Shape{1, t, s}, DType::Bool);
  std::string be(query.backend().name());
  Tensor rows = ops::reshape(ops::convert_to_tensor(ops::arange(t), be), Shape{1, t, 1});
  Tensor cols = ops::reshape(ops::convert_to_tensor(ops::arange(s), be), Shape{1, 1, s});
  return ops::greater_equal(rows, cols);
}

// A (1, T, S) band: |row - column| < window.
inline Tensor sliding_window_mask(const Tensor& query, const Tensor& value, int64_t window) {
  int64_t t = query.shape()[1], s = value.shape()[1];
  if (query.is_symbolic() || value.is_symbolic())
    return Tensor::symbolic(Shape{1, t, s}, DType::Bool);
  std::string be(query.backend().name());
  Tensor rows = ops::reshape(ops::convert_to_tensor(ops::arange(t), be), Shape{1, t, 1});
  Tensor cols = ops::reshape(ops::convert_to_tensor(ops::arange(s), be), Shape{1, 1, s});
  return ops::less(ops::abs(rows - cols), static_cast<double>(window));
}

// Keras's _compute_attention_mask: ANDs the query mask (B, T, 1), value and key masks (B, 1, S),
// the causal and sliding-window masks (1, T, S) and the attention mask.
inline Tensor compute_attention_mask(const AttentionInputs& in, bool use_causal_mask,
                                     std::optional<int64_t> sliding_window) {
  Tensor auto_mask;
  auto add = [&](const Tensor& m) {
    auto_mask = auto_mask.defined() ? ops::logical_and(auto_mask, m) : m;
  };
  if (in.query_mask.defined()) add(ops::expand_dims(as_bool(in.query_mask), -1));
  if (in.value_mask.defined()) add(ops::expand_dims(as_bool(in.value_mask), -2));
  if (in.key_mask.defined()) add(ops::expand_dims(as_bool(in.key_mask), -2));
  if (use_causal_mask) add(causal_mask(in.query, in.value));
  if (sliding_window) add(sliding_window_mask(in.query, in.value, *sliding_window));
  Tensor attention_mask = in.attention_mask.defined() ? as_bool(in.attention_mask) : Tensor();
  if (auto_mask.defined())
    attention_mask =
        attention_mask.defined() ? ops::logical_and(attention_mask, auto_mask) : auto_mask;
  return attention_mask;
}

// Expands a mask with size-1 axes at `axis` until it has `rank` dims (Keras's masked softmax).
inline Tensor expand_mask(Tensor mask, int rank, int64_t axis) {
  while (mask.ndim() < rank) mask = ops::expand_dims(mask, axis);
  return mask;
}

}  // namespace keras::layers::attention_detail
