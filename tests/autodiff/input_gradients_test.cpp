// VJPs skip the gradients of inputs the tape does not track (autodiff::needs_input_gradient):
// the gradients that are kept must not change, first and second order.
#include <gtest/gtest.h>

#include "keras/keras.hpp"
#include "testing/backends.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;

class InputGradientsTest : public testing::BackendTest {};

Tensor values(const Shape& shape, double scale) {
  std::vector<double> v(static_cast<size_t>(shape.num_elements()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = scale * std::sin(0.7 * static_cast<double>(i) + 1);
  return ops::convert_to_tensor(v, shape);
}

void expect_equal(const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.shape(), b.shape());
  EXPECT_EQ(a.to_vector<double>(), b.to_vector<double>());
}

// loss = sum(conv(x, k)^2): d/dk with only k watched equals d/dk with x and k watched (then the
// conv's VJP computes both kernels), and d/dx is still right when only x is watched.
TEST_P(InputGradientsTest, ConvKernelGradientIsTheSameWithTheInputUntracked) {
  Tensor x = values({2, 6, 5, 3}, 1.0);
  Tensor k = values({3, 2, 3, 4}, 0.5);
  auto loss = [&] { return ops::sum(ops::square(ops::conv(x, k, {.padding = "same"}))); };
  std::vector<Tensor> both;
  {
    GradientTape tape;
    tape.watch(std::vector<Tensor>{x, k});
    both = tape.gradient(loss(), std::vector<Tensor>{x, k});
  }
  Tensor k_only, x_only;
  {
    GradientTape tape;
    tape.watch(k);
    k_only = tape.gradient(loss(), k);
  }
  {
    GradientTape tape;
    tape.watch(x);
    x_only = tape.gradient(loss(), x);
  }
  expect_equal(k_only, both[1]);
  expect_equal(x_only, both[0]);
}

// Second order through conv_backprop_input / conv_backprop_filter: the inner gradient's VJPs
// run with the outer tape's masks.
TEST_P(InputGradientsTest, ConvSecondOrderGradientIsUnchanged) {
  Tensor x = values({1, 5, 4, 2}, 1.0);
  Tensor k = values({2, 2, 2, 3}, 0.5);
  auto grad_norm = [&](bool watch_x) {
    GradientTape outer;
    outer.watch(k);
    if (watch_x) outer.watch(x);
    GradientTape inner;
    inner.watch(k);
    Tensor loss = ops::sum(ops::square(ops::conv(x, k)));
    Tensor gk = inner.gradient(loss, k);
    return outer.gradient(ops::sum(ops::square(gk)), k);
  };
  expect_equal(grad_norm(false), grad_norm(true));
}

KERAS_INSTANTIATE_BACKEND_TEST(InputGradientsTest);

}  // namespace
}  // namespace keras
