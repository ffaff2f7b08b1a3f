// Data movement: reshape, transpose, broadcast_to, slice (negative steps), slice_update, pad
// (NumPy's reflect and symmetric, wider than the axis) and concatenate.
#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

using Pads = std::vector<std::pair<int64_t, int64_t>>;

TEST_P(BackendContract, ReshapeIsANewTensor) {
  Tensor x = be().arange(0, 1, 6, DType::Float32);
  Tensor y = be().reshape(x, {2, 3});
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_NE(y.id(), x.id());
  EXPECT_EQ(get<float>(y), (std::vector<float>{0, 1, 2, 3, 4, 5}));
}

TEST_P(BackendContract, Transpose) {
  for (auto [m, n] :
       std::vector<std::pair<int64_t, int64_t>>{{2, 3}, {3, 5}, {100, 70}, {513, 257}}) {
    Tensor t = be().transpose(be().reshape(be().arange(0, 1, m * n, DType::Int32), {m, n}),
                              std::vector<int>{1, 0});
    EXPECT_EQ(t.shape(), (Shape{n, m}));
    auto v = get<int32_t>(t);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < m; ++j) ASSERT_EQ(v[i * m + j], j * n + i);
  }
  Tensor t = be().transpose(be().reshape(be().arange(0, 1, 24, DType::Float64), {2, 3, 4}),
                            std::vector<int>{2, 0, 1});
  EXPECT_EQ(t.shape(), (Shape{4, 2, 3}));
  auto v = get<double>(t);
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 2; ++b)
      for (int c = 0; c < 3; ++c) EXPECT_EQ(v[(a * 2 + b) * 3 + c], (b * 3 + c) * 4 + a);
  // A batched matrix transpose (0, 2, 1), big enough for tiled paths.
  Tensor y = be().reshape(be().arange(0, 1, 3 * 40 * 50, DType::Float16), {3, 40, 50});
  auto yt = as_double(be().transpose(y, std::vector<int>{0, 2, 1}));
  for (int b = 0; b < 3; ++b)
    for (int i = 0; i < 50; ++i)
      for (int j = 0; j < 40; ++j)
        ASSERT_EQ(yt[(b * 50 + i) * 40 + j], float(float16_t(float((b * 40 + j) * 50 + i))));
}

TEST_P(BackendContract, BroadcastTo) {
  Tensor x = make<int8_t>({1, 2, 3}, {3, 1});
  auto v = get<int8_t>(be().broadcast_to(x, {2, 3, 4}));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) EXPECT_EQ(v[(i * 3 + j) * 4 + k], j + 1);
  EXPECT_EQ(be().broadcast_to(x, {3, 2}).shape(), (Shape{3, 2}));
  EXPECT_EQ(get<int16_t>(be().broadcast_to(make<int16_t>({1, 2}, {2, 1}), {3, 2, 2})),
            (std::vector<int16_t>{1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2}));
}

TEST_P(BackendContract, SliceWithNegativeSteps) {
  Tensor x = be().reshape(be().arange(0, 1, 20, DType::Int64), {4, 5});
  // x[3:0:-2, ::-1] -> rows 3, 1; cols 4..0
  EXPECT_EQ(
      get<int64_t>(be().slice(x, std::vector<int64_t>{3, 4}, std::vector<int64_t>{-2, -1}, {2, 5})),
      (std::vector<int64_t>{19, 18, 17, 16, 15, 9, 8, 7, 6, 5}));
  std::vector<int64_t> start{1, 1}, step{1, 2};
  EXPECT_EQ(get<int64_t>(be().slice(x, start, step, {2, 2})), (std::vector<int64_t>{6, 8, 11, 13}));
  EXPECT_EQ(be().slice(x, start, step, {0, 2}).size(), 0);
  Tensor y = be().reshape(be().arange(0, 1, 12, DType::Int32), {3, 4});
  EXPECT_EQ(
      get<int32_t>(be().slice(y, std::vector<int64_t>{2, 3}, std::vector<int64_t>{-1, -2}, {3, 2})),
      (std::vector<int32_t>{11, 9, 7, 5, 3, 1}));
  EXPECT_EQ(
      get<int32_t>(be().slice(y, std::vector<int64_t>{0, 1}, std::vector<int64_t>{2, 2}, {2, 2})),
      (std::vector<int32_t>{1, 3, 9, 11}));
  EXPECT_EQ(be().slice(y, std::vector<int64_t>{1, 0}, std::vector<int64_t>{1, 1}, {0, 4}).shape(),
            (Shape{0, 4}));
}

TEST_P(BackendContract, SliceUpdateLeavesTheInputUntouched) {
  Tensor x = be().full({3, 4}, DType::Float32, 0);
  Tensor y = be().slice_update(x, std::vector<int64_t>{1, 2}, make<float>({1, 2, 3, 4}, {2, 2}));
  EXPECT_EQ(get<float>(y), (std::vector<float>{0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4}));
  EXPECT_EQ(get<float>(x)[6], 0);
  Tensor z = be().reshape(be().arange(0, 1, 12, DType::Int32), {3, 4});
  Tensor u =
      be().slice_update(z, std::vector<int64_t>{1, 2}, make<int32_t>({-1, -2, -3, -4}, {2, 2}));
  EXPECT_EQ(get<int32_t>(u), (std::vector<int32_t>{0, 1, 2, 3, 4, 5, -1, -2, 8, 9, -3, -4}));
  EXPECT_EQ(get<int32_t>(z)[6], 6);
}

TEST_P(BackendContract, PadModes) {
  for (DType dt : {DType::Int32, DType::Float32}) {
    SCOPED_TRACE(std::string(dtype_name(dt)));
    Tensor x = make_f({1, 2, 3}, {3}, dt);
    Pads p{{2, 3}};
    EXPECT_EQ(as_double(be().pad(x, p, PadMode::Constant, 9)),
              (std::vector<double>{9, 9, 1, 2, 3, 9, 9, 9}));
    EXPECT_EQ(as_double(be().pad(x, p, PadMode::Reflect, 0)),
              (std::vector<double>{3, 2, 1, 2, 3, 2, 1, 2}));
    EXPECT_EQ(as_double(be().pad(x, p, PadMode::Symmetric, 0)),
              (std::vector<double>{2, 1, 1, 2, 3, 3, 2, 1}));
    // Wider than the axis: NumPy's repeated reflection.
    EXPECT_EQ(as_double(be().pad(x, Pads{{5, 0}}, PadMode::Reflect, 0)),
              (std::vector<double>{2, 1, 2, 3, 2, 1, 2, 3}));
    EXPECT_EQ(as_double(be().pad(x, Pads{{5, 4}}, PadMode::Reflect, 0)),
              (std::vector<double>{2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3}));
    EXPECT_EQ(as_double(be().pad(x, Pads{{5, 4}}, PadMode::Symmetric, 0)),
              (std::vector<double>{2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1}));
  }
}

TEST_P(BackendContract, PadSeveralAxes) {
  Tensor m = make<float>({1, 2, 3, 4}, {2, 2});
  Pads p2{{1, 1}, {2, 1}};
  // np.pad([[1,2],[3,4]], ((1,1),(2,1)), 'reflect')
  EXPECT_EQ(get<float>(be().pad(m, p2, PadMode::Reflect, 0)),
            (std::vector<float>{3, 4, 3, 4, 3, 1, 2, 1, 2, 1, 3, 4, 3, 4, 3, 1, 2, 1, 2, 1}));
  EXPECT_EQ(get<float>(be().pad(m, p2, PadMode::Constant, 0.5))[0], 0.5f);
  EXPECT_EQ(be().pad(m, p2, PadMode::Symmetric, 0).shape(), (Shape{4, 5}));
  // Rank 4, mixed axes.
  Tensor y = be().reshape(be().arange(0, 1, 8, DType::Int64), {1, 2, 2, 2});
  Tensor r = be().pad(y, Pads{{0, 0}, {1, 0}, {0, 1}, {1, 1}}, PadMode::Reflect, 0);
  EXPECT_EQ(r.shape(), (Shape{1, 3, 3, 4}));
  auto rv = get<int64_t>(r);
  // r[0, 0] is y[0, 1] (reflected), rows reflected: y[0,1,0], y[0,1,1], y[0,1,0]
  EXPECT_EQ(std::vector<int64_t>(rv.begin(), rv.begin() + 12),
            (std::vector<int64_t>{5, 4, 5, 4, 7, 6, 7, 6, 5, 4, 5, 4}));
  // The constant is cast exactly to the dtype.
  EXPECT_EQ(get<uint64_t>(be().pad(make<uint64_t>({1}), Pads{{1, 0}}, PadMode::Constant, 1.8e19)),
            (std::vector<uint64_t>{18000000000000000000ull, 1}));
}

TEST_P(BackendContract, Concatenate) {
  Tensor a = make<int16_t>({1, 2, 3, 4}, {2, 2});
  std::vector<Tensor> xs{a, make<int16_t>({5, 6}, {2, 1}), be().full({2, 0}, DType::Int16, 0)};
  EXPECT_EQ(get<int16_t>(be().concatenate(xs, 1)), (std::vector<int16_t>{1, 2, 5, 3, 4, 6}));
  std::vector<Tensor> ys{a, a};
  EXPECT_EQ(get<int16_t>(be().concatenate(ys, 0)), (std::vector<int16_t>{1, 2, 3, 4, 1, 2, 3, 4}));
  std::vector<Tensor> us{make<uint16_t>({1, 2}, {1, 2}), make<uint16_t>({3, 4, 5, 6}, {2, 2})};
  Tensor c = be().concatenate(us, 0);
  EXPECT_EQ(c.shape(), (Shape{3, 2}));
  EXPECT_EQ(get<uint16_t>(c), (std::vector<uint16_t>{1, 2, 3, 4, 5, 6}));
}

}  // namespace
}  // namespace keras::backend::contract
