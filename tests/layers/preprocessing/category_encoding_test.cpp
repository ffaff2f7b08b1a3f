// layers::CategoryEncoding: Keras's three output modes, shapes and config; Python Keras files in
// tests/interop (py_category_encoding).
#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class CategoryEncodingTest : public BackendTest {};

Tensor ids(std::vector<int32_t> v, Shape shape) { return ops::convert_to_tensor(v, shape); }

TEST_P(CategoryEncodingTest, Harness) {
  for (const char* mode : {"multi_hot", "count", "one_hot"})
    run_layer_test({.make =
                        [mode] {
                          return Layer(
                              layers::CategoryEncoding({.num_tokens = 5, .output_mode = mode}));
                        },
                    .input_shape = {3, 1},
                    .input_dtype = DType::Int32,
                    .expected_output_shape = {3, 5},
                    .int_input_max = 5});
}

TEST_P(CategoryEncodingTest, ModesAsKerasDocuments) {
  // Keras's docstring examples.
  auto one_hot = layers::CategoryEncoding({.num_tokens = 4, .output_mode = "one_hot"});
  EXPECT_EQ(values_of(one_hot(ids({3, 2, 0, 1}, {4}))),
            (std::vector<double>{0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0}));
  auto multi = layers::CategoryEncoding({.num_tokens = 4, .output_mode = "multi_hot"});
  Tensor m = multi(ids({0, 1, 0, 0, 1, 2, 3, 1}, {4, 2}));
  EXPECT_EQ(m.shape(), Shape({4, 4}));
  EXPECT_EQ(values_of(m), (std::vector<double>{1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1}));
  auto count = layers::CategoryEncoding({.num_tokens = 4, .output_mode = "count"});
  EXPECT_EQ(values_of(count(ids({0, 1, 0, 0, 1, 2, 3, 1}, {4, 2}))),
            (std::vector<double>{1, 1, 0, 0, 2, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1}));
  EXPECT_EQ(values_of(count(ids({1, 1, 3, 1}, {1, 4}))), (std::vector<double>{0, 3, 0, 1}));
  Config c = count->get_config();
  EXPECT_EQ(c["num_tokens"], 4);
  EXPECT_EQ(c["output_mode"], "count");
  EXPECT_FALSE(c.contains("sparse"));
  EXPECT_EQ(layers::CategoryEncoding({.num_tokens = 2, .output_mode = "binary"})
                ->get_config()["output_mode"],
            "multi_hot");
  EXPECT_THROW(layers::CategoryEncoding(layers::CategoryEncodingOptions{}), ValueError);
  EXPECT_THROW(layers::CategoryEncoding({.num_tokens = 0}), ValueError);
  EXPECT_THROW(layers::CategoryEncoding({.num_tokens = 3, .output_mode = "tf_idf"}), ValueError);
  EXPECT_THROW(count(ops::ones({2, 2})), TypeError);
}

KERAS_INSTANTIATE_BACKEND_TEST(CategoryEncodingTest);

}  // namespace
}  // namespace keras::testing
