// Gather, scatter and sort: negative indices, duplicate indices, every scatter reduction,
// stable sorting with NaN last.
#include <cmath>

#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

TEST_P(BackendContract, TakeWithNegativeIndices) {
  Tensor x = be().reshape(be().arange(0, 1, 12, DType::Float32), {3, 4});
  Tensor t0 = be().take(x, make<int32_t>({2, -1, 0, 1}, {2, 2}), 0);
  EXPECT_EQ(t0.shape(), (Shape{2, 2, 4}));
  EXPECT_EQ(get<float>(t0)[4], 8);  // row -1 == row 2
  EXPECT_EQ(get<float>(be().take(x, make<int64_t>({3, -4}), 1)),
            (std::vector<float>{3, 0, 7, 4, 11, 8}));
  Tensor y = be().reshape(be().arange(0, 1, 6, DType::Float32), {2, 3});
  Tensor t = be().take(y, make<int32_t>({-1, 0, 2, 1}, {2, 2}), 1);
  EXPECT_EQ(t.shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(get<float>(t), (std::vector<float>{2, 0, 2, 1, 5, 3, 5, 4}));
  Tensor s = be().take(y, make<int64_t>({1}, Shape{}), 0);
  EXPECT_EQ(s.shape(), (Shape{3}));
  EXPECT_EQ(get<float>(s), (std::vector<float>{3, 4, 5}));
}

TEST_P(BackendContract, TakeAlongAxis) {
  Tensor x = make<double>({10, 30, 20, 60, 50, 40}, {2, 3});
  EXPECT_EQ(get<double>(be().take_along_axis(x, make<int32_t>({1, 0, -1, 2}, {2, 2}), 1)),
            (std::vector<double>{30, 10, 40, 40}));
  EXPECT_EQ(get<double>(be().take_along_axis(x, make<int64_t>({1, 0, 1}, {1, 3}), 0)),
            (std::vector<double>{60, 30, 40}));
  Tensor y = make<float>({10, 20, 30, 40, 50, 60}, {2, 3});
  EXPECT_EQ(get<float>(be().take_along_axis(y, make<int32_t>({2, -3, 1, 1}, {2, 2}), 1)),
            (std::vector<float>{30, 10, 50, 50}));
}

// index_add and scatter_add_along_axis are the adjoints of take and take_along_axis.
TEST_P(BackendContract, IndexAddAndScatterAddAlongAxis) {
  Tensor ones = be().full({3, 2}, DType::Float32, 1);
  EXPECT_EQ(get<float>(be().index_add(ones, 0, make<int32_t>({0, 2, 0}),
                                      make<float>({1, 2, 3, 4, 5, 6}, {3, 2}))),
            (std::vector<float>{7, 9, 1, 1, 4, 5}));
  Tensor zeros = be().full({2, 3}, DType::Float32, 0);
  EXPECT_EQ(get<float>(be().index_add(zeros, 1, make<int64_t>({0, 2, 0, -1}),
                                      make<float>({1, 2, 3, 4, 5, 6, 7, 8}, {2, 4}))),
            (std::vector<float>{4, 0, 6, 12, 0, 14}));
  EXPECT_EQ(get<int32_t>(be().scatter_add_along_axis(be().full({2, 3}, DType::Int32, 0), 1,
                                                     make<int64_t>({0, 0, 2, -1}, {2, 2}),
                                                     make<int32_t>({1, 1, 2, 3}, {2, 2}))),
            (std::vector<int32_t>{2, 0, 0, 0, 0, 5}));
  EXPECT_EQ(get<float>(be().scatter_add_along_axis(zeros, 1, make<int32_t>({2, -3, 1, 1}, {2, 2}),
                                                   make<float>({1, 2, 3, 4}, {2, 2}))),
            (std::vector<float>{2, 0, 1, 0, 7, 0}));
}

TEST_P(BackendContract, ScatterNdElementsEveryReduction) {
  Tensor base = be().full({4}, DType::Float64, 0);
  Tensor idx = make<int32_t>({1, 3, 1}, {3, 1});
  Tensor upd = make<double>({5, 6, 7});
  auto scatter = [&](const Tensor& b, ScatterReduction r) {
    return get<double>(be().scatter_nd(b, idx, upd, r));
  };
  EXPECT_EQ(scatter(base, ScatterReduction::Set), (std::vector<double>{0, 7, 0, 6}));
  EXPECT_EQ(scatter(base, ScatterReduction::Add), (std::vector<double>{0, 12, 0, 6}));
  EXPECT_EQ(scatter(base, ScatterReduction::Max), (std::vector<double>{0, 7, 0, 6}));
  EXPECT_EQ(scatter(base, ScatterReduction::Min), (std::vector<double>{0, 0, 0, 0}));
  EXPECT_EQ(scatter(be().full({4}, DType::Float64, 1), ScatterReduction::Multiply),
            (std::vector<double>{1, 35, 1, 6}));
  // Full-rank indices (k = rank).
  Tensor e =
      be().scatter_nd(be().full({2, 2}, DType::Int32, 0), make<int64_t>({1, 0, 1, 0}, {2, 2}),
                      make<int32_t>({3, 4}), ScatterReduction::Set);
  EXPECT_EQ(get<int32_t>(e), (std::vector<int32_t>{0, 0, 4, 0}));
  EXPECT_EQ(get<uint64_t>(be().scatter_nd(make<uint64_t>({5, 5}), make<int32_t>({0, 1}, {2, 1}),
                                          make<uint64_t>({UINT64_MAX, 1}), ScatterReduction::Max)),
            (std::vector<uint64_t>{UINT64_MAX, 5}));
  EXPECT_EQ(get_bool(be().scatter_nd(make_bool({0, 1}, {2}), make<int32_t>({0, 1}, {2, 1}),
                                     make_bool({1, 0}, {2}), ScatterReduction::Add)),
            (std::vector<uint8_t>{1, 1}));
}

TEST_P(BackendContract, ScatterNdSlicesEveryReduction) {
  Tensor base = be().full({3, 2}, DType::Float32, 1);
  Tensor idx = make<int32_t>({0, 2, 0, -1}, {4, 1});
  Tensor upd = make<float>({1, 2, 3, 4, 5, 6, 7, 8}, {4, 2});
  auto scatter = [&](ScatterReduction r) { return get<float>(be().scatter_nd(base, idx, upd, r)); };
  EXPECT_EQ(scatter(ScatterReduction::Set),
            (std::vector<float>{5, 6, 1, 1, 7, 8}));  // duplicates: the last wins
  EXPECT_EQ(scatter(ScatterReduction::Add), (std::vector<float>{7, 9, 1, 1, 11, 13}));
  EXPECT_EQ(scatter(ScatterReduction::Max), (std::vector<float>{5, 6, 1, 1, 7, 8}));
  EXPECT_EQ(scatter(ScatterReduction::Min), (std::vector<float>{1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(scatter(ScatterReduction::Multiply), (std::vector<float>{5, 12, 1, 1, 21, 32}));
  EXPECT_EQ(
      get<int32_t>(be().scatter_nd(be().full({2, 3}, DType::Int32, 0), make<int64_t>({-1}, {1, 1}),
                                   make<int32_t>({1, 2, 3}, {1, 3}), ScatterReduction::Set)),
      (std::vector<int32_t>{0, 0, 0, 1, 2, 3}));
}

TEST_P(BackendContract, SortIsStableWithNaNLast) {
  auto [v, i] = be().sort(make<float>({3, NAN, 1, 3, 2, 1}), 0, false);
  EXPECT_EQ(i.dtype(), DType::Int32);
  EXPECT_EQ(get<int32_t>(i), (std::vector<int32_t>{2, 5, 4, 0, 3, 1}));
  EXPECT_TRUE(std::isnan(get<float>(v)[5]));
  auto [dv, di] = be().sort(make<float>({3, NAN, 1, 3, 2, 1}), 0, true);
  EXPECT_EQ(get<int32_t>(di), (std::vector<int32_t>{1, 0, 3, 4, 2, 5}));
  auto [v2, i2] = be().sort(make<float>({3, NAN, 1, NAN, -1, 1}), 0, false);
  auto vv = get<float>(v2);
  EXPECT_EQ(std::vector<float>(vv.begin(), vv.begin() + 4), (std::vector<float>{-1, 1, 1, 3}));
  EXPECT_TRUE(std::isnan(vv[4]) && std::isnan(vv[5]));
  EXPECT_EQ(get<int32_t>(i2), (std::vector<int32_t>{4, 2, 5, 0, 1, 3}));
  auto [iv, ii] = be().sort(make<int32_t>({1, 0, 1, 0, 2}), 0, true);
  EXPECT_EQ(get<int32_t>(iv), (std::vector<int32_t>{2, 1, 1, 0, 0}));
  EXPECT_EQ(get<int32_t>(ii), (std::vector<int32_t>{4, 0, 2, 1, 3}));
}

TEST_P(BackendContract, SortAlongAxesAndDtypes) {
  // [[3, 1], [2, 0], [5, 4]] sorted down each column
  auto [mv, mi] = be().sort(make<int32_t>({3, 1, 2, 0, 5, 4}, {3, 2}), 0, false);
  EXPECT_EQ(get<int32_t>(mv), (std::vector<int32_t>{2, 0, 3, 1, 5, 4}));
  EXPECT_EQ(get<int32_t>(mi), (std::vector<int32_t>{1, 1, 0, 0, 2, 2}));
  auto [bv, bi] = be().sort(make_bool({1, 0, 1, 0}, {4}), 0, false);
  EXPECT_EQ(get_bool(bv), (std::vector<uint8_t>{0, 0, 1, 1}));
  EXPECT_EQ(get<int32_t>(bi), (std::vector<int32_t>{1, 3, 0, 2}));
  auto [b2v, b2i] = be().sort(make_bool({1, 0, 1, 0}, {2, 2}), 1, false);
  EXPECT_EQ(get_bool(b2v), (std::vector<uint8_t>{0, 1, 0, 1}));
  EXPECT_EQ(get<int32_t>(b2i), (std::vector<int32_t>{1, 0, 1, 0}));
  auto [uv, ui] = be().sort(make<uint64_t>({UINT64_MAX, 0, 1ull << 63}), 0, false);
  EXPECT_EQ(get<uint64_t>(uv), (std::vector<uint64_t>{0, 1ull << 63, UINT64_MAX}));
  auto [hv, hi] = be().sort(make_f({2, -1}, {2}, DType::Float16), 0, false);
  EXPECT_EQ(hv.dtype(), DType::Float16);
  EXPECT_EQ(as_double(hv), (std::vector<double>{-1, 2}));
}

}  // namespace
}  // namespace keras::backend::contract
