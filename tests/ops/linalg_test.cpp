// Products: matmul (1-D promotion, batch broadcasting, dtypes, errors), dot, outer, inner, vdot,
// tensordot, einsum; symbolic shapes and first/second-order gradients.
#include "ops/elementwise_testing.hpp"

namespace keras::testing {
namespace {

class LinalgTest : public BackendTest {};

TEST_P(LinalgTest, MatmulShapesAndValues) {
  Tensor a = iota({2, 3}), b = iota({3, 2});
  expect_values(ops::matmul(a, b), {10, 13, 28, 40});
  EXPECT_EQ(ops::matmul(iota({2, 1, 3, 4}), iota({5, 4, 2})).shape(), Shape({2, 5, 3, 2}));
  Tensor vm = ops::matmul(arr({1, 2, 3, 4}), iota({2, 4, 3}));
  EXPECT_EQ(vm.shape(), Shape({2, 3}));
  expect_values(vm, {60, 70, 80, 180, 190, 200});
  EXPECT_EQ(ops::matmul(iota({2, 3, 4}), arr({1, 1, 1, 1})).shape(), Shape({2, 3}));
  expect_values(ops::matmul(arr({1, 2}), arr({3, 4})), {11});
  EXPECT_EQ(ops::matmul(arr({1, 2}), arr({3, 4})).shape(), Shape({}));
  EXPECT_EQ(ops::matmul(iota({4, 3, 0}), iota({0, 2})).shape(), Shape({4, 3, 2}));
  expect_values(ops::matmul(iota({2, 0}), iota({0, 2})), {0, 0, 0, 0});
  // The 2-D right operand fast path agrees with the broadcast path.
  Tensor big = test_values({3, 2, 4}, -1, 1, 2), w = test_values({4, 5}, -1, 1, 3);
  Tensor ref = ops::matmul(big, ops::broadcast_to(w, {3, 4, 5}));
  expect_values(ops::matmul(big, w), ref.to_vector<double>(), 1e-12);
}

TEST_P(LinalgTest, MatmulDtypesAndErrors) {
  Tensor i8 = iota({2, 2}, DType::Int8);
  EXPECT_EQ(ops::matmul(i8, i8).dtype(), DType::Int32);
  EXPECT_EQ(ops::matmul(iota({2, 2}, DType::Int32), iota({2, 2}, DType::Int32)).dtype(),
            DType::Int32);
  expect_values(ops::matmul(iota({2, 2}, DType::Int32), iota({2, 2}, DType::Int32)), {2, 3, 6, 11});
  EXPECT_EQ(ops::matmul(iota({2, 2}, DType::Int32), iota({2, 2})).dtype(), DType::Float32);
  EXPECT_EQ(ops::matmul(iota({2, 2}, DType::Float64), iota({2, 2})).dtype(), DType::Float64);
  Tensor bm =
      ops::matmul(arr({1, 0, 0, 0}, {2, 2}, DType::Bool), arr({1, 1, 0, 0}, {2, 2}, DType::Bool));
  EXPECT_EQ(bm.dtype(), DType::Bool);
  expect_values(bm, {1, 1, 0, 0});
  expect_error<ValueError>(
      [&] {
        ops::matmul(iota({4, 3}), iota({5, 2}));
      },
      {"ops::matmul: shapes (4, 3) and (5, 2) cannot be multiplied (3 != 5)"});
  expect_error<ValueError>(
      [&] {
        ops::matmul(iota({2, 2, 3}), iota({3, 3, 2}));
      },
      {"ops::matmul", "(2,)", "(3,)"});
  expect_error<ValueError>([&] { ops::matmul(arr({1}, Shape{}), iota({2})); }, {"ops::matmul"});
  EXPECT_EQ(ops::matmul(sym({N, 3, 4}), sym({4, 5})).shape(), Shape({N, 3, 5}));
  EXPECT_EQ(ops::matmul(sym({N, 4}), sym({4})).shape(), Shape({N}));
  expect_error<ValueError>([&] { ops::matmul(sym({N, 3}), sym({4, 5})); }, {"3 != 4"});
}

TEST_P(LinalgTest, DotOuterInnerVdotTensordot) {
  Tensor a = iota({2, 3}), b = iota({3, 2});
  expect_values(ops::dot(a, b), {10, 13, 28, 40});
  expect_values(ops::dot(arr({1, 2}), arr({3, 4})), {11});
  expect_values(ops::dot(a, 2.0), {0, 2, 4, 6, 8, 10});
  EXPECT_EQ(ops::dot(iota({2, 3, 4}), iota({5, 4, 6})).shape(), Shape({2, 3, 5, 6}));
  expect_error<ValueError>([&] { ops::dot(a, a); }, {"ops::dot", "not aligned"});
  Tensor o = ops::outer(arr({1, 2}), arr({1, 2, 3}));
  EXPECT_EQ(o.shape(), Shape({2, 3}));
  expect_values(o, {1, 2, 3, 2, 4, 6});
  expect_values(ops::inner(a, a), {5, 14, 14, 50});
  expect_error<ValueError>([&] { ops::inner(a, b); }, {"ops::inner"});
  expect_values(ops::vdot(a, iota({3, 2})), {55});
  expect_error<ValueError>([&] { ops::vdot(a, iota({4})); }, {"ops::vdot"});
  Tensor t = ops::tensordot(iota({3, 4, 5}), iota({4, 3, 2}),
                            std::pair{std::vector<int64_t>{1, 0}, std::vector<int64_t>{0, 1}});
  EXPECT_EQ(t.shape(), Shape({5, 2}));
  Tensor ref = ops::einsum("ijk,jil->kl", {iota({3, 4, 5}), iota({4, 3, 2})});
  expect_values(t, ref.to_vector<double>());
  EXPECT_EQ(ops::tensordot(iota({2, 3}), iota({3, 4}), int64_t{1}).shape(), Shape({2, 4}));
  EXPECT_EQ(ops::tensordot(iota({2}), iota({3}), int64_t{0}).shape(), Shape({2, 3}));
  expect_error<ValueError>(
      [&] {
        ops::tensordot(iota({2, 3}), iota({2, 3}), int64_t{1});
      },
      {"ops::tensordot", "shape mismatch"});
  EXPECT_EQ(ops::tensordot(sym({N, 3}), sym({3, 4}), int64_t{1}).shape(), Shape({N, 4}));
}

TEST_P(LinalgTest, Einsum) {
  Tensor x = iota({2, 3, 4}), y = iota({2, 4, 5});
  Tensor bmm = ops::einsum("bij,bjk->bik", {x, y});
  expect_values(bmm, ops::matmul(x, y).to_vector<double>());
  expect_values(ops::einsum("ij->j", {iota({4, 3})}), {18, 22, 26});
  expect_values(ops::einsum("ii", {iota({3, 3})}), {12});
  expect_values(ops::einsum("ii->i", {iota({3, 3})}), {0, 4, 8});
  expect_values(ops::einsum("ij", {iota({2, 2})}), {0, 1, 2, 3});
  expect_values(ops::einsum("ji", {iota({2, 2})}), {0, 2, 1, 3});  // implicit output sorts
  expect_values(ops::einsum("i,i", {arr({1, 2}), arr({3, 4})}), {11});
  expect_values(ops::einsum("i,j->ij", {arr({1, 2}), arr({1, 2, 3})}), {1, 2, 3, 2, 4, 6});
  EXPECT_EQ(ops::einsum("...ij,jk->...ik", {iota({2, 3, 4}), iota({4, 5})}).shape(),
            Shape({2, 3, 5}));
  EXPECT_EQ(ops::einsum("...ij,...jk", {iota({2, 1, 3, 4}), iota({5, 4, 2})}).shape(),
            Shape({2, 5, 3, 2}));
  Tensor chain = ops::einsum("ij,jk,kl->il", {iota({2, 3}), iota({3, 4}), iota({4, 2})});
  expect_values(
      chain,
      ops::matmul(ops::matmul(iota({2, 3}), iota({3, 4})), iota({4, 2})).to_vector<double>());
  expect_values(ops::einsum("ij,ij->", {iota({2, 2}), iota({2, 2})}), {14});
  EXPECT_EQ(
      ops::einsum("ij,jk->ik", {iota({2, 2}, DType::Int8), iota({2, 2}, DType::Int8)}).dtype(),
      DType::Int32);
  expect_error<ValueError>(
      [&] {
        ops::einsum("ij,jk->ik", {iota({2, 3})});
      },
      {"ops::einsum", "2 operands", "1 were given"});
  expect_error<ValueError>(
      [&] {
        ops::einsum("ij,jk->ik", {iota({2, 3}), iota({4, 2})});
      },
      {"ops::einsum", "'j'", "3", "4"});
  expect_error<ValueError>([&] { ops::einsum("ij->iz", {iota({2, 3})}); }, {"ops::einsum", "'z'"});
  expect_error<ValueError>([&] { ops::einsum("ijk->i", {iota({2, 3})}); }, {"ops::einsum", "rank"});
  EXPECT_EQ(ops::einsum("bij,bjk->bik", {sym({N, 3, 4}), sym({N, 4, 5})}).shape(),
            Shape({N, 3, 5}));
}

TEST_P(LinalgTest, Gradients) {
  Tensor a = test_values({2, 3, 4}, -1, 1, 21), b = test_values({4, 2}, -1, 1, 22);
  Tensor v = test_values({4}, -1, 1, 23), c = test_values({3, 4, 2}, -1, 1, 24);
  auto check = [&](const std::string& what, TensorFn f, std::vector<Tensor> in) {
    expect_gradients_match(f, in, what);
  };
  check("matmul 2-D rhs", [](auto& x) { return ops::matmul(x[0], x[1]); }, {a, b});
  check("matmul broadcast", [](auto& x) { return ops::matmul(ops::expand_dims(x[0], 1), x[1]); },
        {a, c});
  check("matmul vector", [](auto& x) { return ops::matmul(x[0], x[1]); }, {a, v});
  check("matmul vector lhs", [](auto& x) { return ops::matmul(x[0], x[1]); }, {v, b});
  check("dot", [](auto& x) { return ops::dot(x[0], x[1]); }, {a, c});
  check("outer", [](auto& x) { return ops::outer(x[0], x[1]); }, {v, b});
  check("inner", [](auto& x) { return ops::inner(x[0], x[1]); }, {a, v});
  check("vdot", [](auto& x) { return ops::vdot(x[0], x[1]); }, {b, ops::transpose(b)});
  check("tensordot",
        [](auto& x) {
          return ops::tensordot(x[0], x[1],
                                std::pair{std::vector<int64_t>{1, 2}, std::vector<int64_t>{0, 1}});
        },
        {a, c});
  check("einsum", [](auto& x) { return ops::einsum("bij,jk->bik", {x[0], x[1]}); }, {a, b});
  check("einsum diag",
        [](auto& x) {
          return ops::einsum("ii,i->i", {x[0], x[1]});
        },
        {test_values({4, 4}, -1, 1, 25), v});
  check("einsum ellipsis", [](auto& x) { return ops::einsum("...j,jk", {x[0], x[1]}); }, {a, b});
  expect_second_gradients_match([](auto& x) { return ops::matmul(x[0], x[1]); }, {a, b}, "matmul");
  expect_second_gradients_match(
      [](auto& x) { return ops::matmul(ops::expand_dims(ops::tanh(x[0]), 1), x[1]); }, {a, c},
      "matmul broadcast");
}

KERAS_INSTANTIATE_BACKEND_TEST(LinalgTest);

}  // namespace
}  // namespace keras::testing
