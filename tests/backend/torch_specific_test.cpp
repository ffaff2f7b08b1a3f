// What only the torch backend does, beyond the contract suite (tests/backend/contract/): LibTorch
// 1.13 in its info, no native attention, handles it returns unchanged, ATen's errors translated.
#include <gtest/gtest.h>

#include <algorithm>

#include "keras/backend/backend.hpp"

namespace keras::backend {
namespace {

class TorchSpecific : public ::testing::Test {
 protected:
  void SetUp() override {
    auto names = available_backends();
    if (std::find(names.begin(), names.end(), "torch") == names.end())
      GTEST_SKIP() << "the torch backend is not built";
    be = &get_backend("torch");
  }
  Backend* be = nullptr;
};

TEST_F(TorchSpecific, InfoAndNativeKernels) {
  BackendInfo info = be->info();
  EXPECT_EQ(info.device.rfind("CPU (LibTorch 1.13", 0), 0u) << info.device;
  EXPECT_NE(info.libraries.find("(ATen)"), std::string::npos) << info.libraries;
  // ATen 1.13 has no scaled_dot_product_attention: attention runs the composite kernels.
  for (int k = 0; k < kNumFusedKernels; ++k) {
    auto kernel = static_cast<FusedKernel>(k);
    bool attention = kernel == FusedKernel::DotProductAttention ||
                     kernel == FusedKernel::DotProductAttentionBackward;
    EXPECT_EQ(be->has_native(kernel), !attention) << fused_kernel_name(kernel);
  }
}

TEST_F(TorchSpecific, NoOpCastAndReductionReturnTheSameTensor) {
  Tensor x = be->arange(0, 1, 6, DType::Float64);
  EXPECT_EQ(be->cast(x, DType::Float64).impl(), x.impl());
  EXPECT_EQ(be->reduce(ReduceOp::Sum, x, std::vector<int>{}, false).impl(), x.impl());
}

// The cpu backend reports these as ValueError.
TEST_F(TorchSpecific, AtenShapeErrorsAreRuntimeErrors) {
  EXPECT_THROW(be->reshape(be->arange(0, 1, 6, DType::Float32), {4, 2}), RuntimeError);
  EXPECT_THROW(be->matmul(be->full({1, 2}, DType::Float32, 1), be->full({3, 1}, DType::Float32, 1)),
               RuntimeError);
}

}  // namespace
}  // namespace keras::backend
