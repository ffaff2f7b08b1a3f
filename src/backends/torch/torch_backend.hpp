#pragma once
// The "torch" backend: every kernel runs on LibTorch's ATen library (no torch autograd; gradients
// are ours, recorded in keras::autodiff). This header must not include ATen: only the backend's
// own translation units (torch_backend.cpp, torch_movement.cpp, torch_nn.cpp) see LibTorch, each
// through torch_common.hpp, because ATen's headers cost 10+ seconds per translation unit.
#include <span>
#include <string_view>
#include <utility>

#include "keras/backend/backend.hpp"

namespace at {
class Tensor;
}  // namespace at

namespace keras::backend::torch_backend {

// Where the backend's tensors live. Only the CPU is built today; the field exists so that a CUDA
// build of LibTorch can be supported without changing the storage layout.
struct TorchDevice {
  enum class Kind { CPU, CUDA };
  Kind kind = Kind::CPU;
  int index = -1;
};

class TorchBackend final : public Backend {
 public:
  explicit TorchBackend(TorchDevice device = {});

  std::string_view name() const override { return "torch"; }
  BackendInfo info() const override;
  bool has_native(FusedKernel kernel) const override;
  const TorchDevice& device() const { return device_; }

  // ---- memory (torch_backend.cpp) ----
  Tensor from_host_impl(const void* data, const Shape& shape, DType dtype) override;
  void to_host_impl(const Tensor& x, void* dst) override;
  Tensor full_impl(const Shape& shape, DType dtype, double value) override;
  Tensor arange_impl(double start, double step, int64_t n, DType dtype) override;

  // ---- elementwise and reductions (torch_backend.cpp) ----
  Tensor unary_impl(UnaryOp op, const Tensor& x) override;
  Tensor binary_impl(BinaryOp op, const Tensor& a, const Tensor& b) override;
  Tensor where_impl(const Tensor& cond, const Tensor& a, const Tensor& b) override;
  Tensor cast_impl(const Tensor& x, DType dtype) override;
  Tensor reduce_impl(ReduceOp op, const Tensor& x, std::span<const int> axes,
                     bool keepdims) override;
  Tensor arg_reduce_impl(ArgReduceOp op, const Tensor& x, int axis, bool keepdims) override;
  Tensor cumulative_impl(CumulativeOp op, const Tensor& x, int axis, bool reverse) override;

  // ---- data movement, indexing, sorting, matmul (torch_movement.cpp) ----
  Tensor reshape_impl(const Tensor& x, const Shape& shape) override;
  Tensor transpose_impl(const Tensor& x, std::span<const int> perm) override;
  Tensor broadcast_to_impl(const Tensor& x, const Shape& shape) override;
  Tensor slice_impl(const Tensor& x, std::span<const int64_t> start, std::span<const int64_t> step,
                    const Shape& out_shape) override;
  Tensor slice_update_impl(const Tensor& x, std::span<const int64_t> start,
                           const Tensor& update) override;
  Tensor pad_impl(const Tensor& x, std::span<const std::pair<int64_t, int64_t>> pads, PadMode mode,
                  double constant_value) override;
  Tensor concatenate_impl(std::span<const Tensor> xs, int axis) override;
  Tensor take_impl(const Tensor& x, const Tensor& indices, int axis) override;
  Tensor take_along_axis_impl(const Tensor& x, const Tensor& indices, int axis) override;
  Tensor index_add_impl(const Tensor& base, int axis, const Tensor& indices,
                        const Tensor& src) override;
  Tensor scatter_add_along_axis_impl(const Tensor& base, int axis, const Tensor& indices,
                                     const Tensor& src) override;
  Tensor scatter_nd_impl(const Tensor& base, const Tensor& indices, const Tensor& updates,
                         ScatterReduction reduction) override;
  std::pair<Tensor, Tensor> sort_impl(const Tensor& x, int axis, bool descending) override;
  Tensor matmul_impl(const Tensor& a, const Tensor& b) override;

  // ---- fused kernels (torch_nn.cpp) ----
  Tensor conv_impl(const Tensor& x, const Tensor& kernel, const ConvParams& p) override;
  Tensor conv_backprop_input_impl(const Tensor& grad, const Tensor& kernel, const Shape& x_shape,
                                  const ConvParams& p) override;
  Tensor conv_backprop_filter_impl(const Tensor& x, const Tensor& grad, const Shape& kernel_shape,
                                   const ConvParams& p) override;
  Tensor max_pool_impl(const Tensor& x, const PoolParams& p) override;
  Tensor max_pool_backward_impl(const Tensor& x, const Tensor& grad, const PoolParams& p) override;
  Tensor avg_pool_impl(const Tensor& x, const PoolParams& p) override;
  Tensor avg_pool_backward_impl(const Tensor& grad, const Shape& x_shape,
                                const PoolParams& p) override;
  Tensor softmax_impl(const Tensor& x, int axis) override;
  Tensor log_softmax_impl(const Tensor& x, int axis) override;
  // (torch_lstm.cpp)
  std::array<Tensor, 4> lstm_impl(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                  const Tensor& kernel, const Tensor& recurrent_kernel,
                                  const Tensor& bias) override;
  std::array<Tensor, 6> lstm_backward_impl(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                           const Tensor& kernel, const Tensor& recurrent_kernel,
                                           const Tensor& outputs, const Tensor& workspace,
                                           const Tensor& d_outputs, const Tensor& d_h,
                                           const Tensor& d_c) override;
  // (torch_gru.cpp)
  std::array<Tensor, 3> gru_impl(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                                 const Tensor& recurrent_kernel, const Tensor& input_bias,
                                 const Tensor& recurrent_bias) override;
  std::array<Tensor, 6> gru_backward_impl(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                                          const Tensor& recurrent_kernel, const Tensor& outputs,
                                          const Tensor& workspace, const Tensor& d_outputs,
                                          const Tensor& d_h) override;

  // Wraps an ATen tensor holding `dtype` (in its storage type, see torch_common.hpp) into a
  // keras tensor of this backend. Makes it contiguous first.
  Tensor wrap(const at::Tensor& t, DType dtype);

 private:
  TorchDevice device_;
};

}  // namespace keras::backend::torch_backend
