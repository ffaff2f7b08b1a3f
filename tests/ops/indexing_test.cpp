// Indexing ops: take, take_along_axis, pad, sort, argsort, slice, slice_update, scatter,
// scatter_update: values, errors, symbolic shapes and gradients.
#include "ops/elementwise_testing.hpp"

namespace keras::testing {
namespace {

class IndexingTest : public BackendTest {};

Tensor idx(const std::vector<double>& v, const Shape& s) { return arr(v, s, DType::Int32); }

TEST_P(IndexingTest, Take) {
  Tensor x = iota({5, 3});
  Tensor t = ops::take(x, idx({0, 4, -1, 2}, {2, 2}), 0);
  EXPECT_EQ(t.shape(), Shape({2, 2, 3}));
  expect_values(t, {0, 1, 2, 12, 13, 14, 12, 13, 14, 6, 7, 8});
  expect_values(ops::take(x, idx({1, 7}, {2})), {1, 7});
  expect_values(ops::take(x, idx({2}, {1}), -1), {2, 5, 8, 11, 14});
  expect_error<IndexError>([&] { ops::take(x, idx({5}, {1}), 0); }, {"ops::take", "5"});
  expect_error<TypeError>([&] { ops::take(x, arr({1})); }, {"ops::take", "integers", "float32"});
  EXPECT_EQ(ops::take(sym({N, 3}), sym({4}, DType::Int32), 1).shape(), Shape({N, 4}));
}

TEST_P(IndexingTest, TakeAlongAxis) {
  Tensor x = iota({3, 5});
  Tensor t = ops::take_along_axis(x, idx({0, 4, 1, 1, 3, 2}, {3, 2}), 1);
  expect_values(t, {0, 4, 6, 6, 13, 12});
  // Indices broadcast against x outside axis.
  Tensor b = ops::take_along_axis(iota({2, 3, 4}), idx({0, 1, 2, 3, 3, 0}, {1, 3, 2}), -1);
  EXPECT_EQ(b.shape(), Shape({2, 3, 2}));
  expect_values(b, {0, 1, 6, 7, 11, 8, 12, 13, 18, 19, 23, 20});
  expect_values(ops::take_along_axis(x, idx({14, 0}, {2})), {14, 0});
  expect_error<ValueError>([&] { ops::take_along_axis(x, idx({0}, {1}), 1); },
                           {"ops::take_along_axis", "same rank"});
  expect_error<ValueError>(
      [&] {
        ops::take_along_axis(x, idx({0, 0}, {2, 1}), 1);
      },
      {"ops::take_along_axis", "broadcast"});
  EXPECT_EQ(ops::take_along_axis(sym({N, 5}), sym({N, 2}, DType::Int32), 1).shape(), Shape({N, 2}));
}

TEST_P(IndexingTest, Pad) {
  Tensor x = iota({2, 3});
  Tensor r = ops::pad(x, {{1, 1}, {2, 1}}, "reflect");
  EXPECT_EQ(r.shape(), Shape({4, 6}));
  expect_values(ops::reshape(ops::slice(r, {0, 0}, {1, 6}), {-1}), {5, 4, 3, 4, 5, 4});
  Tensor s = ops::pad(x, {{0, 0}, {2, 1}}, "symmetric");
  expect_values(ops::reshape(ops::slice(s, {0, 0}, {1, 6}), {-1}), {1, 0, 0, 1, 2, 2});
  Tensor c = ops::pad(x, {{0, 1}, {1, 0}}, "constant", arr({-1.5}, Shape{}));
  expect_values(c, {-1.5, 0, 1, 2, -1.5, 3, 4, 5, -1.5, -1.5, -1.5, -1.5});
  EXPECT_EQ(ops::pad(x, {{1, 2}}).shape(), Shape({5, 6}));
  EXPECT_EQ(ops::pad(iota({0, 2}), {{1, 0}, {0, 0}}).shape(), Shape({1, 2}));
  expect_error<ValueError>([&] { ops::pad(x, {{1, 1}, {1, 1}, {1, 1}}); }, {"ops::pad", "rank 2"});
  expect_error<ValueError>([&] { ops::pad(x, {{1, 1}}, "edge"); }, {"ops::pad", "edge"});
  expect_error<ValueError>(
      [&] {
        ops::pad(x, {{1, 1}}, "reflect", arr({0}));
      },
      {"ops::pad", "constant_values"});
  expect_error<ValueError>([&] { ops::pad(x, {{-1, 1}}); }, {"ops::pad", "negative"});
  EXPECT_EQ(ops::pad(sym({N, 3}), {{1, 1}}).shape(), Shape({N, 5}));
}

TEST_P(IndexingTest, SortArgsort) {
  Tensor x = arr({3, 1, 2, 1, kNaN, 0}, {2, 3});
  expect_values(ops::sort(x), {1, 2, 3, 0, 1, kNaN});
  expect_values(ops::sort(x, 0), {1, 1, 0, 3, kNaN, 2});
  Tensor ties = arr({2, 1, 2, 1, 0});
  expect_values(ops::argsort(ties), {4, 1, 3, 0, 2});
  EXPECT_EQ(ops::argsort(ties).dtype(), DType::Int32);
  EXPECT_EQ(ops::argsort(arr({5}, Shape{})).shape(), Shape({1}));
  expect_error<ValueError>([&] { ops::sort(x, 2); }, {"ops::sort", "axis 2"});
  EXPECT_EQ(ops::argsort(sym({N, 3})).dtype(), DType::Int32);
}

TEST_P(IndexingTest, SliceAndUpdate) {
  Tensor x = iota({3, 4});
  expect_values(ops::slice(x, {1, 1}, {2, 2}), {5, 6, 9, 10});
  EXPECT_EQ(ops::slice(x, {3, 0}, {0, 4}).shape(), Shape({0, 4}));
  expect_error<IndexError>(
      [&] {
        ops::slice(x, {2, 0}, {2, 4});
      },
      {"ops::slice", "(2, 4)", "(2, 0)", "(3, 4)"});
  expect_error<ValueError>([&] { ops::slice(x, {0}, {1, 1}); }, {"ops::slice", "start_indices"});
  Tensor u = ops::slice_update(x, {1, 2}, arr({-1, -2}, {1, 2}, DType::Int32));
  EXPECT_EQ(u.dtype(), DType::Float32);
  expect_values(u, {0, 1, 2, 3, 4, 5, -1, -2, 8, 9, 10, 11});
  expect_error<IndexError>(
      [&] {
        ops::slice_update(x, {2, 3}, iota({2, 2}));
      },
      {"ops::slice_update"});
  EXPECT_EQ(ops::slice(sym({N, 4}), {0, 1}, {2, 3}).shape(), Shape({2, 3}));
}

TEST_P(IndexingTest, ScatterFamily) {
  Tensor s = ops::scatter(idx({0, 1, 2, 0, 0, 1}, {3, 2}), arr({1, 2, 3}), {3, 2});
  expect_values(s, {0, 4, 0, 0, 2, 0});  // duplicates are summed
  Tensor rows = ops::scatter(idx({2, 0}, {2, 1}), arr({1, 2, 3, 4}, {2, 2}), {3, 2});
  expect_values(rows, {3, 4, 0, 0, 1, 2});
  Tensor base = iota({2, 3});
  Tensor i2 = idx({0, 0, 1, 2}, {2, 2});
  expect_values(ops::scatter_update(base, i2, arr({9, 8})), {9, 1, 2, 3, 4, 8});
  expect_values(ops::scatter_update(base, i2, arr({9, 8}), "add"), {9, 1, 2, 3, 4, 13});
  expect_values(ops::scatter_update(base, i2, arr({-1, 8}), "max"), {0, 1, 2, 3, 4, 8});
  expect_values(ops::scatter_update(base, i2, arr({-1, 8}), "min"), {-1, 1, 2, 3, 4, 5});
  expect_values(ops::scatter_update(base, i2, arr({3, 2}), "mul"), {0, 1, 2, 3, 4, 10});
  expect_error<ValueError>(
      [&] {
        ops::scatter_update(base, i2, arr({1, 2}), "avg");
      },
      {"ops::scatter_update", "avg"});
  expect_error<ValueError>(
      [&] {
        ops::scatter_update(base, i2, arr({1, 2, 3}));
      },
      {"ops::scatter_update", "updates of shape (3,)", "(2,)"});
  expect_error<IndexError>(
      [&] {
        ops::scatter_update(base, idx({5, 0}, {1, 2}), arr({1}));
      },
      {"scatter_nd"});
  EXPECT_EQ(ops::scatter(sym({N, 2}, DType::Int32), sym({N}), {4, 4}).shape(), Shape({4, 4}));
}

TEST_P(IndexingTest, Gradients) {
  Tensor x = test_values({4, 3}, -1, 1, 9);
  auto check = [&](const std::string& what, TensorFn f, std::vector<Tensor> in = {}) {
    expect_gradients_match(f, in.empty() ? std::vector<Tensor>{x} : in, what);
  };
  check("take", [](auto& v) {
    return ops::take(v[0], ops::convert_to_tensor<int32_t>({0, 3, 3, -1}, {2, 2}), 0);
  });
  check("take flat", [](auto& v) {
    return ops::take(v[0], ops::convert_to_tensor<int32_t>({11, 0, 11}));
  });
  check("take_along_axis", [](auto& v) {
    return ops::take_along_axis(v[0], ops::convert_to_tensor<int32_t>({2, 2, 0}, {1, 3}), 0);
  });
  check("pad constant", [](auto& v) { return ops::pad(v[0], {{1, 2}, {0, 1}}); });
  check("pad reflect", [](auto& v) { return ops::pad(v[0], {{2, 3}, {1, 2}}, "reflect"); });
  check("pad symmetric", [](auto& v) { return ops::pad(v[0], {{3, 4}, {3, 1}}, "symmetric"); });
  check("sort", [](auto& v) { return ops::sort(v[0], 0); });
  check("slice", [](auto& v) { return ops::slice(v[0], {1, 1}, {2, 2}); });
  Tensor u = test_values({2, 2}, -1, 1, 10);
  check("slice_update", [](auto& v) { return ops::slice_update(v[0], {1, 0}, v[1]); }, {x, u});
  Tensor vals = test_values({3}, -1, 1, 11);
  check("scatter",
        [](auto& v) {
          return ops::scatter(ops::convert_to_tensor<int32_t>({0, 1, 3, 2, 0, 1}, {3, 2}), v[0],
                              {4, 3});
        },
        {vals});
  check("scatter_update set",
        [](auto& v) {
          return ops::scatter_update(v[0], ops::convert_to_tensor<int32_t>({0, 1, 3, 2}, {2, 2}),
                                     ops::slice(v[1], {0}, {2}));
        },
        {x, vals});
  check("scatter_update add",
        [](auto& v) {
          return ops::scatter_update(v[0], ops::convert_to_tensor<int32_t>({0, 1, 0, 1}, {2, 2}),
                                     ops::slice(v[1], {0}, {2}), "add");
        },
        {x, vals});
  expect_second_gradients_match(
      [](auto& v) {
        return ops::square(ops::take(v[0], ops::convert_to_tensor<int32_t>({1, 1, 2}), 1));
      },
      {x}, "take");
  expect_second_gradients_match([](auto& v) { return ops::exp(ops::sort(v[0], 1)); }, {x}, "sort");
}

KERAS_INSTANTIATE_BACKEND_TEST(IndexingTest);

}  // namespace
}  // namespace keras::testing
