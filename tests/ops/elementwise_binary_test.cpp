// Binary elementwise ops, comparisons, bitwise ops, where and clip on every backend: values,
// broadcasting (including 0-size dimensions), Keras dtypes, symbolic shapes, errors, gradients.
#include <numbers>

#include "ops/elementwise_testing.hpp"

namespace keras {
namespace {

using namespace keras::testing;

class BinaryOpsTest : public testing::BackendTest {};

constexpr double kPi = std::numbers::pi;
constexpr double kLn2 = std::numbers::ln2;

TEST_P(BinaryOpsTest, ArithmeticWithBroadcasting) {
  Tensor a = arr({1, 2}, {2, 1});
  Tensor b = arr({10, 20, 30});
  Tensor s = ops::add(a, b);
  EXPECT_EQ(s.shape(), Shape({2, 3}));
  expect_values(s, {11, 21, 31, 12, 22, 32}, 0, "add");
  expect_values(ops::subtract(a, b), {-9, -19, -29, -8, -18, -28}, 0, "subtract");
  expect_values(ops::multiply(a, b), {10, 20, 30, 20, 40, 60}, 0, "multiply");
  expect_values(ops::divide(b, a), {10, 20, 30, 5, 10, 15}, 0, "divide");
  expect_values(a + b, {11, 21, 31, 12, 22, 32}, 0, "operator+");
  expect_values(b - 1, {9, 19, 29}, 0, "operator-");
  expect_values(2 * b, {20, 40, 60}, 0, "operator*");
  expect_values(b / 4, {2.5, 5, 7.5}, 0, "operator/");
  expect_values(-b, {-10, -20, -30}, 0, "unary operator-");
  Tensor c = b;
  c += 1;
  c *= 2;
  c -= 2;
  c /= 4;
  expect_values(c, {5, 10, 15}, 0, "compound assignment");
  expect_values(ops::divide(arr({1, -1, 0}), arr({0, 0, 0})), {kInf, -kInf, kNaN}, 0, "x / 0");
}

TEST_P(BinaryOpsTest, ZeroSizeBroadcasting) {
  Tensor e = ops::zeros({0, 3});
  Tensor r = ops::add(e, arr({1, 2, 3}));
  EXPECT_EQ(r.shape(), Shape({0, 3}));
  EXPECT_EQ(ops::multiply(ops::zeros({2, 0}), arr({5})).shape(), Shape({2, 0}));
  EXPECT_EQ(ops::maximum(ops::zeros({4, 1, 0}), ops::zeros({3, 1})).shape(), Shape({4, 3, 0}));
  EXPECT_EQ(ops::equal(e, 1).shape(), Shape({0, 3}));
  EXPECT_EQ(ops::where(ops::zeros({0, 1}, bool_), e, 1.0).shape(), Shape({0, 3}));
  EXPECT_EQ(ops::hypot(e, e).shape(), Shape({0, 3}));
  EXPECT_EQ(ops::clip(e, 0, 1).shape(), Shape({0, 3}));
  EXPECT_EQ(ops::divide_no_nan(e, e).shape(), Shape({0, 3}));
}

TEST_P(BinaryOpsTest, IntegerDivisionFamily) {
  Tensor x = arr({7, -7, 7, -7}, int32), y = arr({2, 2, -2, -2}, int32);
  Tensor fd = ops::floor_divide(x, y);
  EXPECT_EQ(fd.dtype(), int32);
  expect_values(fd, {3, -4, -4, 3}, 0, "floor_divide int");
  Tensor m = ops::mod(x, y);
  EXPECT_EQ(m.dtype(), int32);
  expect_values(m, {1, 1, -1, -1}, 0, "mod int (sign of divisor)");
  expect_values(x % 3, {1, 2, 1, 2}, 0, "operator%");
  expect_values(ops::fmod(x, y), {1, -1, 1, -1}, 0, "fmod int (sign of dividend)");
  Tensor f = arr({5.5, -5.5, 5.5, -5.5}), g = arr({2, 2, -2, -2});
  expect_values(ops::floor_divide(f, g), {2, -3, -3, 2}, 0, "floor_divide float");
  expect_values(ops::mod(f, g), {1.5, 0.5, -0.5, -1.5}, 0, "mod float");
  expect_values(ops::fmod(f, g), {1.5, -1.5, 1.5, -1.5}, 0, "fmod float");
  Tensor bm = ops::mod(arr({1, 0}, bool_), arr({1, 1}, bool_));
  EXPECT_EQ(bm.dtype(), int32);
  expect_values(bm, {0, 0}, 0, "mod bool");
  // Integer division by zero must not crash (the value is backend-defined).
  Tensor z = ops::floor_divide(arr({1, 0}, int32), arr({0, 0}, int32));
  EXPECT_EQ(z.shape(), Shape({2}));
  ops::mod(arr({1}, int64), arr({0}, int64)).to_vector<int64_t>();
}

TEST_P(BinaryOpsTest, DivideNoNan) {
  Tensor r = ops::divide_no_nan(arr({1, 2, 0, -3}), arr({0, 4, 0, 2}));
  EXPECT_EQ(r.dtype(), float32);
  expect_values(r, {0, 0.5, 0, -1.5}, 0, "divide_no_nan");
  EXPECT_EQ(ops::divide_no_nan(arr({1}, int32), arr({2}, int32)).dtype(), float32);
  Tensor x = arr({1, 2}, float64), y = arr({0, 4}, float64);
  GradientTape tape;
  tape.watch(std::vector<Tensor>{x, y});
  auto g = tape.gradient(ops::divide_no_nan(x, y), std::vector<Tensor>{x, y});
  expect_values(g[0], {0, 0.25}, 1e-15, "d/dx1 divide_no_nan");
  expect_values(g[1], {0, -2.0 / 16}, 1e-15, "d/dx2 divide_no_nan");
}

TEST_P(BinaryOpsTest, Power) {
  Tensor p = ops::power(arr({2, 3, -2, 0}, int32), arr({3, 2, 3, 0}, int32));
  EXPECT_EQ(p.dtype(), int32);
  expect_values(p, {8, 9, -8, 1}, 0, "power int");
  expect_values(ops::power(arr({4, 2, 0, -8}), arr({0.5, -1, 0, 2})), {2, 0.5, 1, 64}, 1e-7,
                "power float");
  expect_values(ops::power(arr({-8}), 1.0 / 3.0), {kNaN}, 0, "negative base, fractional power");
  EXPECT_EQ(ops::power(arr({2}, int32), 0.5).dtype(), float32);
  EXPECT_EQ(ops::power(arr({2}, int32), 2).dtype(), int32);
}

TEST_P(BinaryOpsTest, MaximumMinimumFmaxFmin) {
  Tensor a = arr({1, 5, kNaN, kNaN, -0.5}), b = arr({3, 2, 1, kNaN, -0.5});
  expect_values(ops::maximum(a, b), {3, 5, kNaN, kNaN, -0.5}, 0, "maximum");
  expect_values(ops::minimum(a, b), {1, 2, kNaN, kNaN, -0.5}, 0, "minimum");
  expect_values(ops::fmax(a, b), {3, 5, 1, kNaN, -0.5}, 0, "fmax");
  expect_values(ops::fmin(a, b), {1, 2, 1, kNaN, -0.5}, 0, "fmin");
  expect_values(ops::fmax(b, a), {3, 5, 1, kNaN, -0.5}, 0, "fmax swapped");
  Tensor m = ops::maximum(arr({1, 4}, int32), arr({2.5, 3}));
  EXPECT_EQ(m.dtype(), float32);
  expect_values(m, {2.5, 4}, 0, "maximum int/float");
  EXPECT_EQ(ops::fmin(arr({1}, int8), arr({2}, int8)).dtype(), int8);
  expect_values(ops::maximum(arr({1, 0}, bool_), arr({0, 0}, bool_)), {1, 0}, 0, "maximum bool");
}

TEST_P(BinaryOpsTest, TwoArgumentMath) {
  Tensor y = arr({1, 1, -1, 0}, float64), x = arr({1, -1, 0, -1}, float64);
  expect_values(ops::arctan2(y, x), {kPi / 4, 3 * kPi / 4, -kPi / 2, kPi}, 1e-15, "arctan2");
  EXPECT_EQ(ops::arctan2(arr({1}, int32), arr({1}, int32)).dtype(), float32);
  expect_values(ops::hypot(arr({3, 0, -5, 1e200, kInf, 0}, float64),
                           arr({4, 0, 12, 1e200, kNaN, -2}, float64)),
                {5, 0, 13, std::sqrt(2.0) * 1e200, kInf, 2}, 1e-15, "hypot");
  expect_values(ops::hypot(arr({1e-30}), arr({1e-30})), {std::sqrt(2.0) * 1e-30}, 1e-6,
                "hypot small float32");
  expect_values(ops::logaddexp(arr({0, 1, 1000, -kInf, kInf, -1000}, float64),
                               arr({0, 2, 1000, -kInf, kInf, 3}, float64)),
                {kLn2, std::log(std::exp(1.0) + std::exp(2.0)), 1000 + kLn2, -kInf, kInf, 3}, 1e-15,
                "logaddexp");
  expect_values(ops::logaddexp2(arr({1, 0, 3, -kInf}, float64), arr({1, 1, 3, 5}, float64)),
                {2, std::log2(3.0), 4, 5}, 1e-15, "logaddexp2");
  expect_values(ops::heaviside(arr({-1, 0, 2, kNaN}), 0.5), {0, 0.5, 1, kNaN}, 0, "heaviside");
  expect_values(ops::copysign(arr({1, -2, 3, 0}), arr({-1, 1, -0.0, -5})), {-1, 2, -3, -0.0}, 0,
                "copysign");
}

TEST_P(BinaryOpsTest, Comparisons) {
  Tensor a = arr({1, 2, 3, kNaN}), b = arr({2, 2, 2, kNaN});
  expect_values(ops::equal(a, b), {0, 1, 0, 0}, 0, "equal");
  expect_values(ops::not_equal(a, b), {1, 0, 1, 1}, 0, "not_equal");
  expect_values(ops::less(a, b), {1, 0, 0, 0}, 0, "less");
  expect_values(a < b, {1, 0, 0, 0}, 0, "operator<");
  expect_values(ops::less_equal(a, b), {1, 1, 0, 0}, 0, "less_equal");
  expect_values(a <= b, {1, 1, 0, 0}, 0, "operator<=");
  expect_values(ops::greater(a, b), {0, 0, 1, 0}, 0, "greater");
  expect_values(a > 2, {0, 0, 1, 0}, 0, "operator>");
  expect_values(ops::greater_equal(a, b), {0, 1, 1, 0}, 0, "greater_equal");
  expect_values(a >= 2, {0, 1, 1, 0}, 0, "operator>=");
  // Mixed dtypes compare after promotion: 1 (int32) == 1.0 (float32).
  Tensor e = ops::equal(arr({1, 2}, int32), arr({1.0, 2.5}));
  EXPECT_EQ(e.dtype(), bool_);
  expect_values(e, {1, 0}, 0, "equal int/float");
  expect_values(ops::equal(arr({1, 2}, {2, 1}, int32), arr({1, 2}, int32)), {1, 0, 0, 1}, 0,
                "equal broadcast");
}

TEST_P(BinaryOpsTest, LogicalOps) {
  Tensor a = arr({0, 0, 1, 2}), b = arr({0, -3, 0, 0.5});
  expect_values(ops::logical_and(a, b), {0, 0, 0, 1}, 0, "logical_and");
  expect_values(ops::logical_or(a, b), {0, 1, 1, 1}, 0, "logical_or");
  expect_values(ops::logical_xor(a, b), {0, 1, 1, 0}, 0, "logical_xor");
  Tensor p = arr({1, 0}, bool_), q = arr({1, 1}, bool_);
  expect_values(p & q, {1, 0}, 0, "operator&");
  expect_values(p | q, {1, 1}, 0, "operator|");
  expect_values(!p, {0, 1}, 0, "operator!");
  EXPECT_EQ(ops::logical_and(arr({1}, int32), arr({1})).dtype(), bool_);
}

TEST_P(BinaryOpsTest, IsCloseAndAllClose) {
  Tensor a = arr({1, 1.00001, 1e-9, kInf, kInf, kNaN, 1}, float64);
  Tensor b = arr({1, 1, 0, kInf, -kInf, kNaN, 1.1}, float64);
  expect_values(ops::isclose(a, b), {1, 1, 1, 1, 0, 0, 0}, 0, "isclose");
  expect_values(ops::isclose(a, b, {.equal_nan = true}), {1, 1, 1, 1, 0, 1, 0}, 0,
                "isclose equal_nan");
  expect_values(ops::isclose(a, b, {.rtol = 0.2}), {1, 1, 1, 1, 0, 0, 1}, 0, "isclose rtol");
  expect_values(ops::isclose(arr({1, 5}, int32), arr({2, 5}, int32), {.atol = 1}), {1, 1}, 0,
                "isclose int");
  EXPECT_TRUE(ops::allclose(arr({1, 2}), arr({1, 2.000001})));
  EXPECT_FALSE(ops::allclose(arr({1, 2}), arr({1, 2.1})));
  EXPECT_TRUE(ops::allclose(ops::zeros({0}), ops::zeros({0})));
  EXPECT_TRUE(ops::allclose(arr({1, kNaN}), arr({1, kNaN}), {.equal_nan = true}));
  EXPECT_EQ(ops::isclose(Tensor::symbolic({Shape::kNone, 3}, float32), arr({1, 2, 3})).shape(),
            Shape({Shape::kNone, 3}));
  testing::expect_error<ValueError>(
      [&] {
        ops::allclose(Tensor::symbolic({2}, float32), arr({1, 2}));
      },
      {"ops::allclose", "symbolic"});
}

TEST_P(BinaryOpsTest, Where) {
  Tensor c = arr({1, 0, 1}, bool_);
  expect_values(ops::where(c, arr({1, 2, 3}), arr({-1, -2, -3})), {1, -2, 3}, 0, "where");
  // A non-bool condition means non-zero; the condition broadcasts.
  Tensor w = ops::where(arr({0, 2}, {2, 1}, int32), arr({1, 2, 3}), 0);
  EXPECT_EQ(w.shape(), Shape({2, 3}));
  expect_values(w, {0, 0, 0, 1, 2, 3}, 0, "where broadcast");
  EXPECT_EQ(ops::where(c, arr({1, 2, 3}, int32), arr({1, 2, 3})).dtype(), float32);
  EXPECT_EQ(ops::where(c, arr({1, 2, 3}, int32), 2.5).dtype(), float32);
  EXPECT_EQ(ops::where(c, arr({1, 2, 3}, float16), 1).dtype(), float16);
  EXPECT_EQ(ops::where(c, arr({1, 2, 3}, uint8), 1).dtype(), uint8);
  EXPECT_EQ(ops::where(c, 1, 2).dtype(), int32);
  Tensor s = ops::where(Tensor::symbolic({Shape::kNone, 1}, bool_), arr({1, 2, 3}), 0.0);
  EXPECT_TRUE(s.is_symbolic());
  EXPECT_EQ(s.shape(), Shape({Shape::kNone, 3}));
  testing::expect_error<ValueError>(
      [&] {
        ops::where(c, arr({1, 2}), arr({1, 2, 3}));
      },
      {"ops::where", "(3,)", "(2,)"});
  testing::expect_error<ValueError>(
      [&] {
        ops::where(c, arr({1, 2, 3}), Tensor());
      },
      {"ops::where", "x1", "x2"});
}

TEST_P(BinaryOpsTest, Clip) {
  Tensor x = arr({-2, 0.5, 1, 3, kNaN});
  expect_values(ops::clip(x, 0, 1), {0, 0.5, 1, 1, kNaN}, 0, "clip");
  expect_values(ops::clip(x, 0, Tensor()), {0, 0.5, 1, 3, kNaN}, 0, "clip min only");
  expect_values(ops::clip(x, Tensor(), 0.7), {-2, 0.5, 0.7, 0.7, kNaN}, 1e-7, "clip max only");
  expect_values(ops::clip(x, Tensor(), Tensor()), {-2, 0.5, 1, 3, kNaN}, 0, "clip no bounds");
  Tensor i = ops::clip(arr({0, 1, 2, 3}, int32), 0.5, 2.5);
  EXPECT_EQ(i.dtype(), int32);  // Keras keeps x's dtype
  expect_values(i, {0, 1, 2, 2}, 0, "clip int with float bounds");
  Tensor b = ops::clip(arr({1, 0}, bool_), 0, 1);
  EXPECT_EQ(b.dtype(), int32);  // Keras: bool becomes int32
  expect_values(b, {1, 0}, 0, "clip bool");
  Tensor lo = arr({0, 10}), hi = arr({1, 20});
  expect_values(ops::clip(arr({5, 5, -5, 25}, {2, 2}), lo, hi), {1, 10, 0, 20}, 0,
                "clip tensor bounds");
  EXPECT_EQ(ops::clip(arr({1}, float16), 0, 0.5).dtype(), float16);
  Tensor s = ops::clip(Tensor::symbolic({Shape::kNone, 2}, bool_), 0, 1);
  EXPECT_EQ(s.dtype(), int32);
  EXPECT_EQ(s.shape(), Shape({Shape::kNone, 2}));
  testing::expect_error<ValueError>(
      [&] {
        ops::clip(arr({1, 2}), arr({0, 0, 0}), 1);
      },
      {"ops::clip", "(3,)", "(2,)"});
  testing::expect_error<ValueError>([&] { ops::clip(Tensor(), 0, 1); }, {"ops::clip", "`x`"});
}

TEST_P(BinaryOpsTest, Bitwise) {
  Tensor a = arr({12, -1, 5}, int32), b = arr({10, 7, 0}, int32);
  expect_values(ops::bitwise_and(a, b), {8, 7, 0}, 0, "bitwise_and");
  expect_values(ops::bitwise_or(a, b), {14, -1, 5}, 0, "bitwise_or");
  expect_values(ops::bitwise_xor(a, b), {6, -8, 5}, 0, "bitwise_xor");
  expect_values(ops::bitwise_not(a), {-13, 0, -6}, 0, "bitwise_not");
  expect_values(ops::bitwise_invert(arr({0, 255}, uint8)), {255, 0}, 0, "bitwise_invert uint8");
  expect_values(ops::bitwise_not(arr({1, 0}, bool_)), {0, 1}, 0, "bitwise_not bool");
  expect_values(ops::bitwise_and(arr({1, 1}, bool_), arr({1, 0}, bool_)), {1, 0}, 0, "and bool");
  expect_values(ops::left_shift(arr({1, 3}, int32), 2), {4, 12}, 0, "left_shift");
  expect_values(ops::bitwise_left_shift(arr({1}, int8), arr({3}, int8)), {8}, 0, "<< int8");
  expect_values(ops::right_shift(arr({16, -16}, int32), 2), {4, -4}, 0, "right_shift");
  expect_values(ops::bitwise_right_shift(arr({255}, uint8), 4), {15}, 0, ">> uint8");
  EXPECT_EQ(ops::left_shift(arr({1}, uint8), 1).dtype(), uint8);
  EXPECT_EQ(ops::bitwise_or(arr({1}, int8), arr({1}, int16)).dtype(), int16);
  testing::expect_error<TypeError>([&] { ops::bitwise_and(arr({1.5}), arr({1}, int32)); },
                                   {"ops::bitwise_and", "float32", "int32"});
  testing::expect_error<TypeError>([&] { ops::left_shift(arr({1}, bool_), arr({1}, bool_)); },
                                   {"ops::left_shift", "bool"});
}

// Keras's dtype rules for binary ops (result_type; result_type(..., float) for true division).
TEST_P(BinaryOpsTest, ResultDTypes) {
  auto t = [](DType d) { return arr({1, 2}, d); };
  EXPECT_EQ(ops::add(t(int8), t(int16)).dtype(), int16);
  EXPECT_EQ(ops::add(t(uint8), t(int8)).dtype(), int16);
  EXPECT_EQ(ops::add(t(uint32), t(int32)).dtype(), int64);
  EXPECT_EQ(ops::add(t(float16), t(bfloat16)).dtype(), float32);
  EXPECT_EQ(ops::multiply(t(int64), t(float16)).dtype(), float16);
  EXPECT_EQ(ops::add(t(bool_), t(bool_)).dtype(), bool_);
  EXPECT_EQ(ops::divide(t(int32), t(int32)).dtype(), float32);
  EXPECT_EQ(ops::divide(t(int64), t(int8)).dtype(), float32);
  EXPECT_EQ(ops::true_divide(t(bool_), t(bool_)).dtype(), float32);
  EXPECT_EQ(ops::divide(t(float16), t(int32)).dtype(), float16);
  EXPECT_EQ(ops::divide(t(float64), t(float32)).dtype(), float64);
  EXPECT_EQ(ops::divide(t(uint8), 255.0).dtype(), float32);
  EXPECT_EQ(ops::floor_divide(t(int32), t(int32)).dtype(), int32);
  EXPECT_EQ(ops::floor_divide(t(int32), 2.0).dtype(), float32);
  EXPECT_EQ(ops::mod(t(bool_), t(bool_)).dtype(), int32);
  EXPECT_EQ(ops::fmod(t(bool_), t(bool_)).dtype(), int32);
  EXPECT_EQ(ops::mod(t(uint8), 3).dtype(), uint8);
  EXPECT_EQ(ops::power(t(int32), t(int32)).dtype(), int32);
  EXPECT_EQ(ops::power(t(int32), t(float32)).dtype(), float32);
  EXPECT_EQ(ops::maximum(t(int32), t(float32)).dtype(), float32);
  EXPECT_EQ(ops::minimum(t(uint8), t(int8)).dtype(), int16);
  EXPECT_EQ(ops::arctan2(t(int32), t(float16)).dtype(), float16);
  EXPECT_EQ(ops::hypot(t(int32), t(int32)).dtype(), float32);
  EXPECT_EQ(ops::hypot(t(int64), t(int64)).dtype(), float64);
  EXPECT_EQ(ops::heaviside(t(int8), t(int8)).dtype(), float32);
  EXPECT_EQ(ops::logaddexp(t(int32), t(int32)).dtype(), float32);
  EXPECT_EQ(ops::logaddexp2(t(bfloat16), t(bfloat16)).dtype(), bfloat16);
  EXPECT_EQ(ops::copysign(t(int32), t(int32)).dtype(), float32);
  EXPECT_EQ(ops::divide_no_nan(t(int32), t(float64)).dtype(), float64);
  EXPECT_EQ(ops::equal(t(int32), t(float64)).dtype(), bool_);
  EXPECT_EQ(ops::greater(t(uint64), t(int64)).dtype(), bool_);
}

TEST_P(BinaryOpsTest, SymbolicInputs) {
  Tensor s = Tensor::symbolic({Shape::kNone, 3}, int32);
  Tensor r = ops::add(s, arr({1, 2, 3}));
  EXPECT_TRUE(r.is_symbolic());
  EXPECT_EQ(r.shape(), Shape({Shape::kNone, 3}));
  EXPECT_EQ(r.dtype(), float32);
  EXPECT_EQ(ops::divide(s, 2).dtype(), float32);
  EXPECT_EQ(ops::multiply(s, 2).dtype(), int32);
  EXPECT_EQ(ops::mod(s, 2).shape(), Shape({Shape::kNone, 3}));
  EXPECT_EQ(ops::hypot(s, s).dtype(), float32);
  EXPECT_EQ(ops::logaddexp(s, 1.0).dtype(), float32);
  EXPECT_EQ(ops::fmax(s, s).dtype(), int32);
  EXPECT_EQ(ops::divide_no_nan(s, s).shape(), Shape({Shape::kNone, 3}));
  EXPECT_EQ(ops::less(s, 1).dtype(), bool_);
  EXPECT_EQ(ops::bitwise_and(s, 1).dtype(), int32);
  Tensor b =
      ops::maximum(Tensor::symbolic({4, 1}, float32), Tensor::symbolic({Shape::kNone, 5}, float32));
  EXPECT_EQ(b.shape(), Shape({4, 5}));
}

TEST_P(BinaryOpsTest, Errors) {
  testing::expect_error<ValueError>(
      [&] {
        ops::add(arr({1, 2, 3}, {1, 3}), arr({1, 2}));
      },
      {"ops::add", "(1, 3)", "(2,)", "broadcast"});
  testing::expect_error<ValueError>(
      [&] {
        ops::hypot(arr({1, 2, 3}), arr({1, 2}));
      },
      {"ops::hypot", "(3,)", "(2,)"});
  testing::expect_error<ValueError>([&] { ops::multiply(Tensor(), arr({1})); },
                                    {"ops::multiply", "`x1`", "undefined"});
  testing::expect_error<ValueError>([&] { ops::power(arr({1}), Tensor()); },
                                    {"ops::power", "`x2`"});
  testing::expect_error<TypeError>([&] { ops::subtract(arr({1}, bool_), arr({0}, bool_)); },
                                   {"ops::subtract", "bool", "logical_xor"});
  testing::expect_error<ValueError>(
      [&] {
        ops::logaddexp(Tensor::symbolic({2, 3}, float32), Tensor::symbolic({4}, float32));
      },
      {"ops::logaddexp", "(2, 3)", "(4,)"});
}

// ---- gradients ----

using BinaryFn = Tensor (*)(const Tensor&, const Tensor&);
struct GradCase {
  const char* name;
  BinaryFn fn;
  double lo1, hi1, lo2, hi2;
};

Tensor where_pos(const Tensor& a, const Tensor& b) { return ops::where(ops::greater(a, 0), a, b); }
Tensor clip_tensors(const Tensor& x, const Tensor& b) {
  return ops::clip(x, ops::subtract(b, 0.5), ops::add(b, 0.5));
}

TEST_P(BinaryOpsTest, GradientsMatchFiniteDifferences) {
  const GradCase cases[] = {
      {"add", ops::add, -1, 1, -1, 1},
      {"subtract", ops::subtract, -1, 1, -1, 1},
      {"multiply", ops::multiply, -1, 1, -1, 1},
      {"divide", ops::divide, -1, 1, 0.5, 2},
      {"true_divide", ops::true_divide, -1, 1, -2, -0.5},
      {"divide_no_nan", ops::divide_no_nan, -1, 1, 0.5, 2},
      {"mod", ops::mod, 0.1, 0.9, 1.5, 2},
      {"mod", ops::mod, 2.2, 2.9, 1.0, 1.05},
      {"fmod", ops::fmod, -2.9, -2.2, 1.0, 1.05},
      {"power", ops::power, 0.5, 2, -1, 2},
      {"maximum", ops::maximum, -1, 1, -1, 1},
      {"minimum", ops::minimum, -1, 1, -1, 1},
      {"fmax", ops::fmax, -1, 1, -1, 1},
      {"fmin", ops::fmin, -1, 1, -1, 1},
      {"arctan2", ops::arctan2, -1, 1, -1, 1},
      {"hypot", ops::hypot, -2, 2, -2, 2},
      {"logaddexp", ops::logaddexp, -3, 3, -3, 3},
      {"logaddexp2", ops::logaddexp2, -3, 3, -3, 3},
      {"heaviside", ops::heaviside, 0.5, 1, -1, 1},
      {"copysign", ops::copysign, -2, 2, 0.5, 1},
      {"copysign", ops::copysign, -2, 2, -1, -0.5},
      {"where", where_pos, -1, 1, -1, 1},
      {"clip", clip_tensors, -2, 2, -1, 1},
  };
  for (const GradCase& c : cases) {
    Tensor a = testing::test_values({2, 3}, c.lo1, c.hi1, 11);
    Tensor b = testing::test_values({2, 3}, c.lo2, c.hi2, 12);
    BinaryFn fn = c.fn;
    testing::expect_gradients_match(
        [fn](const std::vector<Tensor>& xs) { return fn(xs[0], xs[1]); }, {a, b}, c.name);
  }
}

TEST_P(BinaryOpsTest, GradientsWithBroadcastingAndMixedInputs) {
  Tensor a = testing::test_values({2, 3}, 0.5, 2, 21);
  Tensor row = testing::test_values({3}, 0.5, 2, 22);
  Tensor col = testing::test_values({2, 1}, 0.5, 2, 23);
  BinaryFn fns[] = {ops::add,     ops::subtract, ops::multiply, ops::divide,    ops::power,
                    ops::maximum, ops::arctan2,  ops::hypot,    ops::logaddexp, where_pos};
  for (BinaryFn fn : fns) {
    testing::expect_gradients_match(
        [fn](const std::vector<Tensor>& xs) { return fn(xs[0], xs[1]); }, {a, row},
        "broadcast row");
    testing::expect_gradients_match(
        [fn](const std::vector<Tensor>& xs) { return fn(xs[0], xs[1]); }, {col, row}, "outer");
  }
  // With a scalar operand (weak) on either side.
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& xs) { return ops::power(xs[0], 2.5); }, {a}, "power(x, 2.5)");
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& xs) { return ops::power(2.0, xs[0]); }, {a}, "power(2, x)");
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& xs) { return ops::divide(1, xs[0]); }, {a}, "1 / x");
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& xs) { return ops::clip(xs[0], 0.8, 1.5); }, {a}, "clip");
  // An integer operand gets no gradient; the float one does.
  Tensor i = arr({1, 2, 3}, int32);
  testing::expect_gradients_match(
      [i](const std::vector<Tensor>& xs) { return ops::multiply(xs[0], i); }, {a}, "x * int");
}

TEST_P(BinaryOpsTest, SecondDerivatives) {
  Tensor a = testing::test_values({2, 2}, 0.5, 2, 31);
  Tensor b = testing::test_values({2, 2}, 0.3, 1.5, 32);
  BinaryFn fns[] = {ops::multiply,  ops::divide,  ops::power, ops::hypot,
                    ops::logaddexp, ops::arctan2, where_pos,  clip_tensors};
  for (BinaryFn fn : fns)
    testing::expect_second_gradients_match(
        [fn](const std::vector<Tensor>& xs) { return fn(xs[0], xs[1]); }, {a, b}, "second order");
}

TEST_P(BinaryOpsTest, MaximumSplitsTiesLikeJax) {
  Tensor x = arr({1, 2, 5}, float64), y = arr({1, 3, 4}, float64);
  GradientTape tape({.persistent = true});
  tape.watch(std::vector<Tensor>{x, y});
  auto g = tape.gradient(ops::maximum(x, y), std::vector<Tensor>{x, y});
  expect_values(g[0], {0.5, 0, 1}, 0, "d max / dx");
  expect_values(g[1], {0.5, 1, 0}, 0, "d max / dy");
  g = tape.gradient(ops::minimum(x, y), std::vector<Tensor>{x, y});
  expect_values(g[0], {0.5, 1, 0}, 0, "d min / dx");
  expect_values(g[1], {0.5, 0, 1}, 0, "d min / dy");
}

TEST_P(BinaryOpsTest, PowerGradientAtZero) {
  Tensor x = arr({0, 0, 2}, float64), y = arr({2, 0, 0}, float64);
  GradientTape tape;
  tape.watch(std::vector<Tensor>{x, y});
  auto g = tape.gradient(ops::power(x, y), std::vector<Tensor>{x, y});
  expect_values(g[0], {0, 0, 0}, 0, "d x^y / dx");
  expect_values(g[1], {0, 0, std::log(2.0)}, 1e-15, "d x^y / dy");
}

TEST_P(BinaryOpsTest, ClipGradientIncludesTheBounds) {
  Tensor x = arr({0, 0.5, 0.75, 1, 1.5}, float64);
  Tensor lo = arr({0.5}, float64), hi = arr({1}, float64);
  GradientTape tape;
  tape.watch(std::vector<Tensor>{x, lo, hi});
  auto g = tape.gradient(ops::clip(x, lo, hi), std::vector<Tensor>{x, lo, hi});
  expect_values(g[0], {0, 1, 1, 1, 0}, 0, "d clip / dx");
  expect_values(g[1], {1}, 0, "d clip / dmin");
  expect_values(g[2], {1}, 0, "d clip / dmax");
}

TEST_P(BinaryOpsTest, WhereRoutesGradients) {
  Tensor c = arr({1, 0, 1}, bool_);
  Tensor x = arr({1, 2, 3}, float64), y = arr({4}, float64);
  GradientTape tape;
  tape.watch(std::vector<Tensor>{x, y});
  auto g = tape.gradient(ops::where(c, x, y), std::vector<Tensor>{x, y});
  expect_values(g[0], {1, 0, 1}, 0, "d where / dx1");
  expect_values(g[1], {1}, 0, "d where / dx2 (broadcast)");
}

TEST_P(BinaryOpsTest, ComparisonsHaveNoGradient) {
  Tensor x = arr({1, 2}, float64);
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::cast(ops::greater(x, 1.5), float64);
  expect_values(tape.gradient(y, x), {0, 0}, 0, "comparison gradient");
}

KERAS_INSTANTIATE_BACKEND_TEST(BinaryOpsTest);

}  // namespace
}  // namespace keras
