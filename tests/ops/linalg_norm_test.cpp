// ops::norm: vector and matrix norms, dtypes, errors and gradients on every backend.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;
class NormTest : public testing::BackendTest {};

TEST_P(NormTest, VectorNorms) {
  Tensor v = ops::convert_to_tensor(std::vector<double>{3, -4, 0});
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_DOUBLE_EQ(ops::norm(v).item<double>(), 5.0);
  EXPECT_DOUBLE_EQ(ops::norm(v, {.ord = 1.0}).item<double>(), 7.0);
  EXPECT_DOUBLE_EQ(ops::norm(v, {.ord = inf}).item<double>(), 4.0);
  EXPECT_DOUBLE_EQ(ops::norm(v, {.ord = -inf}).item<double>(), 0.0);
  EXPECT_DOUBLE_EQ(ops::norm(v, {.ord = 0.0}).item<double>(), 2.0);
  EXPECT_NEAR(ops::norm(v, {.ord = 3.0}).item<double>(), std::cbrt(27.0 + 64.0), 1e-12);
}

TEST_P(NormTest, MatrixNormsAndAxes) {
  Tensor m = ops::convert_to_tensor(std::vector<double>{1, -2, 3, 4}, {2, 2});
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_NEAR(ops::norm(m).item<double>(), std::sqrt(30.0), 1e-12);
  EXPECT_DOUBLE_EQ(ops::norm(m, {.ord = 1.0}).item<double>(), 6.0);   // max column sum
  EXPECT_DOUBLE_EQ(ops::norm(m, {.ord = inf}).item<double>(), 7.0);   // max row sum
  EXPECT_DOUBLE_EQ(ops::norm(m, {.ord = -1.0}).item<double>(), 4.0);  // min column sum
  EXPECT_EQ(ops::norm(m, {.axis = -1}).to_vector<double>(),
            (std::vector<double>{std::sqrt(5.0), 5.0}));
  EXPECT_EQ(ops::norm(m, {.axis = 0, .keepdims = true}).shape(), Shape({1, 2}));
  EXPECT_EQ(ops::norm(m, {.ord = 1.0, .axis = {0, 1}, .keepdims = true}).shape(), Shape({1, 1}));
  Tensor i = ops::convert_to_tensor(std::vector<int32_t>{3, 4});
  EXPECT_EQ(ops::norm(i).dtype(), DType::Float32);
}

TEST_P(NormTest, Errors) {
  Tensor m = ops::ones({2, 2});
  EXPECT_THROW(ops::norm(m, {.ord = 2.0}), NotImplementedError);
  EXPECT_THROW(ops::norm(m, {.ord = std::string("nuc")}), NotImplementedError);
  EXPECT_THROW(ops::norm(ops::ones({2}), {.ord = std::string("fro")}), ValueError);
  try {
    ops::norm(ops::ones({2, 2, 2}), {.ord = 1.0});
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("ops::norm"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ops::norm(m, {.axis = {0, 1, 2}}), ValueError);
}

TEST_P(NormTest, Gradients) {
  testing::expect_gradients_match([](const std::vector<Tensor>& p) { return ops::norm(p[0]); },
                                  {testing::test_values({2, 3})}, "norm");
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& p) { return ops::norm(p[0], {.ord = 3.0, .axis = 1}); },
      {testing::test_values({2, 3}, 0.2, 1.0)}, "norm ord 3");
}

KERAS_INSTANTIATE_BACKEND_TEST(NormTest);

}  // namespace
}  // namespace keras
