#pragma once
// Add (keras/src/layers/merging/add.py): the elementwise sum of its inputs.
#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

struct AddOptions {
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class AddImpl : public MergeImpl {
 public:
  using Options = AddOptions;
  explicit AddImpl(AddOptions options = {})
      : MergeImpl({.name = options.name, .dtype = options.dtype, .trainable = options.trainable}) {}
  std::string class_name() const override { return "Add"; }

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};
KERAS_LAYER(Add);

// Keras's functional form: `layers::add({a, b})` is `layers::Add()({a, b})`.
Tensor add(const std::vector<Tensor>& inputs, AddOptions options = {});

}  // namespace keras::layers
