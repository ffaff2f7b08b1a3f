// Memory kernels: info, host round trips, full, arange and cast.
#include <cmath>

#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

TEST_P(BackendContract, InfoNamesTheBackend) {
  EXPECT_EQ(be().name(), GetParam());
  BackendInfo info = be().info();
  EXPECT_EQ(info.name, GetParam());
  EXPECT_FALSE(info.device.empty());
  EXPECT_FALSE(info.libraries.empty());
  EXPECT_GE(info.num_threads, 1);
}

TEST_P(BackendContract, HostRoundTripEveryDtype) {
  for (int d = 0; d < kNumDTypes; ++d) {
    DType dt = static_cast<DType>(d);
    Tensor x = be().arange(0, 1, 7, dt);
    EXPECT_EQ(x.dtype(), dt);
    std::vector<unsigned char> raw(7 * dtype_size(dt));
    be().to_host(x, raw.data());
    Tensor y = be().from_host(raw.data(), Shape{7}, dt);
    auto v = as_double(y);
    for (int i = 0; i < 7; ++i) EXPECT_EQ(v[i], dt == DType::Bool ? (i != 0) : i);
  }
}

TEST_P(BackendContract, HostRoundTripKeepsExtremeValues) {
  EXPECT_EQ(get<int8_t>(make<int8_t>({-128, 0, 127})), (std::vector<int8_t>{-128, 0, 127}));
  EXPECT_EQ(get<int16_t>(make<int16_t>({-32768, 7})), (std::vector<int16_t>{-32768, 7}));
  EXPECT_EQ(get<int32_t>(make<int32_t>({INT32_MIN, INT32_MAX})),
            (std::vector<int32_t>{INT32_MIN, INT32_MAX}));
  EXPECT_EQ(get<int64_t>(make<int64_t>({INT64_MIN, INT64_MAX})),
            (std::vector<int64_t>{INT64_MIN, INT64_MAX}));
  EXPECT_EQ(get<uint8_t>(make<uint8_t>({0, 255})), (std::vector<uint8_t>{0, 255}));
  EXPECT_EQ(get<uint16_t>(make<uint16_t>({0, 65535})), (std::vector<uint16_t>{0, 65535}));
  EXPECT_EQ(get<uint32_t>(make<uint32_t>({0, 4294967295u})),
            (std::vector<uint32_t>{0, 4294967295u}));
  EXPECT_EQ(get<uint64_t>(make<uint64_t>({0, UINT64_MAX, 1ull << 63})),
            (std::vector<uint64_t>{0, UINT64_MAX, 1ull << 63}));
  std::vector<float16_t> h{float16_t(1.5f), float16_t(-65504.0f)};
  auto hb = get<float16_t>(make(h));
  EXPECT_EQ(hb[0].bits, h[0].bits);
  EXPECT_EQ(hb[1].bits, h[1].bits);
  std::vector<bfloat16_t> bf{bfloat16_t(3.0f), bfloat16_t(-0.25f)};
  auto bb = get<bfloat16_t>(make(bf));
  EXPECT_EQ(bb[1].bits, bf[1].bits);
  EXPECT_EQ(get<float>(make<float>({1.25f})), (std::vector<float>{1.25f}));
  // Bool: any non-zero byte is true, normalized to 1.
  EXPECT_EQ(get_bool(make_bool({0, 1, 7}, {3})), (std::vector<uint8_t>{0, 1, 1}));
  EXPECT_EQ(get_bool(make_bool({0, 2, 255}, {3})), (std::vector<uint8_t>{0, 1, 1}));
}

TEST_P(BackendContract, ScalarAndEmptyTensors) {
  Tensor s = make<double>({2.5}, Shape{});
  EXPECT_EQ(s.shape(), Shape{});
  EXPECT_EQ(get<double>(s), (std::vector<double>{2.5}));
  Tensor e = make<float>({}, Shape{0, 3});
  EXPECT_EQ(e.shape(), (Shape{0, 3}));
  EXPECT_TRUE(get<float>(e).empty());
  EXPECT_EQ(be().full({0, 3}, DType::Float32, 1).size(), 0);
  EXPECT_EQ(get<int64_t>(be().full({}, DType::Int64, -5)), (std::vector<int64_t>{-5}));
}

TEST_P(BackendContract, FullCastsTheValue) {
  EXPECT_EQ(get<int32_t>(be().full({2}, DType::Int32, 3.7)), (std::vector<int32_t>{3, 3}));
  EXPECT_EQ(get<int32_t>(be().full({1}, DType::Int32, -3.7)), (std::vector<int32_t>{-3}));
  EXPECT_EQ(get<uint8_t>(be().full({1}, DType::UInt8, -5)), (std::vector<uint8_t>{0}));
  EXPECT_EQ(get<uint8_t>(be().full({2}, DType::UInt8, 300)), (std::vector<uint8_t>{255, 255}));
  EXPECT_EQ(get<uint64_t>(be().full({1}, DType::UInt64, 1.8e19)),
            (std::vector<uint64_t>{18000000000000000000ull}));
  EXPECT_EQ(get<uint16_t>(be().full({1}, DType::UInt16, 65535)), (std::vector<uint16_t>{65535}));
  EXPECT_EQ(get_bool(be().full({2}, DType::Bool, 0.5)), (std::vector<uint8_t>{1, 1}));
  Tensor f = be().full({2, 3}, DType::Float16, 0.1);
  EXPECT_EQ(f.shape(), (Shape{2, 3}));
  EXPECT_EQ(get<float16_t>(f)[5].bits, float16_t(0.1f).bits);
  auto big = get<double>(be().full({100000}, DType::Float64, 2.5));
  EXPECT_EQ(big.front(), 2.5);
  EXPECT_EQ(big.back(), 2.5);
}

TEST_P(BackendContract, ArangeComputesInDoubleThenCasts) {
  EXPECT_EQ(get<int32_t>(be().arange(0, 0.5, 5, DType::Int32)),
            (std::vector<int32_t>{0, 0, 1, 1, 2}));
  EXPECT_EQ(get<int64_t>(be().arange(0, 0.6, 4, DType::Int64)),
            (std::vector<int64_t>{0, 0, 1, 1}));  // 0, .6, 1.2, 1.8 truncated
  EXPECT_EQ(get<float>(be().arange(1, -0.25, 3, DType::Float32)),
            (std::vector<float>{1, 0.75f, 0.5f}));
  expect_close(as_double(be().arange(1.0, 0.5, 4, DType::Float32)), {1.0, 1.5, 2.0, 2.5});
  EXPECT_EQ(be().arange(0, 1, 0, DType::Float32).size(), 0);
}

TEST_P(BackendContract, CastFloatToIntegerSaturates) {
  Tensor x = make<double>({kNaN, 1e20, -1e20, 2.9, -2.9, 0.0, kInf});
  EXPECT_EQ(get<int32_t>(be().cast(x, DType::Int32)),
            (std::vector<int32_t>{0, INT32_MAX, INT32_MIN, 2, -2, 0, INT32_MAX}));
  EXPECT_EQ(get<uint8_t>(be().cast(x, DType::UInt8)),
            (std::vector<uint8_t>{0, 255, 0, 2, 0, 0, 255}));
  EXPECT_EQ(get<int64_t>(be().cast(x, DType::Int64))[1], INT64_MAX);
  EXPECT_EQ(get_bool(be().cast(x, DType::Bool)), (std::vector<uint8_t>{1, 1, 1, 1, 1, 0, 1}));
  Tensor y = make<double>({kNaN, 1e20, -1e20, -2.7, 2.7, 300.0, -1.0});
  EXPECT_EQ(get<int32_t>(be().cast(y, DType::Int32)),
            (std::vector<int32_t>{0, INT32_MAX, INT32_MIN, -2, 2, 300, -1}));
  EXPECT_EQ(get<uint8_t>(be().cast(y, DType::UInt8)),
            (std::vector<uint8_t>{0, 255, 0, 0, 2, 255, 0}));
  EXPECT_EQ(get<int64_t>(be().cast(y, DType::Int64)),
            (std::vector<int64_t>{0, INT64_MAX, INT64_MIN, -2, 2, 300, -1}));
  EXPECT_EQ(get<uint64_t>(be().cast(make<double>({1.5e19, 1e30}), DType::UInt64)),
            (std::vector<uint64_t>{15000000000000000000ull, UINT64_MAX}));
  EXPECT_EQ(get<uint32_t>(be().cast(make<float>({4e9f, -3.0f}), DType::UInt32)),
            (std::vector<uint32_t>{4000000000u, 0}));
  EXPECT_EQ(get_bool(be().cast(make<float>({0.0f, -0.0f}), DType::Bool)),
            (std::vector<uint8_t>{0, 0}));
  // Float16 to int goes through the same saturating path.
  EXPECT_EQ(get<int8_t>(be().cast(make_f({1000.0, -7.9}, {2}, DType::Float16), DType::Int8)),
            (std::vector<int8_t>{127, -7}));
}

TEST_P(BackendContract, CastBetweenIntegersIsModular) {
  EXPECT_EQ(get<int8_t>(be().cast(make<int32_t>({300, -129}), DType::Int8)),
            (std::vector<int8_t>{44, 127}));
  EXPECT_EQ(get<uint16_t>(be().cast(make<int32_t>({-1, 70000}), DType::UInt16)),
            (std::vector<uint16_t>{65535, 4464}));
  EXPECT_EQ(get<uint32_t>(be().cast(make<int64_t>({-1}), DType::UInt32)),
            (std::vector<uint32_t>{4294967295u}));
  EXPECT_EQ(get<uint64_t>(be().cast(make<int8_t>({-1}), DType::UInt64)),
            (std::vector<uint64_t>{UINT64_MAX}));
  EXPECT_EQ(get<int32_t>(be().cast(make<uint64_t>({UINT64_MAX}), DType::Int32)),
            (std::vector<int32_t>{-1}));
  // Unsigned 64 -> float reads the bits as unsigned.
  EXPECT_EQ(get<double>(be().cast(make<uint64_t>({UINT64_MAX, 1ull << 63}), DType::Float64)),
            (std::vector<double>{18446744073709551616.0, 9223372036854775808.0}));
}

TEST_P(BackendContract, CastBetweenFloatsAndBool) {
  auto h = be().cast(make<float>({1.5f, 65504.f, 1e6f, -0.0f}), DType::Float16);
  EXPECT_EQ(as_double(h), (std::vector<double>{1.5, 65504, kInf, 0}));
  auto bf = be().cast(make<float>({1.0f, 3.140625f}), DType::BFloat16);
  EXPECT_EQ(as_double(bf), (std::vector<double>{1.0, 3.140625}));
  // Float narrowing rounds to nearest even.
  EXPECT_EQ(get<float16_t>(be().cast(make<double>({1.0 + 1.0 / 2048}), DType::Float16))[0].bits,
            float16_t(1.0f).bits);
  EXPECT_EQ(get<float>(be().cast(make_bool({1, 0}, {2}), DType::Float32)),
            (std::vector<float>{1, 0}));
}

TEST_P(BackendContract, CastToTheSameDtypeSharesTheData) {
  Tensor x = make<double>({1.0, kNaN});
  Tensor s = be().cast(x, DType::Float64);
  EXPECT_EQ(s.impl()->storage, x.impl()->storage);
}

}  // namespace
}  // namespace keras::backend::contract
