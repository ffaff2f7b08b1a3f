#pragma once
// Minimum (keras/src/layers/merging/minimum.py): the elementwise minimum of its inputs.
#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

struct MinimumOptions {
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class MinimumImpl : public MergeImpl {
 public:
  using Options = MinimumOptions;
  explicit MinimumImpl(MinimumOptions options = {})
      : MergeImpl({.name = options.name, .dtype = options.dtype, .trainable = options.trainable}) {}
  std::string class_name() const override { return "Minimum"; }

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};
KERAS_LAYER(Minimum);

// Keras's functional form: `layers::minimum({a, b})` is `layers::Minimum()({a, b})`.
Tensor minimum(const std::vector<Tensor>& inputs, MinimumOptions options = {});

}  // namespace keras::layers
