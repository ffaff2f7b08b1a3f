#pragma once
// keras.layers.CategoryEncoding (keras/src/layers/preprocessing/category_encoding.py): integer
// ids in [0, num_tokens) encoded as "multi_hot" (default; "binary" is its old name), "one_hot"
// or "count" vectors of num_tokens, in the layer's dtype. Ids outside the range give zeros, as
// Keras does on JAX and torch.
//
//   auto encode = layers::CategoryEncoding({.num_tokens = 10, .output_mode = "count"});
#include <optional>
#include <string>

#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct CategoryEncodingOptions {
  std::optional<int64_t> num_tokens;  // required
  std::string output_mode = "multi_hot";
  bool sparse = false;  // sparse outputs are not supported here
  KERAS_BASE_LAYER_OPTIONS;
};

class CategoryEncodingImpl : public LayerImpl {
 public:
  using Options = CategoryEncodingOptions;
  explicit CategoryEncodingImpl(CategoryEncodingOptions options);
  std::string class_name() const override { return "CategoryEncoding"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  using LayerImpl::compute_output_shape;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  Config get_config() const override;

 private:
  CategoryEncodingOptions options_;
};
KERAS_LAYER(CategoryEncoding);

}  // namespace keras::layers
