// Errors are part of the contract: the exception type and the words of the message (the op, the
// backend, the dtype, the shapes or the index at fault).
#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

TEST_P(BackendContract, ErrorsNameTheOpAndTheDtype) {
  const std::string backend_words = GetParam() + " backend";
  expect_error<TypeError>([&] { be().unary(UnaryOp::Sqrt, make<int32_t>({4})); },
                          {backend_words, "sqrt", "int32"});
  expect_error<TypeError>([&] { be().unary(UnaryOp::BitwiseNot, make<float>({4})); },
                          {"bitwise_not", "float32"});
  expect_error<TypeError>([&] { be().unary(UnaryOp::Erfinv, make_bool({1}, {1})); },
                          {"erfinv", "bool"});
  expect_error<TypeError>(
      [&] { be().binary(BinaryOp::Divide, make<int32_t>({1}), make<int32_t>({1})); },
      {"divide", "int32"});
  Tensor f = make<float>({1, 2});
  expect_error<TypeError>([&] { be().binary(BinaryOp::LeftShift, f, f); },
                          {"left_shift", "float32"});
  expect_error<TypeError>([&] { be().binary(BinaryOp::BitwiseAnd, f, f); },
                          {"bitwise_and", "float32"});
  expect_error<TypeError>([&] { be().softmax(make<int32_t>({1, 2}), 0); }, {"softmax", "int32"});
  expect_error<TypeError>(
      [&] {
        be().log_softmax(make<int32_t>({1, 2}), 0);
      },
      {"log_softmax", "int32"});
}

// The cpu backend throws ValueError for all of these; the torch backend passes ATen's message on
// as RuntimeError except for pad (see the backend-specific tests).
TEST_P(BackendContract, ErrorsNameTheOpAndTheShapes) {
  Tensor a = make<double>({0, 1, 2, 3, 4, 5}, {2, 1, 3});
  expect_error<Error>([&] { be().binary(BinaryOp::Add, a, make<double>({1, 2})); }, {"add"});
  expect_error<Error>(
      [&] {
        be().broadcast_to(make<int8_t>({1, 2, 3}, {3, 1}), {2, 3});
      },
      {"broadcast"});
  Tensor c = make<int16_t>({1, 2, 3, 4}, {2, 2});
  expect_error<Error>(
      [&] {
        be().concatenate(std::vector<Tensor>{c, make<int16_t>({1, 2, 3}, {3, 1})}, 1);
      },
      {"concatenate"});
  expect_error<Error>(
      [&] {
        be().concatenate(std::vector<Tensor>{make<float>({1}, {1, 1}), make<float>({1, 2}, {1, 2})},
                         0);
      },
      {"concatenate"});
  expect_error<Error>(
      [&] {
        be().conv(be().full({1, 5, 3}, DType::Float32, 0), be().full({2, 4, 2}, DType::Float32, 0),
                  ConvParams{{1}, {1}, {{0, 0}}, 1});
      },
      {"conv"});
  expect_error<ValueError>(
      [&] {
        be().pad(make<float>({}, {0}), std::vector<std::pair<int64_t, int64_t>>{{2, 3}},
                 PadMode::Reflect, 0);
      },
      {"pad"});
}

TEST_P(BackendContract, EmptyMaxMinAndArgReduceAreErrors) {
  for (const Tensor& e : {be().full({0, 3}, DType::Float32, 0), make<float>({}, {0, 2})}) {
    const std::string shape = e.shape().to_string();
    expect_error<ValueError>([&] { be().reduce(ReduceOp::Max, e, std::vector<int>{0}, false); },
                             {"ops::max", shape});
    for (bool keepdims : {false, true})
      expect_error<ValueError>(
          [&] {
            be().reduce(ReduceOp::Min, e, std::vector<int>{0, 1}, keepdims);
          },
          {"min", shape});
  }
  Tensor e3 = be().full({2, 0}, DType::Float32, 0);
  expect_error<ValueError>([&] { be().arg_reduce(ArgReduceOp::ArgMax, e3, 1, false); }, {"argmax"});
  expect_error<ValueError>([&] { be().arg_reduce(ArgReduceOp::ArgMin, e3, 1, false); }, {"argmin"});
}

TEST_P(BackendContract, OutOfRangeIndicesNameTheOpAndTheIndex) {
  Tensor x = be().reshape(be().arange(0, 1, 12, DType::Float32), {3, 4});
  expect_error<IndexError>([&] { be().take(x, make<int32_t>({5}), 0); }, {"take", "5", "size 3"});
  expect_error<IndexError>([&] { be().take(x, make<int32_t>({-5}), 1); }, {"take", "-5"});
  Tensor y = be().reshape(be().arange(0, 1, 6, DType::Float32), {2, 3});
  expect_error<IndexError>(
      [&] {
        be().take(y, make<int32_t>({0, 3, -5}), 1);
      },
      {"take", "index 3", "size 3"});
  expect_error<IndexError>([&] { be().take(y, make<int32_t>({-4}), 1); }, {"take", "-4"});
  expect_error<IndexError>(
      [&] {
        be().take_along_axis(y, make<int32_t>({3, 0, 0, 0}, {2, 2}), 1);
      },
      {"take_along_axis", "3"});
  expect_error<IndexError>(
      [&] {
        be().index_add(be().full({2, 3}, DType::Float32, 0), 0, make<int64_t>({2}),
                       make<float>({1, 1, 1}, {1, 3}));
      },
      {"index_add", "2"});
  Tensor b2 = be().full({2, 3}, DType::Int32, 0);
  expect_error<IndexError>(
      [&] {
        be().scatter_nd(b2, make<int64_t>({2}, {1, 1}), make<int32_t>({1, 2, 3}, {1, 3}),
                        ScatterReduction::Set);
      },
      {"scatter_nd", "2"});
  expect_error<IndexError>(
      [&] {
        be().scatter_nd(be().full({3, 2}, DType::Float32, 1), make<int32_t>({3}, {1, 1}),
                        make<float>({1, 1}, {1, 2}), ScatterReduction::Set);
      },
      {"index 3"});
}

// Shape errors the ops layer normally catches first; the exception type differs as above.
TEST_P(BackendContract, ReshapeAndMatmulShapeErrorsNameTheOp) {
  expect_error<Error>([&] { be().reshape(be().arange(0, 1, 6, DType::Float32), {4}); },
                      {"reshape"});
  expect_error<Error>(
      [&] {
        be().reshape(be().arange(0, 1, 6, DType::Float32), {4, 2});
      },
      {"reshape"});
  Tensor a = make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  expect_error<Error>([&] { be().matmul(a, a); }, {"matmul"});
  expect_error<Error>(
      [&] {
        be().matmul(make<float>({1, 2}, {1, 2}), make<float>({1, 2, 3}, {3, 1}));
      },
      {"matmul"});
}

}  // namespace
}  // namespace keras::backend::contract
