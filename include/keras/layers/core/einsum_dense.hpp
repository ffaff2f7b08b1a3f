#pragma once
// keras.layers.EinsumDense (keras/src/layers/core/einsum_dense.py): activation(einsum(equation,
// x, kernel) + bias) for an equation "ab,bc->ac", "...ab,bc->...ac" or "ab...,bc->ac...". The
// kernel's shape comes from the equation, the input shape and `output_shape` (the output
// without the batch dim and the dims "..." stands for; Shape::kNone = take it from the input);
// the bias covers the output dims named in `bias_axes` ("" = no bias).
//
//   auto proj = layers::EinsumDense({.equation = "abc,cde->abde", .output_shape = {-1, 2, 16},
//                                    .bias_axes = "de"});
#include <string>

#include "keras/activations/activations.hpp"
#include "keras/constraints/constraints.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/regularizers/regularizers.hpp"

namespace keras::layers {

struct EinsumDenseOptions {
  std::string equation;                  // required
  Shape output_shape;                    // required; Shape::kNone entries are inferred
  activations::Activation activation{};  // linear
  std::string bias_axes{};               // "" means None (no bias)
  KERAS_KERNEL_BIAS_OPTIONS;
  KERAS_BASE_LAYER_OPTIONS;
};

// What Keras's _analyze_einsum_string derives from an equation and an input shape.
struct EinsumDenseGeometry {
  Shape kernel_shape;
  std::optional<Shape> bias_shape;  // none without bias_axes
  Shape full_output_shape;          // batch dim included
  std::vector<int64_t> input_axes;  // kernel axes counted in fan_in
  std::vector<int64_t> output_axes;
};
// Throws ValueError with Keras's messages for malformed equations and mismatched shapes.
EinsumDenseGeometry analyze_einsum_dense(const std::string& equation, const std::string& bias_axes,
                                         const Shape& input_shape, const Shape& output_shape);

class EinsumDenseImpl : public LayerImpl {
 public:
  using Options = EinsumDenseOptions;
  explicit EinsumDenseImpl(EinsumDenseOptions options);
  std::string class_name() const override { return "EinsumDense"; }
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  using LayerImpl::compute_output_shape;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  Config get_config() const override;

  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }  // undefined without bias_axes
  const EinsumDenseOptions& options() const { return options_; }

 private:
  EinsumDenseOptions options_;
  Variable kernel_;
  Variable bias_;
};
KERAS_LAYER(EinsumDense);

}  // namespace keras::layers
