#pragma once
// keras.layers.Embedding (keras/src/layers/core/embedding.py): maps integer ids to rows of an
// (input_dim, output_dim) table "embeddings".
//
//   auto emb = layers::Embedding({.input_dim = 1000, .output_dim = 64, .mask_zero = true});
#include "keras/constraints/constraints.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/regularizers/regularizers.hpp"

namespace keras::layers {

struct EmbeddingOptions {
  int64_t input_dim = 0;   // required
  int64_t output_dim = 0;  // required
  saving::ObjectRef<initializers::Initializer> embeddings_initializer = "uniform";
  saving::ObjectRef<regularizers::Regularizer> embeddings_regularizer{};
  saving::ObjectRef<constraints::Constraint> embeddings_constraint{};
  bool mask_zero = false;
  saving::ObjectRef<regularizers::Regularizer> activity_regularizer{};
  KERAS_BASE_LAYER_OPTIONS;
};

class EmbeddingImpl : public LayerImpl {
 public:
  using Options = EmbeddingOptions;
  explicit EmbeddingImpl(EmbeddingOptions options);
  std::string class_name() const override { return "Embedding"; }
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  // mask_zero: inputs != 0.
  Tensor compute_mask(const std::vector<Tensor>& inputs, const Tensor& mask) const override;
  Config get_config() const override;
  const Variable& embeddings() const { return embeddings_; }

 private:
  EmbeddingOptions options_;
  Variable embeddings_;
};
KERAS_LAYER(Embedding);

}  // namespace keras::layers
