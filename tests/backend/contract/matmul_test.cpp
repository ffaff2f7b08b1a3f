// matmul: batched floats against a float64 loop, integer wrap-around, bool, K = 0.
#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

std::vector<double> naive_matmul(const std::vector<double>& a, const std::vector<double>& b,
                                 int64_t batch, int64_t m, int64_t k, int64_t n) {
  std::vector<double> c(batch * m * n, 0);
  for (int64_t z = 0; z < batch; ++z)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t q = 0; q < k; ++q) s += a[(z * m + i) * k + q] * b[(z * k + q) * n + j];
        c[(z * m + i) * n + j] = s;
      }
  return c;
}

TEST_P(BackendContract, MatmulFloatsMatchALoop) {
  struct Case {
    int64_t batch, m, k, n;
  };
  for (Case cs : {Case{1, 1, 1, 1}, Case{1, 7, 5, 3}, Case{4, 16, 33, 9}, Case{1, 130, 70, 90}}) {
    auto av = random_values(cs.batch * cs.m * cs.k, 3);
    auto bv = random_values(cs.batch * cs.k * cs.n, 4);
    auto want = naive_matmul(av, bv, cs.batch, cs.m, cs.k, cs.n);
    Tensor a64 = make<double>(av, {cs.batch, cs.m, cs.k});
    Tensor b64 = make<double>(bv, {cs.batch, cs.k, cs.n});
    Tensor c64 = be().matmul(a64, b64);
    EXPECT_EQ(c64.shape(), (Shape{cs.batch, cs.m, cs.n}));
    expect_near_all(get<double>(c64), want, 1e-12);
    Tensor c32 = be().matmul(be().cast(a64, DType::Float32), be().cast(b64, DType::Float32));
    expect_near_all(as_double(c32), want, 1e-4);
    Tensor c16 = be().matmul(be().cast(a64, DType::BFloat16), be().cast(b64, DType::BFloat16));
    EXPECT_EQ(c16.dtype(), DType::BFloat16);
    expect_near_all(as_double(c16), want, 0.15);
  }
  Tensor a = be().reshape(be().arange(0, 1, 12, DType::Float64), {2, 2, 3});
  Tensor b = be().reshape(be().arange(0, 1, 12, DType::Float64), {2, 3, 2});
  EXPECT_EQ(get<double>(be().matmul(a, b)),
            (std::vector<double>{10, 13, 28, 40, 172, 193, 244, 274}));
  Tensor h =
      be().matmul(make_f({1, 2}, {1, 2}, DType::Float16), make_f({3, 4}, {2, 1}, DType::Float16));
  EXPECT_EQ(h.dtype(), DType::Float16);
  EXPECT_EQ(as_double(h), (std::vector<double>{11}));
  // 2-D operands, K = 0
  Tensor z =
      be().matmul(be().full({2, 0}, DType::Float32, 0), be().full({0, 3}, DType::Float32, 0));
  EXPECT_EQ(get<float>(z), (std::vector<float>(6, 0.f)));
}

TEST_P(BackendContract, MatmulIntegersWrapAndBoolIsOrOfAnds) {
  EXPECT_EQ(get<int32_t>(be().matmul(make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3}),
                                     make<int32_t>({1, -1, 2, 0, 0, 3}, {3, 2}))),
            (std::vector<int32_t>{5, 8, 14, 14}));
  EXPECT_EQ(get<int32_t>(be().matmul(make<int32_t>({1, 2}, {1, 2}), make<int32_t>({3, 4}, {2, 1}))),
            (std::vector<int32_t>{11}));
  EXPECT_EQ(
      get<uint8_t>(be().matmul(make<uint8_t>({200, 2}, {1, 2}), make<uint8_t>({2, 3}, {2, 1})))[0],
      static_cast<uint8_t>(406));
  EXPECT_EQ(
      get<uint8_t>(be().matmul(make<uint8_t>({16, 16}, {1, 2}), make<uint8_t>({8, 8}, {2, 1}))),
      (std::vector<uint8_t>{0}));
  EXPECT_EQ(get_bool(be().matmul(make_bool({1, 0, 0, 0}, {2, 2}), make_bool({0, 1, 1, 0}, {2, 2}))),
            (std::vector<uint8_t>{0, 1, 0, 0}));
  EXPECT_EQ(get_bool(be().matmul(make_bool({1, 0}, {1, 2}), make_bool({0, 1}, {2, 1}))),
            (std::vector<uint8_t>{0}));
}

}  // namespace
}  // namespace keras::backend::contract
