// Binary elementwise kernels and where: Python's integer division, NumPy's float division, wrap-
// around, NaN propagation, comparisons, bit operations, bool arithmetic and broadcasting.
#include <cmath>
#include <numeric>

#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

TEST_P(BackendContract, IntegerDivisionFollowsPython) {
  Tensor a = make<int32_t>({-7, 7, 7, -7, 5, INT32_MIN, 0, 7, 0});
  Tensor b = make<int32_t>({2, -2, 2, -2, 0, -1, 3, 2, 0});
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::FloorDivide, a, b)),
            (std::vector<int32_t>{-4, -4, 3, 3, 0, INT32_MIN, 0, 3, 0}));
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::Mod, a, b)),
            (std::vector<int32_t>{1, -1, 1, -1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::Fmod, a, b)),
            (std::vector<int32_t>{-1, 1, 1, -1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(get<int64_t>(be().binary(BinaryOp::FloorDivide, make<int64_t>({INT64_MIN, 9}),
                                     make<int64_t>({-1, 0}))),
            (std::vector<int64_t>{INT64_MIN, 0}));
  EXPECT_EQ(
      get<int8_t>(be().binary(BinaryOp::FloorDivide, make<int8_t>({-128}), make<int8_t>({-1}))),
      (std::vector<int8_t>{-128}));
  // Unsigned: plain division, including values >= 2^63 for uint64.
  Tensor ua = make<uint8_t>({7, 200});
  Tensor ub = make<uint8_t>({0, 7});
  EXPECT_EQ(get<uint8_t>(be().binary(BinaryOp::FloorDivide, ua, ub)),
            (std::vector<uint8_t>{0, 28}));
  EXPECT_EQ(get<uint8_t>(be().binary(BinaryOp::Mod, ua, ub)), (std::vector<uint8_t>{0, 4}));
  EXPECT_EQ(get<uint64_t>(be().binary(BinaryOp::FloorDivide, make<uint64_t>({UINT64_MAX, 9}),
                                      make<uint64_t>({2, 0}))),
            (std::vector<uint64_t>{UINT64_MAX / 2, 0}));
  EXPECT_EQ(
      get<uint64_t>(be().binary(BinaryOp::Mod, make<uint64_t>({UINT64_MAX}), make<uint64_t>({10}))),
      (std::vector<uint64_t>{UINT64_MAX % 10}));
  EXPECT_EQ(get<uint16_t>(
                be().binary(BinaryOp::FloorDivide, make<uint16_t>({65535}), make<uint16_t>({2}))),
            (std::vector<uint16_t>{32767}));
}

TEST_P(BackendContract, FloatDivisionFollowsNumPy) {
  Tensor a = make<double>({-7, 7, -7.5, 7.5, 1, -1, 6, 0, 7, -7});
  Tensor b = make<double>({2, -2, 2, -2, 0, kInf, 3, 0, 2, -2});
  expect_close(get<double>(be().binary(BinaryOp::FloorDivide, a, b)),
               {-4, -4, -4, -4, kInf, -1, 2, kNaN, 3, 3}, 0);
  auto m = get<double>(be().binary(BinaryOp::Mod, a, b));
  expect_close({m[0], m[1], m[2], m[3], m[4], m[8], m[9]}, {1, -1, 0.5, -0.5, kNaN, 1, -1}, 0);
  auto f = get<double>(be().binary(BinaryOp::Fmod, a, b));
  EXPECT_EQ(f[0], -1);
  EXPECT_EQ(f[1], 1);
  EXPECT_EQ(f[2], -1.5);
  auto d = get<float>(be().binary(BinaryOp::Divide, make<float>({1, -1}), make<float>({0, 4})));
  EXPECT_EQ(d[0], INFINITY);
  EXPECT_EQ(d[1], -0.25f);
  // Half precision computes in float and rounds once.
  Tensor h = be().binary(BinaryOp::Divide, make_f({1.0}, {1}, DType::Float16),
                         make_f({3.0}, {1}, DType::Float16));
  EXPECT_EQ(get<float16_t>(h)[0].bits, float16_t(1.0f / 3.0f).bits);
  expect_close(as_double(be().binary(BinaryOp::Arctan2, make<double>({1.0}), make<double>({-1.0}))),
               {3.0 * std::atan(1.0)}, 1e-15);
}

TEST_P(BackendContract, IntegerArithmeticWrapsAround) {
  EXPECT_EQ(
      get<int32_t>(be().binary(BinaryOp::Add, make<int32_t>({INT32_MAX}), make<int32_t>({1})))[0],
      INT32_MIN);
  EXPECT_EQ(get<int8_t>(be().binary(BinaryOp::Add, make<int8_t>({127}), make<int8_t>({1}))),
            (std::vector<int8_t>{-128}));
  EXPECT_EQ(get<uint16_t>(be().binary(BinaryOp::Add, make<uint16_t>({65535}), make<uint16_t>({2}))),
            (std::vector<uint16_t>{1}));
  EXPECT_EQ(
      get<uint32_t>(be().binary(BinaryOp::Subtract, make<uint32_t>({0}), make<uint32_t>({1}))),
      (std::vector<uint32_t>{4294967295u}));
  EXPECT_EQ(get<uint32_t>(
                be().binary(BinaryOp::Multiply, make<uint32_t>({65536}), make<uint32_t>({65537}))),
            (std::vector<uint32_t>{65536}));
}

TEST_P(BackendContract, IntegerPower) {
  // Negative exponents give 0 except for bases +-1; overflow wraps like NumPy's int32.
  auto p =
      get<int32_t>(be().binary(BinaryOp::Power, make<int32_t>({2, 2, -1, -1, 1, 3, 0, 5, 0, 2}),
                               make<int32_t>({10, -1, -3, -2, -5, 3, 0, 40, -1, 31})));
  uint32_t wrapped = 1;
  for (int i = 0; i < 40; ++i) wrapped *= 5u;
  EXPECT_EQ(p, (std::vector<int32_t>{1024, 0, -1, 1, 1, 27, 1, static_cast<int32_t>(wrapped), 0,
                                     INT32_MIN}));
  EXPECT_EQ(get<uint8_t>(be().binary(BinaryOp::Power, make<uint8_t>({2}), make<uint8_t>({9}))),
            (std::vector<uint8_t>{0}));
  EXPECT_EQ(get<uint64_t>(
                be().binary(BinaryOp::Power, make<uint64_t>({3}), make<uint64_t>({1ull << 63}))),
            (std::vector<uint64_t>{1}));  // 3^(2^63) mod 2^64
  EXPECT_EQ(
      get<double>(be().binary(BinaryOp::Power, make<double>({2, 4}), make<double>({-1, 0.5}))),
      (std::vector<double>{0.5, 2}));
  expect_close(as_double(be().binary(BinaryOp::Power, make<float>({2.0f, 4.0f}),
                                     make<float>({-1.0f, 0.5f}))),
               {0.5, 2.0});
}

TEST_P(BackendContract, Shifts) {
  // Counts outside [0, width) give 0 (left) or the sign (right).
  Tensor a = make<int32_t>({1, -8, -8, 1, 8, 1, 1, -1, 3, -1});
  Tensor s = make<int32_t>({40, 40, 1, -1, 2, 31, 32, 40, -1, 3});
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::LeftShift, a, s)),
            (std::vector<int32_t>{0, 0, -16, 0, 32, INT32_MIN, 0, 0, 0, -8}));
  EXPECT_EQ(get<int32_t>(be().binary(BinaryOp::RightShift, a, s)),
            (std::vector<int32_t>{0, -1, -4, 0, 2, 0, 0, -1, 0, -1}));
  Tensor u = make<uint8_t>({255, 255, 255});
  EXPECT_EQ(get<uint8_t>(be().binary(BinaryOp::LeftShift, u, make<uint8_t>({1, 8, 4}))),
            (std::vector<uint8_t>{254, 0, 240}));
  EXPECT_EQ(get<uint8_t>(be().binary(BinaryOp::RightShift, u, make<uint8_t>({7, 9, 0}))),
            (std::vector<uint8_t>{1, 0, 255}));
  EXPECT_EQ(get<uint16_t>(be().binary(BinaryOp::LeftShift, make<uint16_t>({65535, 1}),
                                      make<uint16_t>({8, 16}))),
            (std::vector<uint16_t>{65280, 0}));
  EXPECT_EQ(
      get<uint64_t>(be().binary(BinaryOp::RightShift, make<uint64_t>({UINT64_MAX, UINT64_MAX, 8}),
                                make<uint64_t>({60, 0, 64}))),
      (std::vector<uint64_t>{15, UINT64_MAX, 0}));
}

TEST_P(BackendContract, MaximumMinimumPropagateNaN) {
  Tensor a = make<double>({1, kNaN, 3, kNaN});
  Tensor b = make<double>({kNaN, 2, 1, kNaN});
  auto mx = get<double>(be().binary(BinaryOp::Maximum, a, b));
  auto mn = get<double>(be().binary(BinaryOp::Minimum, a, b));
  for (int i : {0, 1, 3}) {
    EXPECT_TRUE(std::isnan(mx[i]));
    EXPECT_TRUE(std::isnan(mn[i]));
  }
  EXPECT_EQ(mx[2], 3);
  EXPECT_EQ(mn[2], 1);
  EXPECT_EQ(get<uint64_t>(be().binary(BinaryOp::Maximum, make<uint64_t>({UINT64_MAX, 1}),
                                      make<uint64_t>({1, 2}))),
            (std::vector<uint64_t>{UINT64_MAX, 2}));
}

TEST_P(BackendContract, ComparisonsAndLogicalOps) {
  Tensor a = make<float>({1, 2, NAN, 0, 3});
  Tensor b = make<float>({2, 2, NAN, 0, 2});
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Less, a, b)), (std::vector<uint8_t>{1, 0, 0, 0, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::LessEqual, a, b)),
            (std::vector<uint8_t>{1, 1, 0, 1, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Greater, a, b)), (std::vector<uint8_t>{0, 0, 0, 0, 1}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Equal, a, b)), (std::vector<uint8_t>{0, 1, 0, 1, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::NotEqual, a, b)), (std::vector<uint8_t>{1, 0, 1, 0, 1}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::GreaterEqual, a, b)),
            (std::vector<uint8_t>{0, 1, 0, 1, 1}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::LogicalAnd, a, b)),
            (std::vector<uint8_t>{1, 1, 1, 0, 1}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::LogicalXor, a, make<float>({0, 1, 0, 1, 1}))),
            (std::vector<uint8_t>{1, 0, 1, 1, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::LogicalXor, make<int32_t>({0, 2, 3}),
                                 make<int32_t>({0, 0, 1}))),
            (std::vector<uint8_t>{0, 1, 0}));
  // uint64 compares as unsigned.
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Less, make<uint64_t>({1, UINT64_MAX}),
                                 make<uint64_t>({UINT64_MAX, 1}))),
            (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::GreaterEqual, make<uint64_t>({1ull << 63}),
                                 make<uint64_t>({5}))),
            (std::vector<uint8_t>{1}));
}

TEST_P(BackendContract, BitwiseOps) {
  Tensor x = make<int16_t>({0b1100, -1});
  Tensor y = make<int16_t>({0b1010, 5});
  EXPECT_EQ(get<int16_t>(be().binary(BinaryOp::BitwiseAnd, x, y)), (std::vector<int16_t>{8, 5}));
  EXPECT_EQ(get<int16_t>(be().binary(BinaryOp::BitwiseOr, x, y)), (std::vector<int16_t>{14, -1}));
  EXPECT_EQ(get<int16_t>(be().binary(BinaryOp::BitwiseXor, x, y)), (std::vector<int16_t>{6, -6}));
  EXPECT_EQ(
      get<int32_t>(be().binary(BinaryOp::BitwiseXor, make<int32_t>({12}), make<int32_t>({10}))),
      (std::vector<int32_t>{6}));
}

// Bool: + is or, * is and, ** is x || !y, xor is !=; - and // are refused, as in NumPy.
TEST_P(BackendContract, BoolArithmetic) {
  Tensor t = make_bool({1, 1, 0, 0}, {4});
  Tensor u = make_bool({1, 0, 1, 0}, {4});
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Add, t, u)), (std::vector<uint8_t>{1, 1, 1, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Multiply, t, u)), (std::vector<uint8_t>{1, 0, 0, 0}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::Power, t, u)), (std::vector<uint8_t>{1, 1, 0, 1}));
  EXPECT_EQ(get_bool(be().binary(BinaryOp::BitwiseXor, t, u)), (std::vector<uint8_t>{0, 1, 1, 0}));
  EXPECT_THROW(be().binary(BinaryOp::Subtract, t, u), TypeError);
  EXPECT_THROW(be().binary(BinaryOp::FloorDivide, t, u), TypeError);
  EXPECT_THROW(be().binary(BinaryOp::LeftShift, t, u), TypeError);
  EXPECT_THROW(be().unary(UnaryOp::Negative, t), TypeError);
}

TEST_P(BackendContract, BinaryBroadcasting) {
  // (2, 1, 3) - (4, 1) -> (2, 4, 3)
  std::vector<double> av(6), bv(4);
  std::iota(av.begin(), av.end(), 0);
  std::iota(bv.begin(), bv.end(), 10);
  Tensor a = make<double>(av, {2, 1, 3});
  Tensor c = be().binary(BinaryOp::Subtract, a, make<double>(bv, {4, 1}));
  EXPECT_EQ(c.shape(), (Shape{2, 4, 3}));
  auto cv = get<double>(c);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 3; ++k) EXPECT_EQ(cv[(i * 4 + j) * 3 + k], av[i * 3 + k] - bv[j]);
  Tensor s = be().binary(BinaryOp::Add, make<float>({1, 2}, {2, 1}), make<float>({10, 20, 30}));
  EXPECT_EQ(s.shape(), (Shape{2, 3}));
  EXPECT_EQ(get<float>(s), (std::vector<float>{11, 21, 31, 12, 22, 32}));
  // A scalar on either side, a 0-d result, an empty result.
  Tensor k = make<double>({100}, {});
  EXPECT_EQ(get<double>(be().binary(BinaryOp::Subtract, k, a))[5], 95);
  EXPECT_EQ(get<double>(be().binary(BinaryOp::Subtract, a, k))[5], -95);
  EXPECT_EQ(be().binary(BinaryOp::Add, k, k).shape(), Shape{});
  Tensor e = be().full({0, 3}, DType::Float64, 0);
  EXPECT_EQ(be().binary(BinaryOp::Add, e, make<double>({1, 2, 3})).shape(), (Shape{0, 3}));
  // Large, with a row broadcast (1, 1000) * (300, 1).
  auto rv = random_values(1000, 1), colv = random_values(300, 2);
  auto big = get<double>(
      be().binary(BinaryOp::Multiply, make<double>(rv, {1, 1000}), make<double>(colv, {300, 1})));
  for (int i = 0; i < 300; i += 7)
    for (int j = 0; j < 1000; j += 13) EXPECT_EQ(big[i * 1000 + j], rv[j] * colv[i]);
}

TEST_P(BackendContract, BinaryEveryOpEveryDtypeKeepsTheShape) {
  for (int d = 0; d < kNumDTypes; ++d) {
    DType dt = static_cast<DType>(d);
    Tensor x = be().arange(-3, 1, 6, dt);
    Tensor y = be().arange(2, -1, 6, dt);  // contains 0 and negatives
    for (int o = 0; o < kNumBinaryOps; ++o) {
      try {
        Tensor z = be().binary(static_cast<BinaryOp>(o), x, y);
        EXPECT_EQ(z.shape(), x.shape());
      } catch (const TypeError&) {
      }
    }
  }
}

TEST_P(BackendContract, WhereBroadcastsAllThree) {
  Tensor w =
      be().where(make_bool({1, 0, 1}, {3}), make<int64_t>({1, 2}, {2, 1}), make<int64_t>({-1}, {}));
  EXPECT_EQ(w.shape(), (Shape{2, 3}));
  EXPECT_EQ(get<int64_t>(w), (std::vector<int64_t>{1, -1, 1, 2, -1, 2}));
  Tensor r =
      be().where(make_bool({1, 0}, {2, 1}), make<int32_t>({1, 2, 3}), make<int32_t>({-1}, Shape{}));
  EXPECT_EQ(r.shape(), (Shape{2, 3}));
  EXPECT_EQ(get<int32_t>(r), (std::vector<int32_t>{1, 2, 3, -1, -1, -1}));
  Tensor h = be().where(make_bool({0, 1}, {2}), be().full({2}, DType::Float16, 1),
                        be().full({2}, DType::Float16, 2));
  EXPECT_EQ(h.dtype(), DType::Float16);
  EXPECT_EQ(as_double(h), (std::vector<double>{2, 1}));
}

}  // namespace
}  // namespace keras::backend::contract
