#pragma once
// Maximum (keras/src/layers/merging/maximum.py): the elementwise maximum of its inputs.
#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

struct MaximumOptions {
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class MaximumImpl : public MergeImpl {
 public:
  using Options = MaximumOptions;
  explicit MaximumImpl(MaximumOptions options = {})
      : MergeImpl({.name = options.name, .dtype = options.dtype, .trainable = options.trainable}) {}
  std::string class_name() const override { return "Maximum"; }

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};
KERAS_LAYER(Maximum);

// Keras's functional form: `layers::maximum({a, b})` is `layers::Maximum()({a, b})`.
Tensor maximum(const std::vector<Tensor>& inputs, MaximumOptions options = {});

}  // namespace keras::layers
