#pragma once
// keras.layers.Add, Subtract, Multiply, Average, Maximum and Minimum
// (keras/src/layers/merging/{add,subtract,multiply,average,maximum,minimum}.py): the elementwise
// sum, difference (exactly two inputs), product, mean, maximum and minimum of their inputs.
//
//   Tensor y = layers::Add()({a, b});
//   Tensor z = layers::maximum({a, b, c});  // Keras's functional form
#include <string>
#include <vector>

#include "keras/core/fixed_string.hpp"
#include "keras/layers/merging/base_merge.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

// The options of all six: the base keywords only.
struct ElementwiseMergeOptions {
  KERAS_BASE_LAYER_OPTIONS;
};

template <FixedString Name>
class ElementwiseMergeImpl : public MergeImpl {
 public:
  using Options = ElementwiseMergeOptions;
  explicit ElementwiseMergeImpl(Options options = {}) : MergeImpl(layer_options(options)) {}
  std::string class_name() const override { return Name.str(); }
  void build(const std::vector<Shape>& input_shapes) override;

 protected:
  Tensor merge_function(const std::vector<Tensor>& inputs) override;
};

// Declares Name, NameImpl and NameOptions; src/layers/merging/elementwise_merge.cpp instantiates.
#define KERAS_ELEMENTWISE_MERGE(Name)                \
  extern template class ElementwiseMergeImpl<#Name>; \
  KERAS_LAYER_OF(Name, ElementwiseMergeImpl<#Name>)
KERAS_ELEMENTWISE_MERGE(Add);
KERAS_ELEMENTWISE_MERGE(Subtract);
KERAS_ELEMENTWISE_MERGE(Multiply);
KERAS_ELEMENTWISE_MERGE(Average);
KERAS_ELEMENTWISE_MERGE(Maximum);
KERAS_ELEMENTWISE_MERGE(Minimum);
#undef KERAS_ELEMENTWISE_MERGE

// Keras's functional forms: `layers::add({a, b})` is `layers::Add()({a, b})`.
Tensor add(const std::vector<Tensor>& inputs, ElementwiseMergeOptions options = {});
Tensor subtract(const std::vector<Tensor>& inputs, ElementwiseMergeOptions options = {});
Tensor multiply(const std::vector<Tensor>& inputs, ElementwiseMergeOptions options = {});
Tensor average(const std::vector<Tensor>& inputs, ElementwiseMergeOptions options = {});
Tensor maximum(const std::vector<Tensor>& inputs, ElementwiseMergeOptions options = {});
Tensor minimum(const std::vector<Tensor>& inputs, ElementwiseMergeOptions options = {});

}  // namespace keras::layers
