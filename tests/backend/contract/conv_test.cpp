// Convolution and its two gradients against a direct float64 loop, 1-D to 3-D, groups, dilation,
// asymmetric padding; the gradients must be the adjoints of the forward kernel.
#include <cmath>

#include "backend/contract/contract.hpp"
#include "backend/contract/reference_loops.hpp"

namespace keras::backend::contract {
namespace {

struct ConvCase {
  Shape x_shape, w_shape;
  ConvParams p;
};

const std::vector<ConvCase> kConvCases{
    {{2, 9, 3}, {3, 3, 4}, {{1}, {1}, {{1, 1}}, 1}},
    {{2, 7, 3}, {3, 3, 4}, {{1}, {1}, {{1, 1}}, 1}},
    {{1, 10, 4}, {3, 2, 6}, {{2}, {2}, {{0, 3}}, 2}},
    {{1, 9, 4}, {2, 2, 6}, {{2}, {2}, {{0, 1}}, 2}},  // 1-D, groups, dilation, asymmetric
    {{2, 7, 6, 3}, {3, 2, 3, 5}, {{1, 2}, {1, 1}, {{1, 1}, {0, 1}}, 1}},
    {{2, 5, 6, 2}, {3, 2, 2, 3}, {{1, 2}, {1, 1}, {{1, 1}, {0, 1}}, 1}},
    {{1, 8, 8, 4}, {3, 3, 1, 4}, {{1, 1}, {2, 2}, {{2, 2}, {2, 2}}, 4}},  // depthwise, dilated
    {{1, 6, 6, 4}, {3, 3, 1, 4}, {{2, 2}, {1, 1}, {{0, 1}, {1, 0}}, 4}},  // depthwise, strided
    {{1, 5, 4, 6, 2}, {2, 2, 3, 2, 3}, {{1, 1, 2}, {1, 1, 1}, {{0, 1}, {1, 0}, {1, 1}}, 1}},
    {{1, 4, 5, 3, 2}, {2, 3, 2, 2, 3}, {{1, 2, 1}, {1, 1, 2}, {{0, 1}, {1, 1}, {1, 0}}, 1}},
};

TEST_P(BackendContract, ConvMatchesALoopAndGradientsAreAdjoint) {
  uint32_t seed = 1;
  for (const ConvCase& c : kConvCases) {
    auto xv = random_values(static_cast<size_t>(c.x_shape.num_elements()), seed++);
    auto wv = random_values(static_cast<size_t>(c.w_shape.num_elements()), seed++);
    Shape ys;
    auto want = reference_conv(xv, c.x_shape, wv, c.w_shape, c.p, &ys);
    auto gv = random_values(static_cast<size_t>(ys.num_elements()), seed++);
    for (DType dt : {DType::Float64, DType::Float32}) {
      SCOPED_TRACE(std::string(dtype_name(dt)) + " " + c.x_shape.to_string() + " * " +
                   c.w_shape.to_string());
      const bool f64 = dt == DType::Float64;
      Tensor x = make_f(xv, c.x_shape, dt), w = make_f(wv, c.w_shape, dt);
      Tensor y = be().conv(x, w, c.p);
      ASSERT_EQ(y.shape(), ys);
      EXPECT_EQ(y.dtype(), dt);
      expect_close(as_double(y), want, f64 ? 1e-12 : 1e-5);
      // <conv(x, w), g> == <x, conv_backprop_input(g, w)> == <w, conv_backprop_filter(x, g)>
      Tensor g = make_f(gv, ys, dt);
      Tensor dx = be().conv_backprop_input(g, w, c.x_shape, c.p);
      Tensor dw = be().conv_backprop_filter(x, g, c.w_shape, c.p);
      ASSERT_EQ(dx.shape(), c.x_shape);
      ASSERT_EQ(dw.shape(), c.w_shape);
      const double yg = dot(as_double(y), as_double(g));
      const double tol = (f64 ? 1e-10 : 1e-3) * (1 + std::fabs(yg));
      EXPECT_NEAR(dot(as_double(x), as_double(dx)), yg, tol);
      EXPECT_NEAR(dot(as_double(w), as_double(dw)), yg, tol);
    }
    // float16 computes in float32.
    Tensor yh = be().conv(make_f(xv, c.x_shape, DType::Float16),
                          make_f(wv, c.w_shape, DType::Float16), c.p);
    EXPECT_EQ(yh.dtype(), DType::Float16);
    expect_near_all(as_double(yh), want, 0.05);
  }
}

}  // namespace
}  // namespace keras::backend::contract
