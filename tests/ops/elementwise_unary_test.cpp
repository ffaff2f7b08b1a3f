// Unary elementwise ops on every backend: values, Keras dtypes, symbolic shapes, errors and
// finite-difference gradients.
#include <numbers>

#include "ops/elementwise_testing.hpp"

namespace keras {
namespace {

using namespace keras::testing;

class UnaryOpsTest : public testing::BackendTest {};

constexpr double kPi = std::numbers::pi;

// Ops with extra (defaulted) arguments, as plain unary functions.
Tensor nan_to_num_default(const Tensor& x) { return ops::nan_to_num(x); }
Tensor round_default(const Tensor& x) { return ops::round(x); }
Tensor isnan_default(const Tensor& x) { return ops::isnan(x); }

TEST_P(UnaryOpsTest, SignAndMagnitude) {
  Tensor x = arr({-2.5, -0.0, 0, 3, kNaN});
  expect_values(ops::abs(x), {2.5, 0, 0, 3, kNaN}, 0, "abs");
  expect_values(ops::absolute(x), {2.5, 0, 0, 3, kNaN}, 0, "absolute");
  expect_values(ops::negative(x), {2.5, 0, 0, -3, kNaN}, 0, "negative");
  expect_values(ops::positive(x), {-2.5, 0, 0, 3, kNaN}, 0, "positive");
  expect_values(ops::sign(x), {-1, 0, 0, 1, kNaN}, 0, "sign");
  expect_values(ops::square(x), {6.25, 0, 0, 9, kNaN}, 0, "square");
  Tensor i = arr({-3, 0, 4}, int32);
  expect_values(ops::abs(i), {3, 0, 4}, 0, "abs int");
  expect_values(ops::sign(i), {-1, 0, 1}, 0, "sign int");
  expect_values(ops::negative(i), {3, 0, -4}, 0, "negative int");
  expect_values(ops::fabs(i), {3, 0, 4}, 0, "fabs int");
  expect_values(ops::square(arr({1, 0}, bool_)), {1, 0}, 0, "square bool");
}

TEST_P(UnaryOpsTest, RootsAndReciprocal) {
  expect_values(ops::sqrt(arr({0, 1, 4, 2})), {0, 1, 2, std::sqrt(2.0)}, 1e-7, "sqrt");
  expect_values(ops::sqrt(arr({-1})), {kNaN}, 0, "sqrt(-1)");
  expect_values(ops::cbrt(arr({27, -8, 0, 2, 1e-3}, float64)), {3, -2, 0, std::cbrt(2.0), 0.1},
                1e-15, "cbrt");
  expect_values(ops::cbrt(arr({kInf, -kInf, kNaN}, float64)), {kInf, -kInf, kNaN}, 0, "cbrt inf");
  expect_values(ops::reciprocal(arr({2, -4, 0})), {0.5, -0.25, kInf}, 0, "reciprocal");
  expect_values(ops::reciprocal(arr({2, 4}, int32)), {0.5, 0.25}, 0, "reciprocal int");
}

TEST_P(UnaryOpsTest, ExponentialsAndLogarithms) {
  Tensor x = arr({-1, 0, 0.5, 2}, float64);
  expect_values(ops::exp(x), {std::exp(-1.0), 1, std::exp(0.5), std::exp(2.0)}, 1e-15, "exp");
  expect_values(ops::exp2(x), {0.5, 1, std::sqrt(2.0), 4}, 1e-15, "exp2");
  expect_values(ops::expm1(arr({1e-10, 1}, float64)), {1e-10, std::expm1(1.0)}, 1e-15, "expm1");
  Tensor p = arr({0, 1, 8, 100}, float64);
  expect_values(ops::log(p), {-kInf, 0, std::log(8.0), std::log(100.0)}, 1e-15, "log");
  expect_values(ops::log2(p), {-kInf, 0, 3, std::log2(100.0)}, 1e-15, "log2");
  expect_values(ops::log10(p), {-kInf, 0, std::log10(8.0), 2}, 1e-15, "log10");
  expect_values(ops::log1p(arr({1e-10, -1}, float64)), {1e-10, -kInf}, 1e-15, "log1p");
  expect_values(ops::log(arr({-1})), {kNaN}, 0, "log(-1)");
}

TEST_P(UnaryOpsTest, Trigonometry) {
  Tensor x = arr({-0.5, 0, 0.25, 0.9}, float64);
  std::vector<double> v = {-0.5, 0, 0.25, 0.9};
  auto map = [&](double (*f)(double)) {
    std::vector<double> out;
    for (double e : v) out.push_back(f(e));
    return out;
  };
  expect_values(ops::sin(x), map(std::sin), 1e-15, "sin");
  expect_values(ops::cos(x), map(std::cos), 1e-15, "cos");
  expect_values(ops::tan(x), map(std::tan), 1e-15, "tan");
  expect_values(ops::arcsin(x), map(std::asin), 1e-15, "arcsin");
  expect_values(ops::arccos(x), map(std::acos), 1e-15, "arccos");
  expect_values(ops::arctan(x), map(std::atan), 1e-15, "arctan");
  expect_values(ops::sinh(x), map(std::sinh), 1e-15, "sinh");
  expect_values(ops::cosh(x), map(std::cosh), 1e-15, "cosh");
  expect_values(ops::tanh(x), map(std::tanh), 1e-15, "tanh");
  expect_values(ops::arcsinh(x), map(std::asinh), 1e-15, "arcsinh");
  expect_values(ops::arctanh(x), map(std::atanh), 1e-15, "arctanh");
  expect_values(ops::arccosh(arr({1, 2, 10}, float64)), {0, std::acosh(2.0), std::acosh(10.0)},
                1e-15, "arccosh");
  expect_values(ops::arcsin(arr({2})), {kNaN}, 0, "arcsin out of domain");
  expect_values(ops::deg2rad(arr({180, -90}, float64)), {kPi, -kPi / 2}, 1e-15, "deg2rad");
  expect_values(ops::rad2deg(arr({kPi, 1}, float64)), {180, 180 / kPi}, 1e-15, "rad2deg");
  expect_values(ops::sinc(arr({0, 0.5, 1, -1.5}, float64)),
                {1, 2 / kPi, 0, std::sin(-1.5 * kPi) / (-1.5 * kPi)}, 1e-15, "sinc");
}

TEST_P(UnaryOpsTest, Rounding) {
  Tensor x = arr({-1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -2.7});
  expect_values(ops::floor(x), {-2, -1, 0, 1, 2, 2, -3}, 0, "floor");
  expect_values(ops::ceil(x), {-1, -0.0, 1, 2, 3, 3, -2}, 0, "ceil");
  expect_values(ops::trunc(x), {-1, -0.0, 0, 1, 2, 2, -2}, 0, "trunc");
  // Round half to even, as NumPy.
  expect_values(ops::round(x), {-2, -0.0, 0, 2, 2, 3, -3}, 0, "round");
  // NumPy's algorithm: rint(x * 100) / 100, and -2.675 * 100 is exactly -267.5 in double.
  expect_values(ops::round(arr({1.2345, -2.675, 0.125}, float64), 2), {1.23, -2.68, 0.12}, 1e-12,
                "round 2 decimals");
  expect_values(ops::round(arr({1250, 1350, -149}, float64), -2), {1200, 1400, -100}, 0,
                "round -2 decimals");
  Tensor i = arr({15, 25, -15, 14}, int32);
  Tensor r = ops::round(i, -1);
  EXPECT_EQ(r.dtype(), int32);
  expect_values(r, {20, 20, -20, 10}, 0, "round int -1");
  expect_values(ops::round(i, 2), {15, 25, -15, 14}, 0, "round int 2");
}

TEST_P(UnaryOpsTest, Predicates) {
  Tensor x = arr({1, kNaN, kInf, -kInf, -0.0});
  auto expect_bool = [](const Tensor& t, const std::vector<double>& want, const char* what) {
    EXPECT_EQ(t.dtype(), bool_) << what;
    expect_values(t, want, 0, what);
  };
  expect_bool(ops::isnan(x), {0, 1, 0, 0, 0}, "isnan");
  expect_bool(ops::isinf(x), {0, 0, 1, 1, 0}, "isinf");
  expect_bool(ops::isfinite(x), {1, 0, 0, 0, 1}, "isfinite");
  expect_bool(ops::signbit(x), {0, 0, 0, 1, 1}, "signbit");
  expect_bool(ops::logical_not(arr({0, 2, -1})), {1, 0, 0}, "logical_not");
  Tensor i = arr({-1, 0, 3}, int32);
  expect_bool(ops::isnan(i), {0, 0, 0}, "isnan int");
  expect_bool(ops::isinf(i), {0, 0, 0}, "isinf int");
  expect_bool(ops::isfinite(i), {1, 1, 1}, "isfinite int");
  expect_bool(ops::signbit(i), {1, 0, 0}, "signbit int");
  expect_bool(ops::signbit(arr({0, 200}, uint8)), {0, 0}, "signbit uint8");
}

TEST_P(UnaryOpsTest, NanToNum) {
  Tensor x = arr({kNaN, kInf, -kInf, 1.5});
  expect_values(ops::nan_to_num(x), {0, 3.4028234663852886e38, -3.4028234663852886e38, 1.5}, 0,
                "nan_to_num float32");
  expect_values(ops::nan_to_num(x, {.nan = 7, .posinf = 100, .neginf = -100}), {7, 100, -100, 1.5},
                0, "nan_to_num options");
  expect_values(ops::nan_to_num(arr({kInf}, float16)), {65504}, 0, "nan_to_num float16");
  Tensor i = arr({1, 2}, int32);
  EXPECT_EQ(ops::nan_to_num(i).dtype(), int32);
}

// Keras's dtype rules (keras/src/ops/numpy.py compute_output_spec of each op).
TEST_P(UnaryOpsTest, ResultDTypes) {
  struct Case {
    const char* name;
    Tensor (*fn)(const Tensor&);
    DType in, out;
  };
  const Case cases[] = {
      {"abs", ops::abs, int32, int32},
      {"abs", ops::abs, bool_, bool_},
      {"abs", ops::abs, uint8, uint8},
      {"abs", ops::abs, float16, float16},
      {"fabs", ops::fabs, int32, float32},
      {"fabs", ops::fabs, bool_, float32},
      {"negative", ops::negative, int8, int8},
      {"sign", ops::sign, int16, int16},
      {"sign", ops::sign, bool_, bool_},
      {"square", ops::square, bool_, int32},
      {"square", ops::square, uint16, uint16},
      {"sqrt", ops::sqrt, int32, float32},
      {"sqrt", ops::sqrt, int64, float32},
      {"sqrt", ops::sqrt, bool_, float32},
      {"sqrt", ops::sqrt, float16, float16},
      {"sqrt", ops::sqrt, bfloat16, bfloat16},
      {"sqrt", ops::sqrt, float64, float64},
      {"cbrt", ops::cbrt, int32, float32},
      {"cbrt", ops::cbrt, int64, float64},
      {"cbrt", ops::cbrt, float16, float16},
      {"reciprocal", ops::reciprocal, int32, float32},
      {"exp", ops::exp, bool_, float32},
      {"exp", ops::exp, uint8, float32},
      {"log", ops::log, int64, float32},
      {"tanh", ops::tanh, int8, float32},
      {"floor", ops::floor, int32, float32},
      {"ceil", ops::ceil, bool_, float32},
      {"floor", ops::floor, float64, float64},
      {"trunc", ops::trunc, int32, int32},
      {"trunc", ops::trunc, bool_, bool_},
      {"isnan", ops::isnan, float32, bool_},
      {"isfinite", ops::isfinite, int32, bool_},
      {"logical_not", ops::logical_not, int32, bool_},
      {"deg2rad", ops::deg2rad, int32, float32},
      {"deg2rad", ops::deg2rad, int64, float64},
      {"deg2rad", ops::deg2rad, float16, float16},
      {"rad2deg", ops::rad2deg, uint8, float32},
      {"signbit", ops::signbit, float32, bool_},
      {"sinc", ops::sinc, int64, float32},
      {"nan_to_num", nan_to_num_default, float16, float16},
  };
  for (const Case& c : cases) {
    Tensor x = arr({1, 0}, c.in);
    EXPECT_EQ(c.fn(x).dtype(), c.out) << c.name << "(" << dtype_name(c.in) << ")";
    Tensor s = Tensor::symbolic({Shape::kNone, 2}, c.in);
    Tensor y = c.fn(s);
    EXPECT_TRUE(y.is_symbolic()) << c.name;
    EXPECT_EQ(y.shape(), Shape({Shape::kNone, 2})) << c.name;
    EXPECT_EQ(y.dtype(), c.out) << c.name << " symbolic (" << dtype_name(c.in) << ")";
  }
  EXPECT_EQ(ops::round(arr({1}, int16), -1).dtype(), int16);
  EXPECT_EQ(ops::round(Tensor::symbolic({3}, float16), 2).dtype(), float16);
}

TEST_P(UnaryOpsTest, FloatOpsFollowFloatx) {
  DType saved = config::floatx();
  config::set_floatx(float64);
  EXPECT_EQ(ops::sqrt(arr({4}, int32)).dtype(), float64);
  EXPECT_EQ(ops::exp(arr({1}, bool_)).dtype(), float64);
  EXPECT_EQ(ops::sqrt(arr({4}, float32)).dtype(), float32);
  config::set_floatx(saved);
}

TEST_P(UnaryOpsTest, ZeroSizeAndScalars) {
  Tensor e = ops::zeros({0, 3});
  EXPECT_EQ(ops::exp(e).shape(), Shape({0, 3}));
  EXPECT_EQ(ops::round(e, 2).shape(), Shape({0, 3}));
  EXPECT_EQ(ops::cbrt(e).shape(), Shape({0, 3}));
  EXPECT_EQ(ops::nan_to_num(e).shape(), Shape({0, 3}));
  Tensor s = ops::sqrt(Tensor(16.0));
  EXPECT_EQ(s.ndim(), 0);
  EXPECT_FLOAT_EQ(s.item<float>(), 4.0f);
}

TEST_P(UnaryOpsTest, Errors) {
  Tensor undefined;
  testing::expect_error<ValueError>([&] { ops::sqrt(undefined); },
                                    {"ops::sqrt", "`x`", "undefined"});
  testing::expect_error<ValueError>([&] { ops::round(undefined); }, {"ops::round", "`x`"});
  testing::expect_error<TypeError>(
      [&] {
        ops::negative(arr({1, 0}, bool_));
      },
      {"ops::negative", "bool", "logical_not"});
  testing::expect_error<TypeError>([&] { ops::positive(arr({1}, bool_)); },
                                   {"ops::positive", "bool"});
  testing::expect_error<TypeError>([&] { ops::bitwise_not(arr({1.5})); },
                                   {"ops::bitwise_not", "float32"});
}

// ---- gradients ----

struct GradCase {
  const char* name;
  Tensor (*fn)(const Tensor&);
  double lo, hi;
};

TEST_P(UnaryOpsTest, GradientsMatchFiniteDifferences) {
  const GradCase cases[] = {
      {"abs", ops::abs, 0.1, 1},
      {"abs", ops::abs, -1, -0.1},
      {"fabs", ops::fabs, -1, -0.1},
      {"negative", ops::negative, -1, 1},
      {"positive", ops::positive, -1, 1},
      {"square", ops::square, -2, 2},
      {"sqrt", ops::sqrt, 0.5, 2},
      {"cbrt", ops::cbrt, 0.2, 2},
      {"cbrt", ops::cbrt, -2, -0.2},
      {"reciprocal", ops::reciprocal, 0.5, 2},
      {"exp", ops::exp, -1, 1},
      {"exp2", ops::exp2, -1, 1},
      {"expm1", ops::expm1, -1, 1},
      {"log", ops::log, 0.5, 2},
      {"log1p", ops::log1p, -0.5, 2},
      {"log2", ops::log2, 0.5, 2},
      {"log10", ops::log10, 0.5, 2},
      {"sin", ops::sin, -2, 2},
      {"cos", ops::cos, -2, 2},
      {"tan", ops::tan, -1, 1},
      {"arcsin", ops::arcsin, -0.9, 0.9},
      {"arccos", ops::arccos, -0.9, 0.9},
      {"arctan", ops::arctan, -2, 2},
      {"sinh", ops::sinh, -2, 2},
      {"cosh", ops::cosh, -2, 2},
      {"tanh", ops::tanh, -2, 2},
      {"arcsinh", ops::arcsinh, -2, 2},
      {"arccosh", ops::arccosh, 1.5, 3},
      {"arctanh", ops::arctanh, -0.9, 0.9},
      {"deg2rad", ops::deg2rad, -90, 90},
      {"rad2deg", ops::rad2deg, -2, 2},
      {"sinc", ops::sinc, 0.1, 2},
      {"nan_to_num", nan_to_num_default, -2, 2},
  };
  for (const GradCase& c : cases) {
    Tensor x = testing::test_values({2, 3}, c.lo, c.hi, 3);
    auto fn = c.fn;
    testing::expect_gradients_match([fn](const std::vector<Tensor>& xs) { return fn(xs[0]); }, {x},
                                    c.name);
  }
}

TEST_P(UnaryOpsTest, SecondDerivatives) {
  const GradCase cases[] = {{"tanh", ops::tanh, -2, 2}, {"sin", ops::sin, -2, 2},
                            {"log", ops::log, 0.5, 2},  {"sqrt", ops::sqrt, 0.5, 2},
                            {"exp", ops::exp, -1, 1},   {"arctan", ops::arctan, -2, 2}};
  for (const GradCase& c : cases) {
    Tensor x = testing::test_values({2, 2}, c.lo, c.hi, 5);
    auto fn = c.fn;
    testing::expect_second_gradients_match(
        [fn](const std::vector<Tensor>& xs) { return fn(xs[0]); }, {x}, c.name);
  }
}

TEST_P(UnaryOpsTest, PiecewiseConstantOpsHaveZeroGradient) {
  Tensor x = arr({-1.5, 0.3, 2.5}, float64);
  Tensor (*fns[])(const Tensor&) = {ops::floor, ops::ceil,     ops::trunc,
                                    ops::sign,  round_default, isnan_default};
  for (auto fn : fns) {
    GradientTape tape;
    tape.watch(x);
    Tensor y = ops::multiply(ops::cast(fn(x), float64), 3.0);
    Tensor g = tape.gradient(ops::add(y, x), x);  // + x: the only path with a gradient
    expect_values(g, {1, 1, 1}, 0, "zero gradient through a piecewise-constant op");
  }
  GradientTape tape;
  tape.watch(x);
  Tensor g = tape.gradient(ops::round(x, 1), x);
  expect_values(g, {0, 0, 0}, 0, "round(decimals) gradient");
}

TEST_P(UnaryOpsTest, AbsSubgradientAtZeroIsZero) {
  Tensor x = arr({0, -2, 3}, float64);
  GradientTape tape;
  tape.watch(x);
  Tensor g = tape.gradient(ops::abs(x), x);
  expect_values(g, {0, -1, 1}, 0, "abs'");
}

KERAS_INSTANTIATE_BACKEND_TEST(UnaryOpsTest);

}  // namespace
}  // namespace keras
