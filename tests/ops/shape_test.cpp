// Shape ops: values, 0-size dims, negative axes, dtype promotion, symbolic shapes, error messages
// and finite-difference gradients.
#include "ops/elementwise_testing.hpp"

namespace keras::testing {
namespace {

class ShapeTest : public BackendTest {};

TEST_P(ShapeTest, Reshape) {
  Tensor x = iota({2, 6});
  EXPECT_EQ(ops::reshape(x, {-1, 6}).shape(), Shape({2, 6}));
  EXPECT_EQ(ops::reshape(x, {3, -1}).shape(), Shape({3, 4}));
  expect_values(ops::reshape(x, {4, 3}), {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  EXPECT_EQ(ops::reshape(iota({0, 3}), {3, 0}).shape(), Shape({3, 0}));
  EXPECT_EQ(ops::ravel(x).shape(), Shape({12}));
  EXPECT_EQ(ops::ravel(arr({5}, Shape{})).shape(), Shape({1}));
  expect_error<ValueError>(
      [&] {
        ops::reshape(x, {5, -1});
      },
      {"ops::reshape", "(2, 6)", "12 elements", "(5, -1)"});
  expect_error<ValueError>([&] { ops::reshape(x, {-1, -1}); }, {"ops::reshape", "one unknown"});
  expect_error<ValueError>([&] { ops::reshape(iota({0, 3}), {0, -1}); }, {"ops::reshape"});
  EXPECT_EQ(ops::reshape(sym({N, 4}), {-1, 2, 2}).shape(), Shape({N, 2, 2}));
  EXPECT_EQ(ops::reshape(sym({3, 4}), {-1, 6}).shape(), Shape({2, 6}));
}

TEST_P(ShapeTest, TransposeFamily) {
  Tensor x = iota({2, 3, 4});
  Tensor t = ops::transpose(x, {2, 0, 1});
  EXPECT_EQ(t.shape(), Shape({4, 2, 3}));
  expect_values(ops::reshape(t, {-1}), {0, 4, 8,  12, 16, 20, 1, 5, 9,  13, 17, 21,
                                        2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23});
  EXPECT_EQ(ops::transpose(x).shape(), Shape({4, 3, 2}));
  EXPECT_EQ(ops::swapaxes(x, 0, -1).shape(), Shape({4, 3, 2}));
  EXPECT_EQ(ops::moveaxis(x, {0}, {-1}).shape(), Shape({3, 4, 2}));
  EXPECT_EQ(ops::moveaxis(x, {0, 1}, {-1, -2}).shape(), Shape({4, 3, 2}));
  expect_error<ValueError>([&] { ops::transpose(x, {0, 1}); }, {"ops::transpose", "rank 3"});
  expect_error<ValueError>(
      [&] {
        ops::transpose(x, {0, 0, 1});
      },
      {"ops::transpose", "permutation"});
  EXPECT_EQ(ops::transpose(sym({N, 3}), {1, 0}).shape(), Shape({3, N}));
}

TEST_P(ShapeTest, ExpandSqueezeBroadcast) {
  Tensor x = iota({2, 3});
  EXPECT_EQ(ops::expand_dims(x, -2).shape(), Shape({2, 1, 3}));
  EXPECT_EQ(ops::expand_dims(x, {0, -1}).shape(), Shape({1, 2, 3, 1}));
  EXPECT_EQ(ops::squeeze(iota({1, 3, 1})).shape(), Shape({3}));
  EXPECT_EQ(ops::squeeze(iota({1, 3, 1}), -1).shape(), Shape({1, 3}));
  expect_error<ValueError>([&] { ops::squeeze(x, 1); }, {"ops::squeeze", "axis 1", "3"});
  expect_error<ValueError>([&] { ops::expand_dims(x, 4); }, {"ops::expand_dims"});
  Tensor b = ops::broadcast_to(arr({1, 2, 3}), {2, 3});
  expect_values(b, {1, 2, 3, 1, 2, 3});
  expect_error<ValueError>(
      [&] {
        ops::broadcast_to(x, {4, 4});
      },
      {"ops::broadcast_to", "(2, 3)", "(4, 4)"});
  EXPECT_EQ(ops::squeeze(sym({N, 1, 3})).shape(), Shape({N, 3}));
  EXPECT_EQ(ops::expand_dims(sym({N, 3}), 1).shape(), Shape({N, 1, 3}));
  EXPECT_EQ(ops::broadcast_to(sym({1, 3}), {N, 3}).shape(), Shape({N, 3}));
}

TEST_P(ShapeTest, ConcatenateStack) {
  Tensor a = iota({2, 0, 3}), b = iota({2, 2, 3});
  EXPECT_EQ(ops::concatenate({a, b}, -2).shape(), Shape({2, 2, 3}));
  Tensor c = ops::concatenate({arr({1, 2}, DType::Int32), arr({3.5}, DType::Float32)});
  EXPECT_EQ(c.dtype(), DType::Float32);
  expect_values(c, {1, 2, 3.5});
  expect_error<ValueError>(
      [&] {
        ops::concatenate({iota({2, 3}), iota({2, 3}), iota({3, 4})}, 1);
      },
      {"ops::concatenate", "axis 1", "input 2", "(3, 4)"});
  expect_error<ValueError>(
      [&] {
        ops::concatenate({iota({2}), iota({2, 1})});
      },
      {"ops::concatenate", "same rank", "input 1"});
  expect_error<ValueError>([&] { ops::concatenate({}); }, {"ops::concatenate"});
  Tensor s = ops::stack({arr({1, 2}), arr({3, 4})}, -1);
  EXPECT_EQ(s.shape(), Shape({2, 2}));
  expect_values(s, {1, 3, 2, 4});
  expect_error<ValueError>(
      [&] {
        ops::stack({arr({1, 2}), arr({3})});
      },
      {"ops::stack", "input 1", "(1,)"});
  expect_values(ops::hstack({arr({1, 2}), arr({3})}), {1, 2, 3});
  EXPECT_EQ(ops::hstack({iota({2, 1}), iota({2, 2})}).shape(), Shape({2, 3}));
  EXPECT_EQ(ops::vstack({arr({1, 2}), arr({3, 4})}).shape(), Shape({2, 2}));
  expect_values(ops::append(iota({2, 2}), arr({9})), {0, 1, 2, 3, 9});
  EXPECT_EQ(ops::append(iota({2, 2}), iota({1, 2}), 0).shape(), Shape({3, 2}));
  EXPECT_EQ(ops::concatenate({sym({N, 3}), sym({2, 3})}).shape(), Shape({N, 3}));
  EXPECT_EQ(ops::concatenate({sym({N, 3}), sym({N, 2})}, 1).shape(), Shape({N, 5}));
  EXPECT_EQ(ops::stack({sym({N, 3}), sym({N, 3})}, 1).shape(), Shape({N, 2, 3}));
}

TEST_P(ShapeTest, Split) {
  Tensor x = iota({2, 4});
  auto parts = ops::split(x, std::vector<int64_t>{1, 3}, 1);
  ASSERT_EQ(parts.size(), 3u);
  expect_values(parts[0], {0, 4});
  expect_values(parts[1], {1, 2, 5, 6});
  expect_values(parts[2], {3, 7});
  EXPECT_EQ(ops::split(x, int64_t{2}, 1)[1].shape(), Shape({2, 2}));
  EXPECT_EQ(ops::split(x, std::vector<int64_t>{3, 1}, 1)[1].shape(), Shape({2, 0}));
  expect_error<ValueError>([&] { ops::split(x, int64_t{3}, 1); },
                           {"ops::split", "equal division", "size 4", "3 sections"});
  auto uneven = ops::array_split(iota({5}), 3);
  ASSERT_EQ(uneven.size(), 3u);
  EXPECT_EQ(uneven[0].shape(), Shape({2}));
  EXPECT_EQ(uneven[2].shape(), Shape({1}));
  auto rows = ops::unstack(x, 0);
  ASSERT_EQ(rows.size(), 2u);
  expect_values(rows[1], {4, 5, 6, 7});
  EXPECT_EQ(ops::split(sym({N, 4}), int64_t{2}, 1)[0].shape(), Shape({N, 2}));
}

TEST_P(ShapeTest, TileRepeatFlipRoll) {
  Tensor x = iota({2, 2});
  EXPECT_EQ(ops::tile(iota({2, 1, 3}), {2, 1, 3}).shape(), Shape({4, 1, 9}));
  expect_values(ops::tile(arr({1, 2}), {2}), {1, 2, 1, 2});
  EXPECT_EQ(ops::tile(arr({1, 2}), {2, 1}).shape(), Shape({2, 2}));
  expect_values(ops::repeat(x, 2, 1), {0, 0, 1, 1, 2, 2, 3, 3});
  expect_values(ops::repeat(x, {1, 2}, 0), {0, 1, 2, 3, 2, 3});
  expect_values(ops::repeat(arr({1, 2}), 2), {1, 1, 2, 2});
  expect_error<ValueError>([&] { ops::repeat(x, {1, 2, 3}, 1); }, {"ops::repeat", "3 values"});
  expect_values(ops::flip(x), {3, 2, 1, 0});
  expect_values(ops::fliplr(x), {1, 0, 3, 2});
  expect_values(ops::flipud(x), {2, 3, 0, 1});
  EXPECT_EQ(ops::flip(iota({0, 2}), 0).shape(), Shape({0, 2}));
  expect_values(ops::roll(arr({1, 2, 3, 4}), 1), {4, 1, 2, 3});
  expect_values(ops::roll(x, -1, 1), {1, 0, 3, 2});
  expect_values(ops::roll(x, 1), {3, 0, 1, 2});
  expect_values(ops::rot90(x), {1, 3, 0, 2});
  expect_values(ops::rot90(x, 2), {3, 2, 1, 0});
  expect_values(ops::rot90(x, -1), {2, 0, 3, 1});
  expect_error<ValueError>([&] { ops::rot90(arr({1})); }, {"ops::rot90", "2 dimensions"});
  EXPECT_EQ(ops::tile(sym({N, 2}), {2, 2}).shape(), Shape({N, 4}));
  EXPECT_EQ(ops::repeat(sym({N, 2}), 3, 1).shape(), Shape({N, 6}));
}

TEST_P(ShapeTest, DiagonalTraceDiagMeshgrid) {
  Tensor x = iota({3, 4});
  expect_values(ops::diagonal(x), {0, 5, 10});
  expect_values(ops::diagonal(x, 1), {1, 6, 11});
  expect_values(ops::diagonal(x, -1), {4, 9});
  EXPECT_EQ(ops::diagonal(x, 5).shape(), Shape({0}));
  EXPECT_EQ(ops::diagonal(iota({2, 3, 4}), 0, 1, 2).shape(), Shape({2, 3}));
  expect_values(ops::trace(x), {15});
  EXPECT_EQ(ops::trace(iota({3, 3}, DType::Int8)).dtype(), DType::Int32);
  expect_values(ops::diag(arr({1, 2})), {1, 0, 0, 2});
  expect_values(ops::diag(arr({1, 2}), 1), {0, 1, 0, 0, 0, 2, 0, 0, 0});
  expect_values(ops::diag(arr({1, 2}), -1), {0, 0, 0, 1, 0, 0, 0, 2, 0});
  expect_values(ops::diag(x, 1), {1, 6, 11});
  expect_error<ValueError>([&] { ops::diagonal(x, 0, 1, -1); }, {"ops::diagonal", "same"});
  auto g = ops::meshgrid({arr({1, 2, 3}), arr({4, 5})});
  EXPECT_EQ(g[0].shape(), Shape({2, 3}));
  expect_values(g[0], {1, 2, 3, 1, 2, 3});
  expect_values(g[1], {4, 4, 4, 5, 5, 5});
  auto ij = ops::meshgrid({arr({1, 2, 3}), arr({4, 5})}, "ij");
  EXPECT_EQ(ij[0].shape(), Shape({3, 2}));
  expect_error<ValueError>([&] { ops::meshgrid({arr({1})}, "xx"); }, {"ops::meshgrid", "indexing"});
}

TEST_P(ShapeTest, Gradients) {
  Tensor x = test_values({2, 3, 4}, -1, 1, 5);
  Tensor y = test_values({2, 2, 4}, -1, 1, 6);
  auto check = [&](const std::string& what, TensorFn f, std::vector<Tensor> in = {}) {
    expect_gradients_match(f, in.empty() ? std::vector<Tensor>{x} : in, what);
  };
  check("reshape", [](auto& v) { return ops::reshape(v[0], {4, -1}); });
  check("transpose", [](auto& v) { return ops::transpose(v[0], {1, 2, 0}); });
  check("moveaxis", [](auto& v) { return ops::moveaxis(v[0], {0}, {2}); });
  check("expand_dims", [](auto& v) { return ops::expand_dims(v[0], {0, 2}); });
  check("squeeze", [](auto& v) { return ops::squeeze(ops::expand_dims(v[0], 1), 1); });
  check("broadcast_to", [](auto& v) {
    return ops::broadcast_to(ops::sum(v[0], {.axis = 1, .keepdims = true}), {3, 2, 5, 4});
  });
  check("concatenate", [](auto& v) { return ops::concatenate({v[0], v[1]}, 1); }, {x, y});
  check("stack", [](auto& v) { return ops::stack({v[0], v[0]}, -1); });
  check("split", [](auto& v) { return ops::split(v[0], std::vector<int64_t>{1}, 1)[1]; });
  check("split overlap", [](auto& v) {
    auto p = ops::split(v[0], std::vector<int64_t>{3, 1}, 2);
    return ops::concatenate({p[0], p[2]}, 2);
  });
  check("tile", [](auto& v) { return ops::tile(v[0], {2, 1, 2}); });
  check("repeat", [](auto& v) { return ops::repeat(v[0], 2, 1); });
  check("repeat counts", [](auto& v) { return ops::repeat(v[0], {0, 1, 3}, 1); });
  check("flip", [](auto& v) { return ops::flip(v[0], {0, 2}); });
  check("roll", [](auto& v) { return ops::roll(v[0], {1, -2}, {1, 2}); });
  check("rot90", [](auto& v) { return ops::rot90(v[0], 1, {1, 2}); });
  check("diagonal", [](auto& v) { return ops::diagonal(v[0], 1, 1, 2); });
  check("trace", [](auto& v) { return ops::trace(v[0], 0, 1, 2); });
  check("diag", [](auto& v) {
    return ops::diag(ops::ravel(ops::slice(v[0], {0, 0, 0}, {1, 1, 3})), -1);
  });
  check("unstack", [](auto& v) { return ops::unstack(v[0], 1)[2]; });
}

KERAS_INSTANTIATE_BACKEND_TEST(ShapeTest);

}  // namespace
}  // namespace keras::testing
