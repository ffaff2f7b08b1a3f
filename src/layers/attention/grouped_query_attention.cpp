#include "keras/layers/attention/grouped_query_attention.hpp"

#include <cmath>

#include "keras/layers/activations/activation_layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/layers/regularization/dropout_layers.hpp"
#include "layers/attention/attention_utils.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

using namespace attention_detail;

GroupedQueryAttentionImpl::GroupedQueryAttentionImpl(GroupedQueryAttentionOptions options)
    : LayerImpl(LayerOptions{.name = options.name,
                             .dtype = options.dtype,
                             .trainable = options.trainable,
                             .activity_regularizer = options.activity_regularizer}),
      options_(std::move(options)) {
  if (options_.head_dim <= 0 || options_.num_query_heads <= 0 || options_.num_key_value_heads <= 0)
    throw ValueError(
        "GroupedQueryAttention: `head_dim`, `num_query_heads` and `num_key_value_heads` must be "
        "positive integers, got " +
        std::to_string(options_.head_dim) + ", " + std::to_string(options_.num_query_heads) + ", " +
        std::to_string(options_.num_key_value_heads));
  if (options_.num_query_heads % options_.num_key_value_heads != 0)
    throw ValueError("`num_query_heads` must be divisible by `num_key_value_heads`.");
  if (options_.sliding_window && *options_.sliding_window <= 0)
    throw ValueError(
        "`sliding_window` must be `None` or a positive integer. Received: sliding_window=" +
        std::to_string(*options_.sliding_window));
  if (options_.flash_attention.value_or(false) && options_.dropout > 0.0)
    throw ValueError(
        "Dropout is not supported when flash attention is enabled. Please set dropout to 0.0 to "
        "use flash attention.");
  set_supports_masking(true);
}

void GroupedQueryAttentionImpl::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() < 2)
    throw ValueError(detail::layer_str(*this) + ": expects inputs [query, value, key?], got " +
                     std::to_string(input_shapes.size()) + " input(s)");
  const Shape& query_shape = input_shapes[0];
  const Shape& value_shape = input_shapes[1];
  const Shape& key_shape =
      (layout_.has_key || (input_shapes.size() == 3 && !layout_.has_attention_mask))
          ? input_shapes[2]
          : value_shape;
  if (query_shape.rank() != 3)
    throw ValueError(detail::layer_str(*this) +
                     ": `query` must have shape (batch, seq, features), got " +
                     query_shape.to_string());
  auto common = [&](std::string eq, Shape out, std::string bias, std::string name) {
    EinsumDenseOptions o;
    o.equation = std::move(eq);
    o.output_shape = std::move(out);
    o.bias_axes = options_.use_bias ? bias : "";
    o.kernel_initializer = options_.kernel_initializer;
    o.bias_initializer = options_.bias_initializer;
    o.kernel_regularizer = options_.kernel_regularizer;
    o.bias_regularizer = options_.bias_regularizer;
    o.activity_regularizer = options_.activity_regularizer;
    o.kernel_constraint = options_.kernel_constraint;
    o.bias_constraint = options_.bias_constraint;
    o.name = std::move(name);
    o.dtype = dtype();
    return o;
  };
  const int64_t nq = options_.num_query_heads, nkv = options_.num_key_value_heads,
                h = options_.head_dim;
  query_dense_ = std::make_shared<EinsumDenseImpl>(
      common("bqm,muh->bquh", {Shape::kNone, nq, h}, "uh", "query"));
  query_dense_->maybe_build({query_shape});
  key_dense_ = std::make_shared<EinsumDenseImpl>(
      common("bkm,mvh->bkvh", {Shape::kNone, nkv, h}, "vh", "key"));
  key_dense_->maybe_build({key_shape});
  if (options_.use_gate) {
    EinsumDenseOptions o = common("bqm,muh->bquh", {Shape::kNone, nq, h}, "uh", "gate");
    o.activation = activations::Activation("sigmoid");
    gate_dense_ = std::make_shared<EinsumDenseImpl>(std::move(o));
    gate_dense_->maybe_build({query_shape});
  }
  value_dense_ = std::make_shared<EinsumDenseImpl>(
      common("bkm,mvh->bkvh", {Shape::kNone, nkv, h}, "vh", "value"));
  value_dense_->maybe_build({value_shape});
  softmax_ = std::make_shared<SoftmaxImpl>(SoftmaxOptions{.axis = -1, .dtype = dtype()});
  softmax_->ensure_named();
  dropout_layer_ = std::make_shared<DropoutImpl>(
      DropoutOptions{.rate = options_.dropout, .seed = options_.seed, .dtype = dtype()});
  dropout_layer_->ensure_named();
  output_dense_ = std::make_shared<EinsumDenseImpl>(
      common("bquh,uhm->bqm", {Shape::kNone, query_shape.back()}, "m", "attention_output"));
  output_dense_->maybe_build({Shape{Shape::kNone, Shape::kNone, nq, h}});
  track_layer("_query_dense", query_dense_);
  track_layer("_key_dense", key_dense_);
  if (gate_dense_) track_layer("_gate_dense", gate_dense_);
  track_layer("_value_dense", value_dense_);
  track_layer("_softmax", softmax_);
  track_layer("_dropout_layer", dropout_layer_);
  track_layer("_output_dense", output_dense_);
}

std::vector<Tensor> GroupedQueryAttentionImpl::attend(const Tensor& query, const Tensor& value,
                                                      AttentionCallArgs args) {
  layout_ = layout_of(args);
  std::vector<Tensor> xs = input_list(query, value, args);
  return invoke(xs, CallArgs{.training = args.training, .masks = explicit_masks(xs, args)});
}

std::vector<Tensor> GroupedQueryAttentionImpl::call(const std::vector<Tensor>& inputs,
                                                    const CallContext& context) {
  AttentionInputs in = split_inputs(detail::layer_str(*this), inputs, context.masks, layout_);
  Tensor key_in = in.key.defined() ? in.key : in.value;
  const bool causal_only = layout_.use_causal_mask && !in.query_mask.defined() &&
                           !in.value_mask.defined() && !in.key_mask.defined() &&
                           !in.attention_mask.defined() && !options_.sliding_window;
  Tensor attention_mask;
  if (!causal_only)
    attention_mask = compute_attention_mask(in, layout_.use_causal_mask, options_.sliding_window);
  Tensor gate;
  if (gate_dense_) gate = (*gate_dense_)(in.query);
  Tensor q = (*query_dense_)(in.query);
  Tensor k = (*key_dense_)(key_in);
  Tensor v = (*value_dense_)(in.value);
  const double scale = 1.0 / std::sqrt(static_cast<double>(options_.head_dim));
  if (options_.flash_attention.value_or(false) && layout_.return_attention_scores)
    throw ValueError(
        "Returning attention scores is not supported when flash attention is enabled. Please "
        "disable flash attention to access attention scores.");
  Tensor out, scores;
  if (!(options_.dropout > 0.0 || layout_.return_attention_scores)) {
    // Keras repeats the key/value heads first; ops::dot_product_attention broadcasts them.
    Tensor mask;
    if (attention_mask.defined()) mask = as_bool(expand_mask(attention_mask, 4, -3));
    out = ops::dot_product_attention(q, k, v, Tensor(), mask, scale, causal_only,
                                     options_.flash_attention);
  } else {
    const int64_t repeats = options_.num_query_heads / options_.num_key_value_heads;
    k = ops::repeat(k, repeats, 2);
    v = ops::repeat(v, repeats, 2);
    if (causal_only) attention_mask = causal_mask(q, v);
    // Keras multiplies by the scale cast to the query's dtype.
    Tensor qs = ops::multiply(
        q, q.dtype() == DType::Float32 ? static_cast<double>(static_cast<float>(scale)) : scale);
    scores = ops::einsum("bquh,bkuh->buqk", {qs, k});
    Tensor mask;
    if (attention_mask.defined()) mask = expand_mask(attention_mask, scores.ndim(), -3);
    scores = softmax_->invoke({scores}, CallArgs{.mask = mask})[0];
    Tensor dropped = scores;
    if (options_.dropout > 0.0)
      dropped = dropout_layer_->invoke({scores}, CallArgs{.training = context.training})[0];
    out = ops::einsum("buqk,bkuh->bquh", {dropped, v});
  }
  out = (*output_dense_)(gate.defined() ? ops::multiply(out, gate) : out);
  if (layout_.return_attention_scores) return {out, scores};
  return {out};
}

KERAS_LAYER_CONFIG(
    GroupedQueryAttention, GroupedQueryAttentionOptions,
    fields::field("head_dim", &GroupedQueryAttentionOptions::head_dim),
    fields::field("num_query_heads", &GroupedQueryAttentionOptions::num_query_heads),
    fields::field("num_key_value_heads", &GroupedQueryAttentionOptions::num_key_value_heads),
    fields::field("use_bias", &GroupedQueryAttentionOptions::use_bias),
    fields::field("use_gate", &GroupedQueryAttentionOptions::use_gate),
    fields::field("sliding_window", &GroupedQueryAttentionOptions::sliding_window),
    fields::field("flash_attention", &GroupedQueryAttentionOptions::flash_attention).read_only(),
    fields::field("dropout", &GroupedQueryAttentionOptions::dropout),
    fields::kernel_bias<GroupedQueryAttentionOptions>(fields::Activity::kWritten),
    fields::field("seed", &GroupedQueryAttentionOptions::seed),
    fields::base<GroupedQueryAttentionOptions>());

}  // namespace keras::layers
