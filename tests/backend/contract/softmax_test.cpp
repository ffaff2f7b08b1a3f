// softmax and log_softmax: sums to one, no overflow at 1000, -inf inputs, every axis, dtypes.
#include <cmath>

#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

TEST_P(BackendContract, SoftmaxAndLogSoftmaxEveryAxis) {
  auto v = random_values(4 * 5 * 6, 77, -10, 10);
  v[3] = 1000;  // large values must not overflow
  Tensor x64 = make<double>(v, {4, 5, 6});
  for (int axis : {0, 1, 2}) {
    SCOPED_TRACE(axis);
    auto s = get<double>(be().softmax(x64, axis));
    auto ls = get<double>(be().log_softmax(x64, axis));
    auto sums = be().reduce(ReduceOp::Sum, be().softmax(x64, axis), std::vector<int>{axis}, false);
    for (double t : get<double>(sums)) EXPECT_NEAR(t, 1, 1e-12);
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] > 1e-300) {
        EXPECT_NEAR(std::log(s[i]), ls[i], 1e-9 * (1 + std::fabs(ls[i])));
      }
      EXPECT_FALSE(std::isnan(s[i]));
    }
    Tensor x32 = be().cast(x64, DType::Float32);
    expect_near_all(as_double(be().softmax(x32, axis)), s, 1e-6);
    auto l32 = as_double(be().log_softmax(x32, axis));
    for (size_t i = 0; i < ls.size(); ++i)
      EXPECT_NEAR(l32[i], ls[i], 1e-4 * (1 + std::fabs(ls[i])));
    expect_near_all(as_double(be().softmax(be().cast(x64, DType::Float16), axis)), s, 2e-3);
  }
}

TEST_P(BackendContract, SoftmaxExactValuesAndInfinities) {
  Tensor x = make<double>({1, 2, 3, 1000, 1000, -kInf}, {2, 3});
  double e = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  expect_close(get<double>(be().softmax(x, 1)),
               {std::exp(1.0) / e, std::exp(2.0) / e, std::exp(3.0) / e, 0.5, 0.5, 0.0}, 1e-14);
  auto ls = get<double>(be().log_softmax(x, 0));
  expect_close({ls[0], ls[3]}, {1.0 - 1000.0, 0.0}, 1e-12);
  Tensor h = be().softmax(make_f({0, 0}, {2}, DType::Float16), 0);
  EXPECT_EQ(h.dtype(), DType::Float16);
  EXPECT_EQ(as_double(h), (std::vector<double>{0.5, 0.5}));
}

}  // namespace
}  // namespace keras::backend::contract
