#pragma once
// The `cpu` backend: our own OpenMP loops for the primitive kernels, oneDNN for float32 matmul,
// convolution, pooling and softmax, OpenBLAS for float64 matmul. Tensors are dense, row-major
// and own (or share, after a reshape or a no-op cast) one 64-byte aligned CpuStorage buffer.
#include "keras/backend/backend.hpp"

namespace keras::backend::cpu {

class CpuBackend final : public Backend {
 public:
  CpuBackend();
  ~CpuBackend() override;

  std::string_view name() const override { return "cpu"; }
  BackendInfo info() const override;
  bool has_native(FusedKernel kernel) const override;

  // ---- memory (memory.cpp) ----
  Tensor from_host_impl(const void* data, const Shape& shape, DType dtype) override;
  void to_host_impl(const Tensor& x, void* dst) override;
  Tensor full_impl(const Shape& shape, DType dtype, double value) override;
  Tensor arange_impl(double start, double step, int64_t n, DType dtype) override;
  Tensor cast_impl(const Tensor& x, DType dtype) override;

  // ---- elementwise (elementwise_unary.cpp, elementwise_binary.cpp) ----
  Tensor unary_impl(UnaryOp op, const Tensor& x) override;
  Tensor binary_impl(BinaryOp op, const Tensor& a, const Tensor& b) override;
  Tensor where_impl(const Tensor& cond, const Tensor& a, const Tensor& b) override;

  // ---- reductions (reduce.cpp) ----
  Tensor reduce_impl(ReduceOp op, const Tensor& x, std::span<const int> axes,
                     bool keepdims) override;
  Tensor arg_reduce_impl(ArgReduceOp op, const Tensor& x, int axis, bool keepdims) override;
  Tensor cumulative_impl(CumulativeOp op, const Tensor& x, int axis, bool reverse) override;

  // ---- data movement (movement.cpp) ----
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

  // ---- indexing (indexing.cpp) ----
  Tensor take_impl(const Tensor& x, const Tensor& indices, int axis) override;
  Tensor take_along_axis_impl(const Tensor& x, const Tensor& indices, int axis) override;
  Tensor index_add_impl(const Tensor& base, int axis, const Tensor& indices,
                        const Tensor& src) override;
  Tensor scatter_add_along_axis_impl(const Tensor& base, int axis, const Tensor& indices,
                                     const Tensor& src) override;
  Tensor scatter_nd_impl(const Tensor& base, const Tensor& indices, const Tensor& updates,
                         ScatterReduction reduction) override;
  std::pair<Tensor, Tensor> sort_impl(const Tensor& x, int axis, bool descending) override;

  // ---- linear algebra (matmul.cpp) ----
  Tensor matmul_impl(const Tensor& a, const Tensor& b) override;

  // ---- native fused kernels (conv.cpp, pool.cpp, softmax.cpp) ----
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
  // (attention.cpp)
  std::pair<Tensor, Tensor> dot_product_attention_impl(const Tensor& query, const Tensor& key,
                                                       const Tensor& value, const Tensor& bias,
                                                       const Tensor& mask,
                                                       const AttentionParams& p) override;
  std::array<Tensor, 3> dot_product_attention_backward_impl(const Tensor& query, const Tensor& key,
                                                            const Tensor& value, const Tensor& bias,
                                                            const Tensor& mask,
                                                            const Tensor& output, const Tensor& lse,
                                                            const Tensor& grad,
                                                            const AttentionParams& p) override;
  // (lstm.cpp)
  std::array<Tensor, 4> lstm_impl(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                  const Tensor& kernel, const Tensor& recurrent_kernel,
                                  const Tensor& bias) override;
  std::array<Tensor, 6> lstm_backward_impl(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                           const Tensor& kernel, const Tensor& recurrent_kernel,
                                           const Tensor& outputs, const Tensor& workspace,
                                           const Tensor& d_outputs, const Tensor& d_h,
                                           const Tensor& d_c) override;
  // (gru.cpp)
  std::array<Tensor, 3> gru_impl(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                                 const Tensor& recurrent_kernel, const Tensor& input_bias,
                                 const Tensor& recurrent_bias) override;
  std::array<Tensor, 6> gru_backward_impl(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                                          const Tensor& recurrent_kernel, const Tensor& outputs,
                                          const Tensor& workspace, const Tensor& d_outputs,
                                          const Tensor& d_h) override;

  // ---- helpers shared by the kernel files ----
  // A new tensor with uninitialized (64-byte aligned) storage.
  Tensor empty(const Shape& shape, DType dtype);
  // A new tensor handle (new id) sharing x's storage, with `shape` (same number of elements).
  Tensor alias(const Tensor& x, const Shape& shape);

  struct Caches;  // oneDNN engine, stream and primitive caches (dnnl_context.hpp)

 private:
  std::unique_ptr<Caches> caches_;
  friend Caches& caches(CpuBackend& be);
};

}  // namespace keras::backend::cpu
