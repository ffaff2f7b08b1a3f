#pragma once
// Average (keras/src/layers/merging/average.py): the elementwise mean of its inputs.
#include "keras/layers/merging/base_merge.hpp"

namespace keras::layers {

struct AverageOptions {
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class AverageImpl : public MergeImpl {
 public:
  using Options = AverageOptions;
  explicit AverageImpl(AverageOptions options = {})
      : MergeImpl({.name = options.name, .dtype = options.dtype, .trainable = options.trainable}) {}
  std::string class_name() const override { return "Average"; }

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};
KERAS_LAYER(Average);

// Keras's functional form: `layers::average({a, b})` is `layers::Average()({a, b})`.
Tensor average(const std::vector<Tensor>& inputs, AverageOptions options = {});

}  // namespace keras::layers
