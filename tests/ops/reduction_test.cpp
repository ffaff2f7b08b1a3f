// Reductions and scans: values, dtypes (Keras's rules), empty reductions, negative axes,
// symbolic shapes, error messages and finite-difference gradients.
#include "ops/elementwise_testing.hpp"

namespace keras::testing {
namespace {

class ReductionTest : public BackendTest {};

TEST_P(ReductionTest, SumValuesAxesKeepdims) {
  Tensor x = arr({1, 2, 3, 4, 5, 6}, {2, 3});
  expect_values(ops::sum(x), {21});
  expect_values(ops::sum(x, {.axis = 0}), {5, 7, 9});
  expect_values(ops::sum(x, {.axis = -1}), {6, 15});
  Tensor k = ops::sum(x, {.axis = 1, .keepdims = true});
  EXPECT_EQ(k.shape(), Shape({2, 1}));
  EXPECT_EQ(ops::sum(x, {.axis = {0, 1}, .keepdims = true}).shape(), Shape({1, 1}));
  // An empty axis list reduces nothing.
  EXPECT_EQ(ops::sum(x, {.axis = std::vector<int64_t>{}}).shape(), Shape({2, 3}));
  EXPECT_EQ(ops::sum(x).shape(), Shape({}));
}

TEST_P(ReductionTest, SumDtypesFollowKeras) {
  EXPECT_EQ(ops::sum(arr({1, 0, 1}, DType::Bool)).dtype(), DType::Int32);
  expect_values(ops::sum(arr({1, 0, 1}, DType::Bool)), {2});
  EXPECT_EQ(ops::sum(arr({1, 2}, DType::Int8)).dtype(), DType::Int32);
  EXPECT_EQ(ops::sum(arr({1, 2}, DType::Int16)).dtype(), DType::Int32);
  EXPECT_EQ(ops::sum(arr({1, 2}, DType::UInt8)).dtype(), DType::UInt32);
  EXPECT_EQ(ops::sum(arr({1, 2}, DType::Int64)).dtype(), DType::Int64);
  EXPECT_EQ(ops::sum(arr({1, 2}, DType::Float16)).dtype(), DType::Float16);
  EXPECT_EQ(ops::prod(arr({1, 1}, DType::Bool)).dtype(), DType::Int32);
  EXPECT_EQ(ops::mean(arr({1, 2}, DType::Int32)).dtype(), DType::Float32);
  EXPECT_EQ(ops::var(arr({1, 2}, DType::Int64)).dtype(), DType::Float32);
  EXPECT_EQ(ops::std(arr({1, 2}, DType::Bool)).dtype(), DType::Float32);
  EXPECT_EQ(ops::mean(arr({1, 2}, DType::Float64)).dtype(), DType::Float64);
  EXPECT_EQ(ops::mean(arr({1, 2}, DType::Float16)).dtype(), DType::Float16);
  EXPECT_EQ(ops::median(arr({1, 2}, DType::Int64)).dtype(), DType::Float32);
  EXPECT_EQ(ops::max(arr({1, 2}, DType::Int16)).dtype(), DType::Int16);
  EXPECT_EQ(ops::count_nonzero(arr({1, 0, 2})).dtype(), DType::Int32);
  EXPECT_EQ(ops::argmax(arr({1, 2})).dtype(), DType::Int32);
  EXPECT_EQ(ops::any(arr({1, 2})).dtype(), DType::Bool);
  EXPECT_EQ(ops::cumsum(arr({1, 0}, DType::Bool)).dtype(), DType::Int32);
  EXPECT_EQ(ops::cumsum(arr({1, 2}, DType::Int8)).dtype(), DType::Int8);
  EXPECT_EQ(ops::cumsum(arr({1, 2}), 0, DType::Float64).dtype(), DType::Float64);
}

TEST_P(ReductionTest, EmptyReductions) {
  Tensor e = arr({}, {2, 0});
  expect_values(ops::sum(e, {.axis = -1}), {0, 0});
  Tensor e2 = arr({}, {0, 3});
  expect_values(ops::prod(e2, {.axis = 0}), {1, 1, 1});
  expect_values(ops::mean(e2, {.axis = 0}), {kNaN, kNaN, kNaN});
  EXPECT_EQ(ops::max(e2, {.axis = 1}).shape(), Shape({0}));
  expect_values(ops::any(arr({}, {0, 3}, DType::Bool), {.axis = 0}), {0, 0, 0});
  expect_values(ops::all(arr({}, {0, 3}, DType::Bool), {.axis = 0}), {1, 1, 1});
  expect_error<ValueError>([&] { ops::max(e2, {.axis = 0}); },
                           {"ops::max", "zero-size reduction", "(0, 3)"});
  expect_error<ValueError>([&] { ops::amin(e2); }, {"ops::amin", "no identity"});
  expect_error<ValueError>([&] { ops::argmax(e2, 0); }, {"ops::argmax", "empty sequence"});
  expect_values(ops::median(e2, {.axis = 0}), {kNaN, kNaN, kNaN});
}

TEST_P(ReductionTest, AxisErrors) {
  Tensor x = arr({1, 2, 3, 4}, {2, 2});
  expect_error<ValueError>([&] { ops::sum(x, {.axis = 2}); }, {"ops::sum", "axis 2", "(2, 2)"});
  expect_error<ValueError>([&] { ops::mean(x, {.axis = {0, -2}}); }, {"ops::mean", "repeated"});
  expect_error<ValueError>([&] { ops::argmin(x, -3); }, {"ops::argmin", "-3"});
  expect_error<ValueError>([&] { ops::cumsum(x, 5); }, {"ops::cumsum"});
  expect_error<TypeError>([&] { ops::ptp(arr({1, 0}, DType::Bool)); }, {"ops::ptp", "bool"});
}

TEST_P(ReductionTest, MaxMinMeanVarStd) {
  Tensor x = arr({1, 5, 3, 4, 2, 6}, {2, 3});
  expect_values(ops::max(x, {.axis = 0}), {4, 5, 6});
  expect_values(ops::min(x, {.axis = -1}), {1, 2});
  expect_values(ops::amax(x), {6});
  expect_values(ops::ptp(x, {.axis = 1}), {4, 4});
  expect_values(ops::mean(x, {.axis = {-1, 0}}), {3.5});
  expect_values(ops::var(x, {.axis = -1}), {8.0 / 3, 8.0 / 3});
  expect_values(ops::std(x), {std::sqrt(17.5 / 6)});
  // The two-pass variance keeps its accuracy with a large mean.
  Tensor big = arr({1e4 + 1, 1e4 + 2, 1e4 + 3}, DType::Float32);
  expect_values(ops::var(big), {2.0 / 3}, 1e-4);
  expect_values(ops::count_nonzero(arr({0, 1, 7, 0, 3, 0, 2, 19}, {2, 4}), 0), {1, 1, 2, 1});
  expect_values(ops::count_nonzero(arr({0, kNaN, 2})), {2});
}

TEST_P(ReductionTest, ArgmaxTiesNaNAndNegativeZero) {
  Tensor x = arr({1, 3, 3, 0, 2, 2, 2, 1}, {2, 4});
  expect_values(ops::argmax(x, -1), {1, 0});
  expect_values(ops::argmin(x, 0), {0, 1, 1, 0});
  expect_values(ops::argmax(x), {1});
  EXPECT_EQ(ops::argmax(x, std::nullopt, true).shape(), Shape({1, 1}));
  EXPECT_EQ(ops::argmax(x, 1, true).shape(), Shape({2, 1}));
  expect_values(ops::argmax(arr({1, kNaN, 5})), {1});
  expect_values(ops::argmin(arr({1, kNaN, -5})), {1});
  // Keras treats -0.0 as below +0.0.
  expect_values(ops::argmax(arr({-0.0, 0.0})), {1});
  expect_values(ops::argmin(arr({0.0, -0.0})), {1});
}

TEST_P(ReductionTest, MedianAndAverage) {
  expect_values(ops::median(arr({3, 1, 2, 10}, {2, 2}), {.axis = 1}), {2, 6});
  expect_values(ops::median(arr({5, 1, 4})), {4});
  expect_values(ops::median(arr({1, kNaN, 3})), {kNaN});
  EXPECT_EQ(ops::median(arr({1, 2, 3, 4}, {2, 2}), {.axis = 0, .keepdims = true}).shape(),
            Shape({1, 2}));
  Tensor x = arr({1, 2, 3, 4}, {2, 2});
  expect_values(ops::average(x), {2.5});
  expect_values(ops::average(x, 1, arr({1, 3})), {1.75, 3.75});
  expect_values(ops::average(x, {}, arr({1, 0, 0, 1}, {2, 2})), {2.5});
  expect_error<ValueError>(
      [&] {
        ops::average(x, {}, arr({1, 3}));
      },
      {"ops::average", "axis is None", "(2,)", "(2, 2)"});
}

TEST_P(ReductionTest, Cumulative) {
  Tensor x = arr({1, 2, 3, 4, 5, 6}, {2, 3});
  expect_values(ops::cumsum(x), {1, 3, 6, 10, 15, 21});
  expect_values(ops::cumsum(x, 0), {1, 2, 3, 5, 7, 9});
  expect_values(ops::cumprod(x, -1), {1, 2, 6, 4, 20, 120});
  EXPECT_EQ(ops::cumsum(x).shape(), Shape({6}));
  Tensor ints = arr({1, 2, 3, 4}, {2, 2}, DType::Int32);
  expect_values(ops::cumsum(ints, 0), {1, 2, 4, 6});
  EXPECT_EQ(ops::cumsum(ints, 0).dtype(), DType::Int32);
}

TEST_P(ReductionTest, SymbolicShapes) {
  Tensor s = sym({Shape::kNone, 3, 4});
  EXPECT_EQ(ops::sum(s, {.axis = 1}).shape(), Shape({Shape::kNone, 4}));
  EXPECT_EQ(ops::mean(s, {.axis = -1, .keepdims = true}).shape(), Shape({Shape::kNone, 3, 1}));
  EXPECT_EQ(ops::max(s, {.axis = 0}).shape(), Shape({3, 4}));
  EXPECT_EQ(ops::var(sym({Shape::kNone, 3}, DType::Int32)).dtype(), DType::Float32);
  EXPECT_EQ(ops::argmax(s, 1).shape(), Shape({Shape::kNone, 4}));
  EXPECT_EQ(ops::argmax(s, 1).dtype(), DType::Int32);
  EXPECT_EQ(ops::cumsum(s).shape(), Shape({Shape::kNone}));
  EXPECT_EQ(ops::cumsum(s, 2).shape(), s.shape());
  EXPECT_EQ(ops::median(s, {.axis = {1, 2}}).shape(), Shape({Shape::kNone}));
  EXPECT_EQ(ops::count_nonzero(s, 2).shape(), Shape({Shape::kNone, 3}));
  EXPECT_TRUE(ops::std(s).is_symbolic());
}

TEST_P(ReductionTest, Gradients) {
  Tensor x = test_values({3, 4}, -1, 1, 3);
  auto check = [&](const std::string& what, TensorFn f) { expect_gradients_match(f, {x}, what); };
  check("sum", [](auto& v) { return ops::sum(v[0], {.axis = 1}); });
  check("sum keepdims", [](auto& v) { return ops::sum(v[0], {.axis = {0}, .keepdims = true}); });
  check("mean", [](auto& v) { return ops::mean(v[0], {.axis = -1}); });
  check("var", [](auto& v) { return ops::var(v[0], {.axis = 0}); });
  check("std", [](auto& v) { return ops::std(v[0]); });
  check("max", [](auto& v) { return ops::max(v[0], {.axis = 1}); });
  check("amin", [](auto& v) { return ops::amin(v[0]); });
  check("ptp", [](auto& v) { return ops::ptp(v[0], {.axis = 0}); });
  check("prod", [](auto& v) { return ops::prod(v[0], {.axis = 1}); });
  check("cumsum", [](auto& v) { return ops::cumsum(v[0], 1); });
  check("cumsum flat", [](auto& v) { return ops::cumsum(v[0]); });
  check("cumprod", [](auto& v) { return ops::cumprod(v[0], 0); });
  check("median", [](auto& v) { return ops::median(v[0], {.axis = 1}); });
  check("average",
        [](auto& v) { return ops::average(v[0], 1, ops::cast(ops::arange(1.0, 5.0), float64)); });
  expect_second_gradients_match([](auto& v) { return ops::sum(ops::square(v[0]), {.axis = 0}); },
                                {x}, "sum");
  expect_second_gradients_match([](auto& v) { return ops::mean(ops::exp(v[0]), {.axis = 1}); }, {x},
                                "mean");
  expect_second_gradients_match([](auto& v) { return ops::var(v[0], {.axis = 1}); }, {x}, "var");
}

TEST_P(ReductionTest, GradientSpecialCases) {
  // prod with zeros: one zero gives the product of the others there; two zeros give zeros.
  Tensor z = arr({2, 0, 3, 0, 0, 5}, {2, 3}, DType::Float64);
  expect_gradients_match([](auto& v) { return ops::prod(v[0], {.axis = 1}); }, {z}, "prod zeros");
  // max ties share the gradient equally (JAX's rule).
  Tensor t = arr({1, 3, 3}, DType::Float64);
  GradientTape tape;
  tape.watch(t);
  Tensor g = tape.gradient(ops::max(t), t);
  expect_values(g, {0, 0.5, 0.5});
}

KERAS_INSTANTIATE_BACKEND_TEST(ReductionTest);

}  // namespace
}  // namespace keras::testing
