#include "keras/layers/attention/multi_head_attention.hpp"

#include <algorithm>
#include <cmath>

#include "keras/layers/activations/activation_layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/layers/regularization/dropout_layers.hpp"
#include "layers/attention/attention_utils.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

using namespace attention_detail;

char letter(int64_t i) { return static_cast<char>('a' + i); }

struct ProjEquation {
  std::string equation, bias_axes;
  int64_t output_rank;
};

// Keras's _build_proj_equation.
ProjEquation build_proj_equation(int64_t free_dims, int64_t bound_dims, int64_t output_dims) {
  std::string in, kernel, out, bias;
  int64_t offset = 0;
  for (int64_t i = 0; i < free_dims; ++i) {
    in += letter(i + offset);
    out += letter(i + offset);
  }
  offset += free_dims;
  for (int64_t i = 0; i < bound_dims; ++i) {
    in += letter(i + offset);
    kernel += letter(i + offset);
  }
  offset += bound_dims;
  for (int64_t i = 0; i < output_dims; ++i) {
    kernel += letter(i + offset);
    out += letter(i + offset);
    bias += letter(i + offset);
  }
  return {in + "," + kernel + "->" + out, bias, static_cast<int64_t>(out.size())};
}

// Keras's _get_output_shape: None for the leading dims, then the known ones.
Shape proj_output_shape(int64_t output_rank, const std::vector<int64_t>& known) {
  Shape s;
  for (int64_t i = 0; i < output_rank - static_cast<int64_t>(known.size()); ++i)
    s.push_back(Shape::kNone);
  for (int64_t d : known) s.push_back(d);
  return s;
}

// Keras's _build_attention_equation: (dot_product_equation, combine_equation, scores rank).
std::tuple<std::string, std::string, int64_t> build_attention_equation(
    int64_t rank, const std::vector<int64_t>& attn_axes) {
  std::string target;
  for (int64_t i = 0; i < rank; ++i) target += letter(i);
  auto is_attn = [&](int64_t i) {
    return std::find(attn_axes.begin(), attn_axes.end(), i) != attn_axes.end();
  };
  std::vector<int64_t> batch_dims;
  for (int64_t i = 0; i < rank; ++i)
    if (!is_attn(i) && i != rank - 1) batch_dims.push_back(i);
  int64_t offset = rank;
  std::string source;
  for (int64_t i = 0; i < rank; ++i) {
    bool batch = std::find(batch_dims.begin(), batch_dims.end(), i) != batch_dims.end();
    source += (batch || i == rank - 1) ? target[i] : letter(offset++);
  }
  std::string product;
  for (int64_t i : batch_dims) product += target[i];
  for (int64_t i : attn_axes) product += target[i];
  for (int64_t i : attn_axes) product += source[i];
  return {source + "," + target + "->" + product, product + "," + source + "->" + target,
          static_cast<int64_t>(product.size())};
}

// A weak scalar equal to `scale` rounded to dtype (float32 products of it are then exactly
// Keras's query * cast(scale, dtype)).
double scale_in(DType dtype, double scale) {
  return dtype == DType::Float32 ? static_cast<double>(static_cast<float>(scale)) : scale;
}

Config optional_ints(const std::optional<std::vector<int64_t>>& v) {
  return v ? detail::ints_config(*v) : Config(nullptr);
}

}  // namespace

MultiHeadAttentionImpl::MultiHeadAttentionImpl(MultiHeadAttentionOptions options)
    : LayerImpl(LayerOptions{.name = options.name,
                             .dtype = options.dtype,
                             .trainable = options.trainable,
                             .activity_regularizer = options.activity_regularizer}),
      options_(std::move(options)) {
  if (options_.num_heads <= 0)
    throw ValueError(
        "Received an invalid value for argument `num_heads`, expected a positive integer. "
        "Received: num_heads=" +
        std::to_string(options_.num_heads));
  if (options_.key_dim <= 0)
    throw ValueError(
        "Received an invalid value for argument `key_dim`, expected a positive integer. "
        "Received: key_dim=" +
        std::to_string(options_.key_dim));
  if (options_.value_dim && *options_.value_dim <= 0)
    throw ValueError(
        "Received an invalid value for argument `value_dim`, expected a positive integer or "
        "`None`. Received: value_dim=" +
        std::to_string(*options_.value_dim));
  if (options_.sliding_window && *options_.sliding_window <= 0)
    throw ValueError(
        "`sliding_window` must be `None` or a positive integer. Received: sliding_window=" +
        std::to_string(*options_.sliding_window));
  if (options_.dropout < 0 || options_.dropout > 1)
    throw ValueError("MultiHeadAttention: `dropout` must be in [0, 1], got " +
                     std::to_string(options_.dropout));
  if (options_.flash_attention.value_or(false) && options_.dropout > 0.0)
    throw ValueError(
        "Dropout is not supported when flash attention is enabled. Please set dropout to 0.0 to "
        "use flash attention.");
  if (options_.output_shape && options_.output_shape->rank() == 0) options_.output_shape.reset();
  value_dim_ = options_.value_dim.value_or(options_.key_dim);
  attention_axes_ = options_.attention_axes;
  set_supports_masking(true);
}

void MultiHeadAttentionImpl::build(const std::vector<Shape>& input_shapes) {
  const std::string where = detail::layer_str(*this);
  if (input_shapes.size() < 2)
    throw ValueError(where + ": expects inputs [query, value, key?], got " +
                     std::to_string(input_shapes.size()) + " input(s)");
  const Shape& query_shape = input_shapes[0];
  const Shape& value_shape = input_shapes[1];
  const Shape& key_shape =
      (layout_.has_key || (input_shapes.size() == 3 && !layout_.has_attention_mask))
          ? input_shapes[2]
          : value_shape;
  auto middle = [](const Shape& s) {  // the dimensions between the batch and the last one
    if (s.rank() < 2) return std::vector<int64_t>{};
    return std::vector<int64_t>(s.begin() + 1, s.end() - 1);
  };
  if (value_shape.rank() != key_shape.rank() || middle(value_shape) != middle(key_shape))
    throw ValueError(
        "All dimensions of `value` and `key`, except the last one, must be equal. Received: "
        "value_shape=" +
        value_shape.to_string() + " and key_shape=" + key_shape.to_string());
  if (query_shape.rank() < 3)
    throw ValueError(where + ": `query` must have rank >= 3 (batch, ..., features), got shape " +
                     query_shape.to_string());
  auto common = [&](ProjEquation eq, Shape out, std::string name) {
    EinsumDenseOptions o;
    o.equation = eq.equation;
    o.output_shape = std::move(out);
    o.bias_axes = options_.use_bias ? eq.bias_axes : "";
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
  const int64_t qr = query_shape.rank(), vr = value_shape.rank(), kr = key_shape.rank();
  ProjEquation eq = build_proj_equation(qr - 1, 1, 2);
  query_dense_ = std::make_shared<EinsumDenseImpl>(common(
      eq, proj_output_shape(eq.output_rank - 1, {options_.num_heads, options_.key_dim}), "query"));
  query_dense_->maybe_build({query_shape});
  eq = build_proj_equation(kr - 1, 1, 2);
  key_dense_ = std::make_shared<EinsumDenseImpl>(common(
      eq, proj_output_shape(eq.output_rank - 1, {options_.num_heads, options_.key_dim}), "key"));
  key_dense_->maybe_build({key_shape});
  if (options_.use_gate) {
    eq = build_proj_equation(qr - 1, 1, 2);
    EinsumDenseOptions o =
        common(eq, proj_output_shape(eq.output_rank - 1, {options_.num_heads, value_dim_}), "gate");
    o.activation = activations::Activation("sigmoid");
    gate_dense_ = std::make_shared<EinsumDenseImpl>(std::move(o));
    gate_dense_->maybe_build({query_shape});
  }
  eq = build_proj_equation(vr - 1, 1, 2);
  value_dense_ = std::make_shared<EinsumDenseImpl>(
      common(eq, proj_output_shape(eq.output_rank - 1, {options_.num_heads, value_dim_}), "value"));
  value_dense_->maybe_build({value_shape});
  // _build_attention(output_rank)
  const int64_t rank = eq.output_rank;
  std::vector<int64_t> axes;
  if (!attention_axes_) {
    for (int64_t i = 1; i < rank - 2; ++i) axes.push_back(i);
  } else {
    for (int64_t a : *attention_axes_) {
      int64_t axis = a >= 0 ? a : (rank - 1) + a;
      // Indexes the einsum letters of the projected query (rank `rank`).
      if (axis < 0 || axis >= rank)
        throw ValueError("MultiHeadAttention '" + name() + "': attention_axes value " +
                         std::to_string(a) + " is out of range for a query of rank " +
                         std::to_string(rank - 1));
      axes.push_back(axis);
    }
  }
  attention_axes_ = axes;
  int64_t scores_rank;
  std::tie(dot_product_equation_, combine_equation_, scores_rank) =
      build_attention_equation(rank, axes);
  std::vector<int64_t> norm_axes;
  for (int64_t i = scores_rank - static_cast<int64_t>(axes.size()); i < scores_rank; ++i)
    norm_axes.push_back(i);
  softmax_ =
      std::make_shared<SoftmaxImpl>(SoftmaxOptions{.axis = Ints(norm_axes), .dtype = dtype()});
  softmax_->ensure_named();
  dropout_layer_ = std::make_shared<DropoutImpl>(
      DropoutOptions{.rate = options_.dropout, .seed = options_.seed, .dtype = dtype()});
  dropout_layer_->ensure_named();
  // _make_output_dense
  std::vector<int64_t> out_shape;
  if (options_.output_shape)
    out_shape.assign(options_.output_shape->begin(), options_.output_shape->end());
  else
    out_shape = {query_shape.back()};
  eq = build_proj_equation(qr - 1, 2, static_cast<int64_t>(out_shape.size()));
  output_dense_ = std::make_shared<EinsumDenseImpl>(
      common(eq, proj_output_shape(eq.output_rank - 1, out_shape), "attention_output"));
  Shape out_in = query_dense_->compute_output_shape(query_shape);
  out_in[out_in.rank() - 1] = value_dim_;
  output_dense_->maybe_build({out_in});
  // Keras's attributes are `_query_dense` ... with public properties `query_dense`, `key_dense`,
  // `value_dense`, `output_dense`; its weight-file walk visits public names first, so the
  // projections are saved under the public names (as Keras's files show) and the rest under
  // their private ones.
  track_layer("query_dense", query_dense_);
  track_layer("key_dense", key_dense_);
  if (gate_dense_) track_layer("_gate_dense", gate_dense_);
  track_layer("value_dense", value_dense_);
  track_layer("_softmax", softmax_);
  track_layer("_dropout_layer", dropout_layer_);
  track_layer("output_dense", output_dense_);
}

std::vector<Tensor> MultiHeadAttentionImpl::attend(const Tensor& query, const Tensor& value,
                                                   AttentionCallArgs args) {
  layout_ = layout_of(args);
  std::vector<Tensor> xs = input_list(query, value, args);
  return invoke(xs, CallArgs{.training = args.training, .masks = explicit_masks(xs, args)});
}

std::pair<Tensor, Tensor> MultiHeadAttentionImpl::compute_attention(
    const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& attention_mask,
    bool training, bool return_scores, bool causal_only) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(options_.key_dim));
  if (options_.flash_attention.value_or(false) && return_scores)
    throw ValueError(
        "Returning attention scores is not supported when flash attention is enabled. Please "
        "disable flash attention to access attention scores.");
  const bool use_dpa = !(options_.dropout > 0.0 || return_scores || query.ndim() != 4);
  if (use_dpa) {
    Tensor mask;
    if (attention_mask.defined())
      mask = as_bool(
          expand_mask(attention_mask, 4, -static_cast<int64_t>(attention_axes_->size()) * 2 - 1));
    return {ops::dot_product_attention(query, key, value, Tensor(), mask, scale, causal_only,
                                       options_.flash_attention),
            Tensor()};
  }
  // Keras multiplies by the scale cast to the query's dtype.
  Tensor q = ops::multiply(query, scale_in(query.dtype(), scale));
  Tensor scores = ops::einsum(dot_product_equation_, {key, q});
  Tensor mask;
  if (attention_mask.defined())
    mask = expand_mask(attention_mask, scores.ndim(),
                       -static_cast<int64_t>(attention_axes_->size()) * 2 - 1);
  scores = softmax_->invoke({scores}, CallArgs{.mask = mask})[0];
  Tensor dropped = scores;
  if (options_.dropout > 0.0)
    dropped = dropout_layer_->invoke({scores}, CallArgs{.training = training})[0];
  return {ops::einsum(combine_equation_, {dropped, value}), scores};
}

std::vector<Tensor> MultiHeadAttentionImpl::call(const std::vector<Tensor>& inputs,
                                                 const CallContext& context) {
  AttentionInputs in = split_inputs(detail::layer_str(*this), inputs, context.masks, layout_);
  Tensor key = in.key.defined() ? in.key : in.value;
  const bool causal_only = layout_.use_causal_mask && !in.query_mask.defined() &&
                           !in.value_mask.defined() && !in.key_mask.defined() &&
                           !in.attention_mask.defined() && !options_.sliding_window;
  // Only the fused kernel (no dropout, no scores, rank-3 inputs) applies a causal mask by itself;
  // the einsum path needs it built like any other mask.
  const bool fused =
      !(options_.dropout > 0.0 || layout_.return_attention_scores || in.query.ndim() != 3);
  Tensor attention_mask;
  if (!causal_only || !fused)
    attention_mask = compute_attention_mask(in, layout_.use_causal_mask, options_.sliding_window);
  Tensor gate;
  if (gate_dense_) gate = (*gate_dense_)(in.query);
  Tensor q = (*query_dense_)(in.query);
  Tensor k = (*key_dense_)(key);
  Tensor v = (*value_dense_)(in.value);
  auto [out, scores] = compute_attention(q, k, v, attention_mask, context.training,
                                         layout_.return_attention_scores, causal_only && fused);
  out = (*output_dense_)(gate.defined() ? ops::multiply(out, gate) : out);
  if (layout_.return_attention_scores) return {out, scores};
  return {out};
}

KERAS_LAYER_FIELDS(
    MultiHeadAttention, MultiHeadAttentionOptions,
    fields::field("num_heads", &MultiHeadAttentionOptions::num_heads),
    fields::field("key_dim", &MultiHeadAttentionOptions::key_dim),
    fields::field("value_dim", &MultiHeadAttentionOptions::value_dim),
    fields::field("dropout", &MultiHeadAttentionOptions::dropout),
    fields::field("use_bias", &MultiHeadAttentionOptions::use_bias),
    fields::field("use_gate", &MultiHeadAttentionOptions::use_gate),
    fields::custom<MultiHeadAttentionOptions>(
        "output_shape",
        [](const MultiHeadAttentionOptions& o) {
          return o.output_shape ? detail::ints_config(std::vector<int64_t>(o.output_shape->begin(),
                                                                           o.output_shape->end()))
                                : Config(nullptr);
        },
        [](const Config& c, MultiHeadAttentionOptions& o) {
          if (detail::has(c, "output_shape"))
            o.output_shape = Shape(saving::config_ints(c["output_shape"], "output_shape"));
        }),
    fields::field("attention_axes", &MultiHeadAttentionOptions::attention_axes),
    fields::field("sliding_window", &MultiHeadAttentionOptions::sliding_window),
    fields::field("flash_attention", &MultiHeadAttentionOptions::flash_attention).read_only(),
    fields::kernel_bias<MultiHeadAttentionOptions>(fields::Activity::kWritten),
    fields::field("seed", &MultiHeadAttentionOptions::seed),
    fields::base<MultiHeadAttentionOptions>());

Config MultiHeadAttentionImpl::get_config() const {
  Config c = fields::write(MultiHeadAttention_fields(), options_);
  c["value_dim"] = value_dim_;  // key_dim when not given
  c["attention_axes"] = optional_ints(attention_axes_);
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER_FIELDS(MultiHeadAttention, MultiHeadAttention_fields());

}  // namespace keras::layers
