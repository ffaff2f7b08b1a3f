#pragma once
// Multiply (keras/src/layers/merging/multiply.py): the elementwise product of its inputs.
#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

struct MultiplyOptions {
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class MultiplyImpl : public MergeImpl {
 public:
  using Options = MultiplyOptions;
  explicit MultiplyImpl(MultiplyOptions options = {})
      : MergeImpl({.name = options.name, .dtype = options.dtype, .trainable = options.trainable}) {}
  std::string class_name() const override { return "Multiply"; }

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};
KERAS_LAYER(Multiply);

// Keras's functional form: `layers::multiply({a, b})` is `layers::Multiply()({a, b})`.
Tensor multiply(const std::vector<Tensor>& inputs, MultiplyOptions options = {});

}  // namespace keras::layers
