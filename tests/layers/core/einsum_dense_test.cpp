// EinsumDense through the generic harness, on the equations of Keras's
// einsum_dense_test.py::test_einsum_dense_basics (same input shapes, output_shape, bias_axes and
// expected kernel / bias / output shapes).
#include "keras/layers/core/einsum_dense.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "keras/layers/core/input_layer.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras {
namespace {

using testing::run_layer_test;

class EinsumDenseHarnessTest : public testing::BackendTest {};

struct EinsumCase {
  std::string name;
  std::string equation;
  std::string bias_axes;  // "" = None
  Shape input_shape;      // batch included
  Shape output_shape;
  Shape kernel_shape;
  std::optional<Shape> bias_shape;
  Shape expected_output_shape;
};

const std::vector<EinsumCase>& keras_cases() {
  static const std::vector<EinsumCase> cases = {
      {"_1d_end_to_end", "ab,b->a", "", {2, 32}, {}, {32}, std::nullopt, {2}},
      {"_2d_end_to_end", "ab,bc->ac", "", {2, 32}, {64}, {32, 64}, std::nullopt, {2, 64}},
      {"_3d_2_end_to_end",
       "abc,cde->abde",
       "",
       {2, 1, 2},
       {1, 3, 4},
       {2, 3, 4},
       std::nullopt,
       {2, 1, 3, 4}},
      {"_3d_3_bias", "abc,cde->abde", "e", {2, 1, 2}, {1, 3, 4}, {2, 3, 4}, Shape{4}, {2, 1, 3, 4}},
      {"_3d_2_bias",
       "abc,cde->abde",
       "d",
       {2, 1, 2},
       {1, 3, 4},
       {2, 3, 4},
       Shape{3, 1},
       {2, 1, 3, 4}},
      {"_3d_1_3_bias",
       "abc,cde->abde",
       "be",
       {2, 7, 2},
       {7, 3, 4},
       {2, 3, 4},
       Shape{7, 1, 4},
       {2, 7, 3, 4}},
      {"_3d_bert", "BFNH,NHD->BFD", "", {2, 1, 2, 3}, {1, 4}, {2, 3, 4}, std::nullopt, {2, 1, 4}},
      {"_2d_bert", "abc,cd->abd", "", {2, 1, 2}, {1, 4}, {2, 4}, std::nullopt, {2, 1, 4}},
      {"_embedding_1d", "i,d->id", "", {2}, {2}, {2}, std::nullopt, {2, 2}},
      {"_xlnet_lm", "ibd,nd->ibn", "", {2, 2, 1}, {2, 2}, {2, 1}, std::nullopt, {2, 2, 2}},
      {"_2d_precast", "...b,bc->...c", "", {2, 32}, {64}, {32, 64}, std::nullopt, {2, 64}},
      {"_2d_precast_elided_input_used_in_output",
       "...bc,bc->...b",
       "",
       {2, 32, 64},
       {32},
       {32, 64},
       std::nullopt,
       {2, 32}},
      {"_2d_precast_multiple_elided_dims",
       "...b,bc->...c",
       "",
       {2, 3, 32},
       {64},
       {32, 64},
       std::nullopt,
       {2, 3, 64}},
      {"_3d_precast",
       "...c,cde->...de",
       "",
       {2, 1, 2},
       {3, 4},
       {2, 3, 4},
       std::nullopt,
       {2, 1, 3, 4}},
      {"_3d_precast_3_bias",
       "...c,cde->...de",
       "e",
       {2, 1, 2},
       {3, 4},
       {2, 3, 4},
       Shape{4},
       {2, 1, 3, 4}},
      {"_3d_precast_2_bias",
       "...c,cde->...de",
       "d",
       {2, 1, 2},
       {3, 4},
       {2, 3, 4},
       Shape{3, 1},
       {2, 1, 3, 4}},
      {"_3d_precast_2_3_bias",
       "...c,cde->...de",
       "de",
       {2, 1, 2},
       {3, 4},
       {2, 3, 4},
       Shape{3, 4},
       {2, 1, 3, 4}},
      {"_2d_postcast",
       "bc...,cd->bd...",
       "",
       {2, 1, 2, 3},
       {4},
       {1, 4},
       std::nullopt,
       {2, 4, 2, 3}},
      {"_3d_postcast",
       "bc...,cde->bde...",
       "",
       {2, 1, 2},
       {3, 4},
       {1, 3, 4},
       std::nullopt,
       {2, 3, 4, 2}},
      {"_3d_postcast_1_bias",
       "bc...,cde->bde...",
       "d",
       {2, 1, 2},
       {3, 4},
       {1, 3, 4},
       Shape{3, 1, 1},
       {2, 3, 4, 2}},
      {"_3d_postcast_2_bias",
       "bc...,cde->bde...",
       "e",
       {2, 1, 2},
       {3, 4},
       {1, 3, 4},
       Shape{4, 1},
       {2, 3, 4, 2}},
      {"_3d_postcast_1_2_bias",
       "bc...,cde->bde...",
       "de",
       {2, 1, 2},
       {3, 4},
       {1, 3, 4},
       Shape{3, 4, 1},
       {2, 3, 4, 2}},
  };
  return cases;
}

TEST_P(EinsumDenseHarnessTest, KerasBasics) {
  for (const EinsumCase& c : keras_cases()) {
    SCOPED_TRACE("EinsumDense case " + c.name + " (" + c.equation + ", bias_axes='" + c.bias_axes +
                 "')");
    std::vector<std::pair<std::string, Shape>> weights = {{"kernel", c.kernel_shape}};
    if (c.bias_shape) weights.emplace_back("bias", *c.bias_shape);
    run_layer_test({
        .make =
            [c] {
              return Layer(layers::EinsumDense({.equation = c.equation,
                                                .output_shape = c.output_shape,
                                                .bias_axes = c.bias_axes}));
            },
        .input_shape = c.input_shape,
        .expected_output_shape = c.expected_output_shape,
        .expected_weights = weights,
        .expected_trainable_weights = c.bias_shape ? 2 : 1,
        .expected_non_trainable_weights = 0,
        // Rank-1 inputs ("i,d->id") have no non-batch dims to make a symbolic Input of.
        .check_symbolic = c.input_shape.size() > 1,
    });
  }
}

TEST_P(EinsumDenseHarnessTest, ActivationAndInferredOutputDim) {
  // output_shape with None (taken from the input) and a non-linear activation.
  run_layer_test({.make =
                      [] {
                        return Layer(layers::EinsumDense({.equation = "abc,cd->abd",
                                                          .output_shape = {Shape::kNone, 4},
                                                          .activation = "tanh",
                                                          .bias_axes = "d"}));
                      },
                  .input_shape = {3, 5, 8},
                  .expected_output_shape = {3, 5, 4},
                  .expected_weights = {{"kernel", {8, 4}}, {"bias", {4}}}});
}

TEST_P(EinsumDenseHarnessTest, ComputeOutputShapeBeforeBuild) {
  // Keras's test_compute_output_shape_before_build.
  auto layer = layers::EinsumDense({.equation = "ab,bc->ac", .output_shape = {7}});
  EXPECT_EQ(layer->compute_output_shape(Shape{Shape::kNone, 5}), (Shape{Shape::kNone, 7}));
  layer->maybe_build({Shape{Shape::kNone, 5}});
  EXPECT_EQ(layer->compute_output_shape(Shape{Shape::kNone, 5}), (Shape{Shape::kNone, 7}));
  auto layer2 = layers::EinsumDense(
      {.equation = "abc,cd->abd", .output_shape = {Shape::kNone, 4}, .bias_axes = "d"});
  Shape computed = layer2->compute_output_shape(Shape{Shape::kNone, 3, 8});
  EXPECT_EQ(computed, layer2(Input({3, 8})).shape());
}

// Disabled until src/layers/core/einsum_dense.cpp checks its input: today a wrong rank is not
// caught at build (the kernel is made from a mismatched spec) and both cases fail inside
// ops::einsum with a message naming neither the layer nor the input shape.
TEST_P(EinsumDenseHarnessTest, BadInputs) {
  // An input whose rank does not match the equation's input spec.
  auto wrong_rank =
      layers::EinsumDense({.equation = "abc,cd->abd", .output_shape = {Shape::kNone, 4}});
  try {
    wrong_rank(ops::ones({2, 3}));
    ADD_FAILURE() << "EinsumDense 'abc,cd->abd' accepted an input of shape (2, 3)";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("EinsumDense '"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(2, 3)"), std::string::npos) << e.what();
  }
  // Built for 8 features, called with 9.
  auto built = layers::EinsumDense({.equation = "ab,bc->ac", .output_shape = {4}});
  built(ops::ones({2, 8}));
  try {
    built(ops::ones({2, 9}));
    ADD_FAILURE() << "EinsumDense built for (2, 8) accepted (2, 9)";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("EinsumDense '"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(2, 9)"), std::string::npos) << e.what();
  }
}

KERAS_INSTANTIATE_BACKEND_TEST(EinsumDenseHarnessTest);

}  // namespace
}  // namespace keras
