#pragma once
// keras.layers.Attention (keras/src/layers/attention/attention.py): Luong-style dot-product
// attention over inputs [query (B, Tq, dim), value (B, Tv, dim), key (B, Tv, dim)?]; scores are
// query . key ("dot", times a trainable scalar `scale` with use_scale) or
// concat_score_weight * sum(tanh(scale * (q + k))) ("concat"). Masks (CallArgs::masks /
// keras_mask()): [query_mask, value_mask]; masked values get scores - 1e9, masked queries output
// 0. Per-call keywords go through attend(): return_attention_scores, use_causal_mask.
//
//   auto att = layers::Attention();
//   auto outs = att->attend({q, v}, {.return_attention_scores = true});  // {output, scores}
#include <optional>
#include <string>
#include <vector>

#include "keras/layers/attention/attention_call.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::layers {

struct AttentionOptions {
  bool use_scale = false;
  std::string score_mode = "dot";  // or "concat"
  double dropout = 0.0;
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

// Keras's call keywords of Attention and AdditiveAttention.
struct AttentionLayerCallArgs {
  bool return_attention_scores = false;
  bool use_causal_mask = false;
  std::optional<bool> training;
  std::vector<Tensor> mask;  // [query_mask, value_mask(, key_mask)]; default: keras_mask()s
};

class AttentionImpl : public LayerImpl {
 public:
  using Options = AttentionOptions;
  explicit AttentionImpl(AttentionOptions options);
  std::string class_name() const override { return "Attention"; }

  // Keras's call on [query, value, key?]: {output} or {output, scores (B, Tq, Tv)}.
  std::vector<Tensor> attend(const std::vector<Tensor>& inputs, AttentionLayerCallArgs args = {});
  // How invoke() behaves (attend() sets it; it persists for Functional replays).
  void set_call_layout(AttentionCallLayout layout) { layout_ = layout; }

  using LayerImpl::build;
  void build(const std::vector<Shape>& input_shapes) override;
  using LayerImpl::call;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Tensor compute_mask(const std::vector<Tensor>& inputs, const Tensor& mask) const override;
  Config get_config() const override;

  const Variable& scale() const { return scale_; }  // undefined without use_scale
  const Variable& concat_score_weight() const { return concat_score_weight_; }
  const AttentionOptions& options() const { return options_; }

 protected:
  // (B, Tq, Tv) scores of query and key.
  virtual Tensor calculate_scores(const Tensor& query, const Tensor& key);
  void validate_inputs(size_t count) const;

  AttentionOptions options_;
  AttentionCallLayout layout_;
  Variable scale_;
  Variable concat_score_weight_;
  std::optional<random::SeedGenerator> seed_generator_;
};
KERAS_LAYER(Attention);

struct AdditiveAttentionOptions {
  bool use_scale = true;
  double dropout = 0.0;
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

// keras.layers.AdditiveAttention (additive_attention.py): Bahdanau-style scores
// sum(scale * tanh(q + k)) with a trainable `scale` of shape (dim,).
class AdditiveAttentionImpl : public AttentionImpl {
 public:
  using Options = AdditiveAttentionOptions;
  explicit AdditiveAttentionImpl(AdditiveAttentionOptions options);
  std::string class_name() const override { return "AdditiveAttention"; }
  void build(const std::vector<Shape>& input_shapes) override;
  Config get_config() const override;

 protected:
  Tensor calculate_scores(const Tensor& query, const Tensor& key) override;
};
KERAS_LAYER(AdditiveAttention);

}  // namespace keras::layers
