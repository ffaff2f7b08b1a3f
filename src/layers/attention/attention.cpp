#include "keras/layers/attention/attention.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"
#include "layers/attention/attention_utils.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

AttentionImpl::AttentionImpl(AttentionOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  if (options_.score_mode != "dot" && options_.score_mode != "concat")
    throw ValueError(
        "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. Received: "
        "score_mode=" +
        options_.score_mode);
  if (options_.dropout < 0 || options_.dropout > 1)
    throw ValueError(class_name() + ": `dropout` must be in [0, 1], got " +
                     std::to_string(options_.dropout));
  if (options_.dropout > 0) seed_generator_.emplace(options_.seed);
  set_supports_masking(true);
}

void AttentionImpl::validate_inputs(size_t count) const {
  if (count < 2 || count > 3)
    throw ValueError(class_name() +
                     " layer accepts inputs list of length 2 or 3, namely [query, value] or "
                     "[query, value, key]. Received length: " +
                     std::to_string(count) + ".");
}

void AttentionImpl::build(const std::vector<Shape>& input_shapes) {
  validate_inputs(input_shapes.size());
  if (options_.use_scale)
    scale_ = add_weight({.shape = Shape{}, .initializer = "ones", .name = "scale"});
  if (options_.score_mode == "concat")
    concat_score_weight_ =
        add_weight({.shape = Shape{}, .initializer = "ones", .name = "concat_score_weight"});
}

Tensor AttentionImpl::calculate_scores(const Tensor& query, const Tensor& key) {
  if (options_.score_mode == "dot") {
    Tensor scores = ops::matmul(query, ops::swapaxes(key, -2, -1));
    if (scale_.defined()) scores = ops::multiply(scores, scale_.value());
    return scores;
  }
  Tensor q = ops::expand_dims(query, -2), k = ops::expand_dims(key, -3);
  Tensor sum = scale_.defined() ? ops::tanh(scale_.value() * (q + k)) : ops::tanh(q + k);
  return concat_score_weight_.value() * ops::sum(sum, {.axis = -1});
}

std::vector<Tensor> AttentionImpl::attend(const std::vector<Tensor>& inputs,
                                          AttentionLayerCallArgs args) {
  layout_ = AttentionCallLayout{.return_attention_scores = args.return_attention_scores,
                                .use_causal_mask = args.use_causal_mask};
  std::vector<Tensor> masks;
  if (!args.mask.empty()) {
    if (args.mask.size() < 2 || args.mask.size() > 3)
      throw ValueError(class_name() + " layer accepts mask list of length 2 or 3. Received " +
                       std::to_string(args.mask.size()) + " masks");
    masks = args.mask;
    masks.resize(inputs.size());
  }
  return invoke(inputs, CallArgs{.training = args.training, .masks = masks});
}

std::vector<Tensor> AttentionImpl::call(const std::vector<Tensor>& inputs,
                                        const CallContext& context) {
  validate_inputs(inputs.size());
  const Tensor& q = inputs[0];
  const Tensor& v = inputs[1];
  const Tensor& k = inputs.size() > 2 ? inputs[2] : v;
  auto mask_at = [&](size_t i) {
    return i < context.masks.size() && context.masks[i].defined()
               ? attention_detail::as_bool(context.masks[i])
               : Tensor();
  };
  Tensor q_mask = mask_at(0), v_mask = mask_at(1);
  Tensor scores = calculate_scores(q, k);
  // _calculate_score_mask
  Tensor scores_mask = v_mask;
  if (layout_.use_causal_mask) {
    Tensor causal = attention_detail::causal_mask(q, k);  // (1, Tq, Tv)
    scores_mask =
        v_mask.defined() ? ops::logical_and(ops::expand_dims(v_mask, -2), causal) : causal;
  }
  // _apply_scores
  if (scores_mask.defined()) {
    Tensor padding = ops::logical_not(scores_mask);
    double max_value = scores.dtype() == DType::Float16 ? 65504.0 : 1.0e9;
    if (padding.ndim() == 2) padding = ops::expand_dims(padding, -2);
    scores = ops::where(padding, scores - max_value, scores);
  }
  Tensor weights = ops::softmax(scores, -1);
  Tensor dropped = weights;
  if (context.training && options_.dropout > 0)
    dropped = random::dropout(weights, options_.dropout, {.seed = *seed_generator_});
  Tensor out = ops::matmul(dropped, v);
  if (q_mask.defined()) out = ops::where(ops::expand_dims(q_mask, -1), out, 0.0);
  if (layout_.return_attention_scores) return {out, weights};
  return {out};
}

Tensor AttentionImpl::compute_mask(const std::vector<Tensor>&, const Tensor& mask) const {
  return mask;  // the query's mask
}

KERAS_LAYER_CONFIG(Attention, AttentionOptions,
                   fields::field("use_scale", &AttentionOptions::use_scale),
                   fields::field("score_mode", &AttentionOptions::score_mode),
                   fields::field("dropout", &AttentionOptions::dropout),
                   fields::field("seed", &AttentionOptions::seed),
                   fields::base<AttentionOptions>());

// ---- AdditiveAttention ----

AdditiveAttentionImpl::AdditiveAttentionImpl(AdditiveAttentionOptions options)
    : AttentionImpl(AttentionOptions{.use_scale = options.use_scale,
                                     .dropout = options.dropout,
                                     .seed = options.seed,
                                     .name = options.name,
                                     .dtype = options.dtype,
                                     .trainable = options.trainable}) {}

void AdditiveAttentionImpl::build(const std::vector<Shape>& input_shapes) {
  validate_inputs(input_shapes.size());
  int64_t dim = input_shapes[0].back();
  if (options_.use_scale)
    scale_ = add_weight({.shape = Shape{dim}, .initializer = "glorot_uniform", .name = "scale"});
}

Tensor AdditiveAttentionImpl::calculate_scores(const Tensor& query, const Tensor& key) {
  Tensor t = ops::tanh(ops::expand_dims(query, -2) + ops::expand_dims(key, -3));
  return ops::sum(scale_.defined() ? scale_.value() * t : t, {.axis = -1});
}

Config AdditiveAttentionImpl::get_config() const {
  Config c = AttentionImpl::get_config();
  c.erase("score_mode");
  return c;
}

// Attention's fields without score_mode (see get_config).
KERAS_LAYER_FIELDS(AdditiveAttention, AdditiveAttentionOptions,
                   fields::field("use_scale", &AdditiveAttentionOptions::use_scale),
                   fields::field("dropout", &AdditiveAttentionOptions::dropout),
                   fields::field("seed", &AdditiveAttentionOptions::seed),
                   fields::base<AdditiveAttentionOptions>());
KERAS_REGISTER_LAYER_FIELDS(AdditiveAttention, AdditiveAttention_fields());

}  // namespace keras::layers
