// Max and average pooling and their gradients, 1-D to 3-D, against direct float64 loops.
#include <numeric>

#include "backend/contract/contract.hpp"
#include "backend/contract/reference_loops.hpp"

namespace keras::backend::contract {
namespace {

TEST_P(BackendContract, PoolingSmallImages) {
  // 1 x 4 x 4 x 1 image 0..15, 2x2 windows, stride 2, no padding
  Tensor x = be().reshape(be().arange(0, 1, 16, DType::Float32), {1, 4, 4, 1});
  PoolParams p{{2, 2}, {2, 2}, {{0, 0}, {0, 0}}};
  EXPECT_EQ(get<float>(be().max_pool(x, p)), (std::vector<float>{5, 7, 13, 15}));
  EXPECT_EQ(get<float>(be().avg_pool(x, p)), (std::vector<float>{2.5, 4.5, 10.5, 12.5}));
  // "same" padding: 3x3 windows, stride 1, pad 1 -> corners average 4 elements
  PoolParams same{{3, 3}, {1, 1}, {{1, 1}, {1, 1}}};
  for (DType dt : {DType::Float32, DType::Float64, DType::BFloat16}) {
    SCOPED_TRACE(std::string(dtype_name(dt)));
    Tensor xd = be().cast(x, dt);
    auto avg = as_double(be().avg_pool(xd, same));
    EXPECT_NEAR(avg[0], (0 + 1 + 4 + 5) / 4.0, 1e-2);
    EXPECT_NEAR(avg[5], 5, 1e-2);
    auto mx = as_double(be().max_pool(xd, same));
    EXPECT_EQ(mx[0], 5);
    EXPECT_EQ(mx[15], 15);
  }
}

TEST_P(BackendContract, PoolingMatchesALoopWithGradients) {
  std::vector<std::pair<Shape, PoolParams>> cases{
      {{2, 7, 3}, {{2}, {2}, {{0, 1}}}},  // 1-D "same" with stride 2
      {{2, 7, 3}, {{3}, {2}, {{1, 1}}}},
      {{1, 5, 5, 2}, {{3, 3}, {1, 1}, {{1, 1}, {1, 1}}}},
      {{2, 6, 5, 1}, {{2, 3}, {2, 2}, {{0, 0}, {1, 1}}}},
      {{2, 6, 5, 3}, {{3, 2}, {2, 1}, {{1, 1}, {0, 1}}}},
      {{1, 4, 4, 2}, {{2, 2}, {2, 2}, {{0, 0}, {0, 0}}}},  // "valid"
      {{1, 3, 4, 5, 2}, {{2, 2, 3}, {1, 2, 2}, {{0, 1}, {0, 0}, {1, 1}}}},
      {{1, 4, 5, 3, 2}, {{2, 2, 2}, {1, 2, 1}, {{0, 1}, {1, 0}, {0, 1}}}},
  };
  uint32_t seed = 100;
  for (const auto& [xs, p] : cases) {
    SCOPED_TRACE(xs.to_string());
    auto xv = random_values(static_cast<size_t>(xs.num_elements()), seed++);
    Tensor x64 = make(xv, xs);
    Tensor x32 = be().cast(x64, DType::Float32);
    for (bool is_max : {true, false}) {
      SCOPED_TRACE(is_max ? "max" : "avg");
      auto pool = [&](const Tensor& x) {
        return is_max ? be().max_pool(x, p) : be().avg_pool(x, p);
      };
      Shape os;
      auto want = reference_pool(xv, xs, p, is_max, &os);
      Tensor y = pool(x64);
      ASSERT_EQ(y.shape(), os);
      expect_close(get<double>(y), want, 1e-12);
      expect_close(as_double(pool(x32)), want, 1e-5);
      auto gv = random_values(static_cast<size_t>(os.num_elements()), seed++);
      Tensor g64 = make(gv, os);
      auto backward = [&](const Tensor& x, const Tensor& g) {
        return is_max ? be().max_pool_backward(x, g, p) : be().avg_pool_backward(g, xs, p);
      };
      Tensor dx = backward(x64, g64);
      ASSERT_EQ(dx.shape(), xs);
      auto dxv = get<double>(dx);
      // Linear (avg) or locally linear (max): the gradient is the adjoint; max places all of g
      // on the maxima.
      EXPECT_NEAR(dot(xv, dxv), dot(want, gv), 1e-9);
      if (is_max) {
        EXPECT_NEAR(std::accumulate(dxv.begin(), dxv.end(), 0.0),
                    std::accumulate(gv.begin(), gv.end(), 0.0), 1e-9);
      }
      expect_near_all(as_double(backward(x32, be().cast(g64, DType::Float32))), dxv, 1e-6);
    }
  }
}

TEST_P(BackendContract, MaxPoolGradientGoesToTheFirstMaximum) {
  PoolParams p{{2}, {2}, {{0, 0}}};
  Tensor x = make<float>({3, 3, 1, 2}, {1, 4, 1});
  Tensor dx = be().max_pool_backward(x, make<float>({10, 20}, {1, 2, 1}), p);
  EXPECT_EQ(get<float>(dx), (std::vector<float>{10, 0, 0, 20}));
}

}  // namespace
}  // namespace keras::backend::contract
