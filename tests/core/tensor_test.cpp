// Tensor basics on every backend: construction, host round trips, printing, symbolic tensors.
#include <gtest/gtest.h>

#include "keras/keras.hpp"
#include "testing/backends.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;

class TensorTest : public testing::BackendTest {};

TEST_P(TensorTest, RoundTripsEveryDType) {
  for (int i = 0; i < kNumDTypes; ++i) {
    DType d = static_cast<DType>(i);
    Tensor t = ops::convert_to_tensor(std::vector<double>{0, 1, 2, 3, 4, 5}, {2, 3}, {.dtype = d});
    EXPECT_EQ(t.dtype(), d);
    EXPECT_EQ(t.shape(), Shape({2, 3}));
    EXPECT_EQ(t.backend_name(), backend_name());
    std::vector<double> back = t.to_vector<double>();
    if (d == DType::Bool)
      EXPECT_EQ(back, (std::vector<double>{0, 1, 1, 1, 1, 1}));
    else
      EXPECT_EQ(back, (std::vector<double>{0, 1, 2, 3, 4, 5})) << dtype_name(d);
  }
}

TEST_P(TensorTest, ScalarsAreWeak) {
  Tensor s = 2.5;
  EXPECT_EQ(s.dtype(), DType::Float32);
  EXPECT_EQ(s.ndim(), 0);
  Tensor x = ops::convert_to_tensor(std::vector<int32_t>{1, 2});
  EXPECT_EQ((x * 2).dtype(), DType::Int32);
  EXPECT_EQ((x * 2.5).dtype(), DType::Float32);
  Tensor h = ops::convert_to_tensor(std::vector<double>{1.0}, {1}, {.dtype = float16});
  EXPECT_EQ((h + 1.0).dtype(), DType::Float16);
  Tensor d = ops::convert_to_tensor(std::vector<double>{1.0});
  // A double scalar keeps its full precision in float64 arithmetic.
  EXPECT_DOUBLE_EQ((d * 0.1).item<double>(), 0.1);
}

TEST_P(TensorTest, PrintsLikeNumPy) {
  Tensor a = ops::convert_to_tensor(std::vector<float>{1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(a.to_string(), "[[1. 2.]\n [3. 4.]]");
  Tensor b = ops::convert_to_tensor(std::vector<float>{0.5f, -1.25f});
  EXPECT_EQ(b.to_string(), "[ 0.5  -1.25]");
  Tensor c = ops::convert_to_tensor(std::vector<int32_t>{1, -20, 300});
  EXPECT_EQ(c.to_string(), "[  1 -20 300]");
  Tensor e = ops::convert_to_tensor(std::vector<bool>{true, false});
  EXPECT_EQ(e.to_string(), "[ True False]");
  EXPECT_NE(a.repr().find("dtype=float32"), std::string::npos);
  EXPECT_NE(a.repr().find("backend=" + backend_name()), std::string::npos);
}

TEST_P(TensorTest, ItemAndErrors) {
  Tensor a = ops::convert_to_tensor(std::vector<float>{7});
  EXPECT_EQ(a.item<int>(), 7);
  Tensor b = ops::convert_to_tensor(std::vector<float>{1, 2});
  EXPECT_THROW(b.item<float>(), ValueError);
  EXPECT_THROW(ops::convert_to_tensor(std::vector<float>{1, 2, 3}, {2, 2}), ValueError);
  Tensor undefined;
  EXPECT_THROW(undefined.shape(), ValueError);
}

TEST_P(TensorTest, SymbolicTensorsHaveNoData) {
  Tensor s = Tensor::symbolic({Shape::kNone, 28, 28, 1}, DType::Float32, "image");
  EXPECT_TRUE(s.is_symbolic());
  EXPECT_EQ(s.shape().to_string(), "(None, 28, 28, 1)");
  EXPECT_THROW(s.to_vector<float>(), ValueError);
  Tensor y = ops::exp(s) * 2.0;
  EXPECT_TRUE(y.is_symbolic());
  EXPECT_EQ(y.shape(), s.shape());
}

TEST_P(TensorTest, MovesBetweenBackends) {
  Tensor a = ops::convert_to_tensor(std::vector<float>{1, 2, 3});
  for (const std::string& name : backend::available_backends()) {
    Tensor b = ops::convert_to_tensor(a, name);
    EXPECT_EQ(b.backend_name(), name);
    EXPECT_EQ(b.to_vector<float>(), a.to_vector<float>());
  }
}

TEST(TensorMixedBackends, OperandsOnTwoBackendsAreAnError) {
  auto names = backend::available_backends();
  if (names.size() < 2) GTEST_SKIP() << "only one backend built";
  Tensor a = ops::convert_to_tensor(std::vector<float>{1}, {.backend = names[0]});
  Tensor b = ops::convert_to_tensor(std::vector<float>{1}, {.backend = names[1]});
  try {
    ops::add(a, b);
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("different backends"), std::string::npos) << e.what();
  }
  // Weak scalars follow the other operand wherever it lives.
  EXPECT_EQ((b + 1.0).backend_name(), names[1]);
}

TEST(ShapeTest, FormatsLikePython) {
  EXPECT_EQ(Shape({}).to_string(), "()");
  EXPECT_EQ(Shape({5}).to_string(), "(5,)");
  EXPECT_EQ(Shape({2, Shape::kNone}).to_string(), "(2, None)");
  EXPECT_THROW(Shape({2, Shape::kNone}).num_elements(), ValueError);
  EXPECT_EQ(broadcast_shapes({3, 1}, {4}, "t"), Shape({3, 4}));
  EXPECT_EQ(broadcast_shapes({0, 1}, {1, 5}, "t"), Shape({0, 5}));
  try {
    broadcast_shapes({3, 2}, {4}, "ops::add");
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("(3, 2) and (4,)"), std::string::npos) << e.what();
  }
}

KERAS_INSTANTIATE_BACKEND_TEST(TensorTest);

}  // namespace
}  // namespace keras
