// Agreement with the cpu backend: every other backend runs each kernel on the same host inputs
// as the cpu backend, over every dtype and NaN/inf/rounding-edge values; results must match
// (integers bit for bit). Refusing a dtype is agreement only if both refuse it.
#include <cmath>

#include "backend/contract/contract.hpp"

namespace keras::backend::contract {
namespace {

const std::vector<double> kSpecials{0.0,  -0.0, 0.5,   1.5, 2.5,  -2.5,  1e30,   -1e30,
                                    kNaN, kInf, -kInf, 3.7, -3.7, 100.0, -100.0, 1e-8};

TEST_P(BackendContract, AgreesWithCpuElementwise) {
  if (is_reference()) GTEST_SKIP() << "the cpu backend is the reference";
  for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16, DType::Int8,
                   DType::Int16, DType::Int32, DType::Int64, DType::UInt8, DType::UInt16,
                   DType::UInt32, DType::UInt64, DType::Bool}) {
    auto v = random_values(48, 7, -6, 6);
    v.insert(v.end(), kSpecials.begin(), kSpecials.end());
    if (!is_floating(dt)) {
      for (auto& x : v)
        if (std::isnan(x) || std::isinf(x) || std::abs(x) > 1e6) x = -3;
    }
    Tensor a = make_f(v, {static_cast<int64_t>(v.size())}, dt);
    std::vector<double> w(v.rbegin(), v.rend());
    Tensor b = make_f(w, {static_cast<int64_t>(w.size())}, dt);
    const double tol = dt == DType::Float16 || dt == DType::BFloat16 ? 1e-2
                       : dt == DType::Float32                        ? 1e-5
                                                                     : 1e-12;
    for (int k = 0; k < kNumUnaryOps; ++k) {
      UnaryOp op = static_cast<UnaryOp>(k);
      bool floating_only = op >= UnaryOp::Sqrt && op <= UnaryOp::LogSigmoid;
      if (floating_only && !is_floating(dt)) continue;
      if (op == UnaryOp::BitwiseNot && is_floating(dt)) continue;
      compare_with_cpu(
          std::string(dtype_name(dt)) + " " + std::string(unary_op_name(op)), {a},
          [op](Backend& be, const std::vector<Tensor>& in) { return be.unary(op, in[0]); }, tol);
    }
    for (int k = 0; k < kNumBinaryOps; ++k) {
      BinaryOp op = static_cast<BinaryOp>(k);
      if ((op == BinaryOp::Divide || op == BinaryOp::Arctan2) && !is_floating(dt)) continue;
      if (op >= BinaryOp::BitwiseAnd && is_floating(dt)) continue;
      compare_with_cpu(
          std::string(dtype_name(dt)) + " " + std::string(binary_op_name(op)), {a, b},
          [op](Backend& be, const std::vector<Tensor>& in) { return be.binary(op, in[0], in[1]); },
          tol);
    }
    for (DType to : {DType::Bool, DType::Int8, DType::UInt8, DType::Int32, DType::UInt32,
                     DType::Int64, DType::UInt64, DType::Float16, DType::Float32}) {
      compare_with_cpu(
          std::string(dtype_name(dt)) + " cast to " + std::string(dtype_name(to)), {a},
          [to](Backend& be, const std::vector<Tensor>& in) { return be.cast(in[0], to); }, tol);
    }
  }
}

TEST_P(BackendContract, AgreesWithCpuReductionsSortAndMovement) {
  if (is_reference()) GTEST_SKIP() << "the cpu backend is the reference";
  for (DType dt : {DType::Float32, DType::Float64, DType::Int32, DType::UInt8, DType::Int64}) {
    auto v = random_values(60, 11, -5, 5);
    Tensor x = be().reshape(make_f(v, {60}, dt), {3, 4, 5});
    const double tol = dt == DType::Float32 ? 1e-5 : 1e-12;
    for (int r = 0; r < 6; ++r) {
      ReduceOp op = static_cast<ReduceOp>(r);
      for (std::vector<int> axes : {std::vector<int>{1}, std::vector<int>{0, 2}})
        compare_with_cpu(
            "reduce " + std::to_string(r), {x},
            [op, axes](Backend& be, const std::vector<Tensor>& in) {
              return be.reduce(op, in[0], axes, true);
            },
            tol);
    }
    for (int axis = 0; axis < 3; ++axis) {
      compare_with_cpu(
          "argmax", {x},
          [axis](Backend& be, const std::vector<Tensor>& in) {
            return be.arg_reduce(ArgReduceOp::ArgMax, in[0], axis, false);
          },
          0);
      compare_with_cpu(
          "argmin", {x},
          [axis](Backend& be, const std::vector<Tensor>& in) {
            return be.arg_reduce(ArgReduceOp::ArgMin, in[0], axis, true);
          },
          0);
      for (int c = 0; c < 4; ++c)
        compare_with_cpu(
            "cumulative " + std::to_string(c), {x},
            [axis, c](Backend& be, const std::vector<Tensor>& in) {
              return be.cumulative(static_cast<CumulativeOp>(c), in[0], axis, c % 2 == 1);
            },
            tol);
      compare_with_cpu(
          "sort values", {x},
          [axis](Backend& be, const std::vector<Tensor>& in) {
            return be.sort(in[0], axis, axis == 1).first;
          },
          0);
      compare_with_cpu(
          "sort indices", {x},
          [axis](Backend& be, const std::vector<Tensor>& in) {
            return be.sort(in[0], axis, axis == 1).second;
          },
          0);
    }
    using Pads = std::vector<std::pair<int64_t, int64_t>>;
    for (const auto& [mode, pads] : {std::pair{PadMode::Reflect, Pads{{1, 2}, {0, 3}, {4, 1}}},
                                     std::pair{PadMode::Symmetric, Pads{{2, 2}, {1, 0}, {0, 5}}}})
      compare_with_cpu(
          mode == PadMode::Reflect ? "pad reflect" : "pad symmetric", {x},
          [&](Backend& be, const std::vector<Tensor>& in) { return be.pad(in[0], pads, mode, 0); },
          0);
    compare_with_cpu(
        "slice", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<int64_t> start{2, 0, 4}, step{-1, 3, -2};
          return be.slice(in[0], start, step, {3, 2, 3});
        },
        0);
    compare_with_cpu(
        "transpose", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<int> perm{2, 0, 1};
          return be.transpose(in[0], perm);
        },
        0);
  }
}

TEST_P(BackendContract, AgreesWithCpuFusedKernels) {
  if (is_reference()) GTEST_SKIP() << "the cpu backend is the reference";
  auto xv = random_values(2 * 7 * 6 * 4, 21, -2.0, 2.0);
  auto wv = random_values(3 * 3 * 2 * 6, 22, -2.0, 2.0);
  Tensor x = make_f(xv, {2, 7, 6, 4}, DType::Float32);
  Tensor w = make_f(wv, {3, 3, 2, 6}, DType::Float32);
  ConvParams p{{2, 1}, {1, 2}, {{1, 1}, {2, 1}}, 2};
  compare_with_cpu(
      "conv", {x, w},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.conv(in[0], in[1], p); }, 1e-4);
  PoolParams pp{{3, 2}, {2, 2}, {{1, 1}, {0, 1}}};
  compare_with_cpu(
      "max_pool", {x},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.max_pool(in[0], pp); }, 1e-6);
  compare_with_cpu(
      "avg_pool", {x},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.avg_pool(in[0], pp); }, 1e-5);
  compare_with_cpu(
      "softmax", {x},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.softmax(in[0], 3); }, 1e-5);
  compare_with_cpu(
      "log_softmax", {x},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.log_softmax(in[0], 1); }, 1e-5);
}

TEST_P(BackendContract, AgreesWithCpuIndexingScatterMatmulAndGradients) {
  if (is_reference()) GTEST_SKIP() << "the cpu backend is the reference";
  for (DType dt : {DType::Float32, DType::Float64, DType::Int32, DType::UInt16, DType::Bool}) {
    const double tol = dt == DType::Float32 ? 1e-5 : 1e-12;
    Tensor x = be().reshape(make_f(random_values(24, 31, -4, 4), {24}, dt), {2, 3, 4});
    Tensor idx = make<int64_t>({3, -1, 0, 2, 2, -4}, {2, 3});
    compare_with_cpu(
        "take", {x, idx},
        [](Backend& be, const std::vector<Tensor>& in) { return be.take(in[0], in[1], 2); }, 0);
    Tensor along = make<int32_t>({0, 2, 1, -1, 0, 0, 2, 1, 1, 0, 2, 2}, {2, 3, 2});
    compare_with_cpu(
        "take_along_axis", {x, along},
        [](Backend& be, const std::vector<Tensor>& in) {
          return be.take_along_axis(in[0], in[1], 2);
        },
        0);
    Tensor src = be().reshape(make_f(random_values(12, 32, -4, 4), {12}, dt), {2, 3, 2});
    compare_with_cpu(
        "scatter_add_along_axis", {x, along, src},
        [](Backend& be, const std::vector<Tensor>& in) {
          return be.scatter_add_along_axis(in[0], 2, in[1], in[2]);
        },
        tol);
    Tensor src2 = be().reshape(make_f(random_values(16, 33, -4, 4), {16}, dt), {2, 2, 4});
    compare_with_cpu(
        "index_add", {x, make<int32_t>({2, 2}), src2},
        [](Backend& be, const std::vector<Tensor>& in) {
          return be.index_add(in[0], 1, in[1], in[2]);
        },
        tol);
    Tensor nd = make<int32_t>({1, 2, 0, 0, 1, 2, -1, 1}, {4, 2});
    Tensor upd = be().reshape(make_f(random_values(16, 34, -4, 4), {16}, dt), {4, 4});
    for (int r = 0; r < 5; ++r)
      compare_with_cpu(
          "scatter_nd " + std::to_string(r), {x, nd, upd},
          [r](Backend& be, const std::vector<Tensor>& in) {
            return be.scatter_nd(in[0], in[1], in[2], static_cast<ScatterReduction>(r));
          },
          tol);
    Tensor m1 = be().reshape(make_f(random_values(30, 35, -3, 3), {30}, dt), {2, 3, 5});
    Tensor m2 = be().reshape(make_f(random_values(20, 36, -3, 3), {20}, dt), {2, 5, 2});
    compare_with_cpu(
        "matmul", {m1, m2},
        [](Backend& be, const std::vector<Tensor>& in) { return be.matmul(in[0], in[1]); }, tol);
    compare_with_cpu(
        "pad constant", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<std::pair<int64_t, int64_t>> p{{1, 0}, {0, 2}, {3, 1}};
          return be.pad(in[0], p, PadMode::Constant, 2.5);
        },
        0);
    compare_with_cpu(
        "broadcast_to", {x},
        [](Backend& be, const std::vector<Tensor>& in) {
          return be.broadcast_to(in[0], {3, 2, 3, 4});
        },
        0);
    compare_with_cpu(
        "slice_update", {x, src},
        [](Backend& be, const std::vector<Tensor>& in) {
          std::vector<int64_t> start{0, 0, 1};
          return be.slice_update(in[0], start, in[1]);
        },
        0);
  }
  // Convolution and pooling gradients, 1-D to 3-D.
  ConvParams p1{{2}, {1}, {{1, 2}}, 1};
  Tensor x1 = make_f(random_values(2 * 9 * 4, 41, -2.0, 2.0), {2, 9, 4}, DType::Float32);
  Tensor w1 = make_f(random_values(3 * 4 * 5, 42, -2.0, 2.0), {3, 4, 5}, DType::Float32);
  Tensor g1 = be().conv(x1, w1, p1);
  Tensor gr = make_f(random_values(static_cast<size_t>(g1.size()), 43, -2.0, 2.0), g1.shape(),
                     DType::Float32);
  compare_with_cpu(
      "conv_backprop_input", {gr, w1},
      [&](Backend& be, const std::vector<Tensor>& in) {
        return be.conv_backprop_input(in[0], in[1], x1.shape(), p1);
      },
      1e-4);
  compare_with_cpu(
      "conv_backprop_filter", {x1, gr},
      [&](Backend& be, const std::vector<Tensor>& in) {
        return be.conv_backprop_filter(in[0], in[1], w1.shape(), p1);
      },
      1e-4);
  ConvParams p3{{1, 2, 1}, {2, 1, 1}, {{2, 2}, {0, 1}, {1, 1}}, 2};
  Tensor x3 =
      make_f(random_values(1 * 5 * 4 * 3 * 4, 44, -2.0, 2.0), {1, 5, 4, 3, 4}, DType::Float64);
  Tensor w3 =
      make_f(random_values(2 * 2 * 3 * 2 * 6, 45, -2.0, 2.0), {2, 2, 3, 2, 6}, DType::Float64);
  compare_with_cpu(
      "conv 3-D", {x3, w3},
      [&](Backend& be, const std::vector<Tensor>& in) { return be.conv(in[0], in[1], p3); }, 1e-12);
  for (auto [xs, pp] : std::vector<std::pair<Shape, PoolParams>>{
           {{2, 9, 3}, {{3}, {2}, {{1, 1}}}},
           {{1, 5, 6, 2}, {{2, 2}, {2, 2}, {{0, 1}, {0, 0}}}},
           {{1, 3, 4, 5, 2}, {{2, 2, 2}, {1, 2, 2}, {{0, 1}, {0, 0}, {0, 1}}}}}) {
    Tensor x = make_f(random_values(static_cast<size_t>(xs.num_elements()), 46, -2.0, 2.0), xs,
                      DType::Float64);
    Tensor y = be().max_pool(x, pp);
    Tensor g = make_f(random_values(static_cast<size_t>(y.size()), 47, -2.0, 2.0), y.shape(),
                      DType::Float64);
    compare_with_cpu(
        "max_pool_backward " + xs.to_string(), {x, g},
        [&](Backend& be, const std::vector<Tensor>& in) {
          return be.max_pool_backward(in[0], in[1], pp);
        },
        1e-12);
    compare_with_cpu(
        "avg_pool_backward " + xs.to_string(), {g},
        [&](Backend& be, const std::vector<Tensor>& in) {
          return be.avg_pool_backward(in[0], xs, pp);
        },
        1e-12);
    compare_with_cpu(
        "avg_pool " + xs.to_string(), {x},
        [&](Backend& be, const std::vector<Tensor>& in) { return be.avg_pool(in[0], pp); }, 1e-12);
  }
  for (DType dt : {DType::Float16, DType::Int32, DType::UInt64, DType::Float64}) {
    compare_with_cpu(
        "full", {},
        [dt](Backend& be, const std::vector<Tensor>&) {
          return be.full({2, 2}, dt, -7.6);
        },
        0);
    compare_with_cpu(
        "arange", {},
        [dt](Backend& be, const std::vector<Tensor>&) { return be.arange(-3.0, 0.7, 9, dt); }, 0);
  }
}
}  // namespace
}  // namespace keras::backend::contract
