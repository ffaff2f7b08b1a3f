#include "keras/layers/core/embedding.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

EmbeddingImpl::EmbeddingImpl(EmbeddingOptions options)
    : LayerImpl(LayerOptions{.name = options.name,
                             .dtype = options.dtype,
                             .trainable = options.trainable,
                             .activity_regularizer = options.activity_regularizer}),
      options_(std::move(options)) {
  if (options_.input_dim <= 0)
    throw ValueError("Embedding: `input_dim` must be a positive integer, got " +
                     std::to_string(options_.input_dim));
  if (options_.output_dim <= 0)
    throw ValueError("Embedding: `output_dim` must be a positive integer, got " +
                     std::to_string(options_.output_dim));
  set_supports_masking(options_.mask_zero);
}

void EmbeddingImpl::build(const Shape&) {
  embeddings_ = add_weight({.shape = {options_.input_dim, options_.output_dim},
                            .initializer = options_.embeddings_initializer,
                            .regularizer = options_.embeddings_regularizer,
                            .constraint = options_.embeddings_constraint,
                            .name = "embeddings"});
}

Tensor EmbeddingImpl::call(const Tensor& inputs, const CallContext&) {
  Tensor ids = inputs;
  if (ids.dtype() != DType::Int32 && ids.dtype() != DType::Int64)
    ids = ops::cast(ids, DType::Int32);
  Tensor y;
  try {
    y = ops::take(embeddings_.value(), ids, 0);
  } catch (const IndexError& e) {
    // The backend's message names ops::take; say which layer and what the valid range is.
    throw IndexError(detail::layer_str(*this) + ": input ids must be in [0, input_dim=" +
                     std::to_string(options_.input_dim) + ") (" + e.what() + ")");
  }
  if (y.dtype() != compute_dtype()) y = ops::cast(y, compute_dtype());
  return y;
}

Tensor EmbeddingImpl::compute_mask(const std::vector<Tensor>& inputs, const Tensor&) const {
  if (!options_.mask_zero || inputs.empty()) return Tensor();
  return ops::not_equal(inputs[0], Tensor(0));
}

Config EmbeddingImpl::get_config() const {
  Config c = Config::object();
  c["input_dim"] = options_.input_dim;
  c["output_dim"] = options_.output_dim;
  c["embeddings_initializer"] = detail::serialize_ref(options_.embeddings_initializer);
  c["embeddings_regularizer"] = detail::serialize_ref(options_.embeddings_regularizer);
  c["activity_regularizer"] = detail::serialize_ref(options_.activity_regularizer);
  c["embeddings_constraint"] = detail::serialize_ref(options_.embeddings_constraint);
  c["mask_zero"] = options_.mask_zero;
  c["quantization_config"] = nullptr;
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Embedding, [](const Config& c) {
  EmbeddingOptions o;
  o.input_dim = detail::get_or<int64_t>(c, "input_dim", 0);
  o.output_dim = detail::get_or<int64_t>(c, "output_dim", 0);
  o.embeddings_initializer = detail::read_initializer(c, "embeddings_initializer", "uniform");
  o.embeddings_regularizer = detail::read_regularizer(c, "embeddings_regularizer");
  o.embeddings_constraint = detail::read_constraint(c, "embeddings_constraint");
  o.mask_zero = detail::get_or<bool>(c, "mask_zero", false);
  detail::read_base(c, o);
  return std::make_shared<EmbeddingImpl>(std::move(o));
});

}  // namespace keras::layers
