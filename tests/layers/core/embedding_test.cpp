#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class EmbeddingTest : public BackendTest {};

TEST_P(EmbeddingTest, Harness) {
  run_layer_test(
      {.make = [] { return Layer(layers::Embedding({.input_dim = 10, .output_dim = 4})); },
       .input_shape = {3, 5},
       .input_dtype = DType::Int32,
       .expected_output_shape = {3, 5, 4},
       .expected_output_dtype = DType::Float32,
       .expected_weights = {{"embeddings", {10, 4}}},
       .int_input_max = 10});
}

TEST_P(EmbeddingTest, LooksUpRows) {
  layers::Embedding e({.input_dim = 3, .output_dim = 2});
  Tensor ids = ops::cast(tensor_of({2, 0, 1, 2}, {2, 2}), DType::Int32);
  e->maybe_build({ids.shape()});
  e->set_weights({tensor_of({0, 1, 10, 11, 20, 21}, {3, 2})});
  EXPECT_EQ(values_of(e(ids)), (std::vector<double>{20, 21, 0, 1, 10, 11, 20, 21}));
}

TEST_P(EmbeddingTest, MaskZero) {
  layers::Embedding e({.input_dim = 5, .output_dim = 2, .mask_zero = true});
  Tensor ids = ops::cast(tensor_of({0, 3, 4, 0}, {2, 2}), DType::Int32);
  Tensor mask = e->compute_mask({ids}, Tensor());
  EXPECT_EQ(values_of(mask), (std::vector<double>{0, 1, 1, 0}));
  layers::Embedding plain({.input_dim = 5, .output_dim = 2});
  EXPECT_FALSE(plain->compute_mask({ids}, Tensor()).defined());
}

TEST_P(EmbeddingTest, ConfigAndErrors) {
  layers::Embedding e({.input_dim = 20, .output_dim = 8});
  Config c = e->get_config();
  EXPECT_EQ(c["embeddings_initializer"]["class_name"], "RandomUniform");
  EXPECT_EQ(c["mask_zero"], false);
  KERAS_EXPECT_THROW_WITH(layers::Embedding({.input_dim = 0, .output_dim = 2}), ValueError,
                          "`input_dim`");
  KERAS_EXPECT_THROW_WITH(layers::Embedding({.input_dim = 2, .output_dim = 0}), ValueError,
                          "`output_dim`");
}

KERAS_INSTANTIATE_BACKEND_TEST(EmbeddingTest);

}  // namespace
}  // namespace keras::testing
