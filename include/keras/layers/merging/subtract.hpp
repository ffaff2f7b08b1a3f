#pragma once
// Subtract (keras/src/layers/merging/subtract.py): inputs[0] - inputs[1] (exactly two inputs).
#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

struct SubtractOptions {
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class SubtractImpl : public MergeImpl {
 public:
  using Options = SubtractOptions;
  explicit SubtractImpl(SubtractOptions options = {})
      : MergeImpl({.name = options.name, .dtype = options.dtype, .trainable = options.trainable}) {}
  std::string class_name() const override { return "Subtract"; }
  void build(const std::vector<Shape>& input_shapes) override;

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};
KERAS_LAYER(Subtract);

// Keras's functional form: `layers::subtract({a, b})` is `layers::Subtract()({a, b})`.
Tensor subtract(const std::vector<Tensor>& inputs, SubtractOptions options = {});

}  // namespace keras::layers
