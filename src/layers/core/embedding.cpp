#include "keras/layers/core/embedding.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
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

KERAS_LAYER_CONFIG(
    Embedding, EmbeddingOptions, fields::field("input_dim", &EmbeddingOptions::input_dim),
    fields::field("output_dim", &EmbeddingOptions::output_dim),
    fields::weight_args<EmbeddingOptions>({KERAS_WEIGHT_ARGS(EmbeddingOptions, embeddings)},
                                          fields::Activity::kWritten),
    fields::field("mask_zero", &EmbeddingOptions::mask_zero),
    fields::constant<EmbeddingOptions>("quantization_config", nullptr),
    fields::base<EmbeddingOptions>());

}  // namespace keras::layers
