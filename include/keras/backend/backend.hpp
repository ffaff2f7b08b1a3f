#pragma once
// The Backend interface: the small set of primitive kernels every compute engine implements, plus
// optional fused kernels with composite defaults. keras::ops validates arguments, promotes dtypes,
// infers shapes and records gradients before it calls a kernel, so kernels may assume:
//  - every input tensor lives on this backend and is concrete (not symbolic);
//  - binary/where operands already share one dtype (the promoted one), `cond` is bool;
//  - axes are normalized (0 <= axis < rank), sorted and unique where a list is taken;
//  - shapes are compatible as documented per kernel.
// Kernels return new tensors and never modify their inputs. A kernel that cannot do what is asked
// (a dtype it does not support) throws keras::TypeError/NotImplementedError naming the op.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::backend {

enum class UnaryOp {
  // same dtype out
  Negative,
  Abs,
  Sign,
  Square,
  Reciprocal,
  Floor,
  Ceil,
  Round /* half to even */,
  Trunc,
  // floating inputs only, same dtype out
  Sqrt,
  Rsqrt,
  Exp,
  Exp2,
  Expm1,
  Log,
  Log1p,
  Log2,
  Log10,
  Sin,
  Cos,
  Tan,
  Arcsin,
  Arccos,
  Arctan,
  Sinh,
  Cosh,
  Tanh,
  Arcsinh,
  Arccosh,
  Arctanh,
  Erf,
  Erfinv,
  Sigmoid,
  Softplus /* log(1+e^x) */,
  Relu,
  Silu,
  GeluExact,
  GeluTanh,
  LogSigmoid,
  // bool out
  LogicalNot,
  IsNan,
  IsInf,
  IsFinite,
  // integer and bool only
  BitwiseNot,
};
inline constexpr int kNumUnaryOps = static_cast<int>(UnaryOp::BitwiseNot) + 1;
std::string_view unary_op_name(UnaryOp op);

enum class BinaryOp {
  // same dtype out
  Add,
  Subtract,
  Multiply,
  Divide /* true division; floating only */,
  FloorDivide,
  Mod /* sign of
divisor, as Python/NumPy */
  ,
  Power,
  Maximum,
  Minimum,
  Arctan2,
  Fmod /* sign of dividend */,
  // bool out
  Equal,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  LogicalAnd,
  LogicalOr,
  LogicalXor,
  // integer and bool only, same dtype out
  BitwiseAnd,
  BitwiseOr,
  BitwiseXor,
  LeftShift,
  RightShift,
};
inline constexpr int kNumBinaryOps = static_cast<int>(BinaryOp::RightShift) + 1;
std::string_view binary_op_name(BinaryOp op);
bool binary_op_returns_bool(BinaryOp op);
bool unary_op_returns_bool(UnaryOp op);

enum class ReduceOp { Sum, Prod, Max, Min, Any, All };
enum class ArgReduceOp { ArgMax, ArgMin };
enum class CumulativeOp { Sum, Prod, Max, Min };
enum class PadMode { Constant, Reflect, Symmetric };
enum class ScatterReduction { Set, Add, Max, Min, Multiply };

// Convolution over N spatial dims, channels_last: x (batch, *spatial, in_channels), kernel
// (*kernel_spatial, in_channels / groups, out_channels), as Keras stores kernels.
struct ConvParams {
  std::vector<int64_t> strides;                      // one per spatial dim
  std::vector<int64_t> dilation;                     // one per spatial dim
  std::vector<std::pair<int64_t, int64_t>> padding;  // (before, after) per spatial dim
  int64_t groups = 1;
};

// Pooling over N spatial dims, channels_last. Average pooling divides by the number of
// non-padding elements in each window (TensorFlow/JAX "same" semantics, as Keras computes).
struct PoolParams {
  std::vector<int64_t> pool_size;
  std::vector<int64_t> strides;
  std::vector<std::pair<int64_t, int64_t>> padding;
};

// Optional kernels a backend may implement natively; the others fall back to composites.
enum class FusedKernel {
  Conv,
  ConvBackpropInput,
  ConvBackpropFilter,
  MaxPool,
  MaxPoolBackward,
  AvgPool,
  AvgPoolBackward,
  Softmax,
  LogSoftmax,
  DotProductAttention,
  DotProductAttentionBackward
};
inline constexpr int kNumFusedKernels =
    static_cast<int>(FusedKernel::DotProductAttentionBackward) + 1;
std::string_view fused_kernel_name(FusedKernel k);

// Scaled dot-product attention in Keras's layout (ops::dot_product_attention): query (B, T, N, H),
// key and value (B, S, K, H), N a multiple of K (query head n reads key/value head n / (N / K)).
// bias (the query's dtype) and mask (bool) are undefined or rank 4 with each dim 1 or equal to
// (B, N, T, S)'s. logits = scale * q.k + bias; where mask is false, or s > t when is_causal,
// a logit becomes kAttentionMaskedLogit (Keras's large negative, not -inf: a fully masked row
// attends uniformly to every key).
struct AttentionParams {
  double scale = 1.0;
  bool is_causal = false;
};
inline constexpr double kAttentionMaskedLogit = -0.7 * 3.38953e38;

struct BackendInfo {
  std::string name;
  std::string device;  // "CPU (x86_64, AVX2)", "CPU (LibTorch 1.13.1)", ...
  int num_threads = 1;
  std::string libraries;  // what it is built on: "oneDNN 2.6.3, OpenBLAS 0.3.21"
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  virtual BackendInfo info() const = 0;
  virtual bool has_native(FusedKernel kernel) const = 0;

  // ---- memory ----
  // Copies row-major data of `dtype` into a new tensor (bool is one byte per element, 0 or 1).
  virtual Tensor from_host(const void* data, const Shape& shape, DType dtype) = 0;
  // Copies x (row-major, its own dtype) into dst, which holds x.size() * dtype_size bytes.
  virtual void to_host(const Tensor& x, void* dst) = 0;
  virtual Tensor full(const Shape& shape, DType dtype, double value) = 0;
  // start, start + step, ... (n values), computed in double then cast, as NumPy does.
  virtual Tensor arange(double start, double step, int64_t n, DType dtype) = 0;

  // ---- elementwise ----
  virtual Tensor unary(UnaryOp op, const Tensor& x) = 0;
  // a and b share a dtype; the result has their broadcast shape.
  virtual Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b) = 0;
  // cond is bool; a and b share a dtype; all three broadcast together.
  virtual Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) = 0;
  // C semantics: float -> int truncates toward zero (NaN/out of range is unspecified but must
  // not crash), anything -> bool is (x != 0).
  virtual Tensor cast(const Tensor& x, DType dtype) = 0;

  // ---- reductions ----
  // axes: sorted, unique, may be empty (then returns x unchanged). Sum/Prod keep x's dtype; Any/All
  // return bool. Max/Min of an empty reduction throw ValueError naming the op.
  virtual Tensor reduce(ReduceOp op, const Tensor& x, std::span<const int> axes, bool keepdims) = 0;
  // int32 indices of the first maximum/minimum along axis (NaN counts as the maximum/minimum).
  virtual Tensor arg_reduce(ArgReduceOp op, const Tensor& x, int axis, bool keepdims) = 0;
  virtual Tensor cumulative(CumulativeOp op, const Tensor& x, int axis, bool reverse) = 0;

  // ---- data movement ----
  virtual Tensor reshape(const Tensor& x, const Shape& shape) = 0;  // same number of elements
  virtual Tensor transpose(const Tensor& x, std::span<const int> perm) = 0;
  virtual Tensor broadcast_to(const Tensor& x, const Shape& shape) = 0;
  // out[i] = x[start + i * step] per axis; steps are non-zero and may be negative; the caller has
  // computed out_shape and guarantees every index is in range.
  virtual Tensor slice(const Tensor& x, std::span<const int64_t> start,
                       std::span<const int64_t> step, const Shape& out_shape) = 0;
  // A copy of x with update written at `start` (update fits inside x).
  virtual Tensor slice_update(const Tensor& x, std::span<const int64_t> start,
                              const Tensor& update) = 0;
  virtual Tensor pad(const Tensor& x, std::span<const std::pair<int64_t, int64_t>> pads,
                     PadMode mode, double constant_value) = 0;
  // All inputs share dtype and rank and match except along axis.
  virtual Tensor concatenate(std::span<const Tensor> xs, int axis) = 0;
  // out = x.shape[:axis] + indices.shape + x.shape[axis+1:]. Indices are int32/int64; negative
  // ones count from the end; out-of-range ones throw IndexError naming the op and the index.
  virtual Tensor take(const Tensor& x, const Tensor& indices, int axis) = 0;
  // indices has x's rank and shape except along axis (caller broadcast it); same index rules.
  virtual Tensor take_along_axis(const Tensor& x, const Tensor& indices, int axis) = 0;
  // The adjoint of take: a copy of base with src slices added at 1-D `indices` along axis.
  virtual Tensor index_add(const Tensor& base, int axis, const Tensor& indices,
                           const Tensor& src) = 0;
  // The adjoint of take_along_axis: base with src scattered-and-added at indices along axis.
  virtual Tensor scatter_add_along_axis(const Tensor& base, int axis, const Tensor& indices,
                                        const Tensor& src) = 0;
  // indices (N, k) address the first k dims of base; updates (N, *base.shape[k:]). Set with
  // duplicate indices keeps the last update.
  virtual Tensor scatter_nd(const Tensor& base, const Tensor& indices, const Tensor& updates,
                            ScatterReduction reduction) = 0;
  // Stable sort along axis; returns (values, int32 indices). NaN sorts last in ascending order.
  virtual std::pair<Tensor, Tensor> sort(const Tensor& x, int axis, bool descending) = 0;

  // ---- linear algebra ----
  // a (*batch, M, K) @ b (*batch, K, N) with identical batch dims and dtype.
  virtual Tensor matmul(const Tensor& a, const Tensor& b) = 0;

  // ---- optional fused kernels: defaults are composites of the primitives above ----
  virtual Tensor conv(const Tensor& x, const Tensor& kernel, const ConvParams& p);
  virtual Tensor conv_backprop_input(const Tensor& grad, const Tensor& kernel, const Shape& x_shape,
                                     const ConvParams& p);
  virtual Tensor conv_backprop_filter(const Tensor& x, const Tensor& grad,
                                      const Shape& kernel_shape, const ConvParams& p);
  virtual Tensor max_pool(const Tensor& x, const PoolParams& p);
  virtual Tensor max_pool_backward(const Tensor& x, const Tensor& grad, const PoolParams& p);
  virtual Tensor avg_pool(const Tensor& x, const PoolParams& p);
  virtual Tensor avg_pool_backward(const Tensor& grad, const Shape& x_shape, const PoolParams& p);
  virtual Tensor softmax(const Tensor& x, int axis);
  virtual Tensor log_softmax(const Tensor& x, int axis);
  // Returns (output (B, T, N, H), lse (B, N, T)): lse is the log-sum-exp of each row of masked
  // logits, which the backward kernel uses to recompute the probabilities.
  virtual std::pair<Tensor, Tensor> dot_product_attention(const Tensor& query, const Tensor& key,
                                                          const Tensor& value, const Tensor& bias,
                                                          const Tensor& mask,
                                                          const AttentionParams& p);
  // Gradients (d query, d key, d value) of the output given its gradient `grad`, the output and
  // lse of the forward kernel. The bias gradient is left to the caller (it needs the full
  // (B, N, T, S) score gradient).
  virtual std::array<Tensor, 3> dot_product_attention_backward(
      const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& bias,
      const Tensor& mask, const Tensor& output, const Tensor& lse, const Tensor& grad,
      const AttentionParams& p);

 protected:
  // Wraps backend storage into a tensor of this backend.
  Tensor make_tensor(Shape shape, DType dtype, std::shared_ptr<Storage> storage);
};

// ---- registry ----
using BackendFactory = std::function<std::unique_ptr<Backend>()>;
// Called by each backend's registration file; built backends are registered at start-up.
void register_backend(const std::string& name, BackendFactory factory);
// The names of the built backends, "cpu" first.
std::vector<std::string> available_backends();
// The backend called `name`, created on first use; throws ValueError listing the built backends.
Backend& get_backend(const std::string& name);
// The backend named by keras::config::backend().
Backend& default_backend();

}  // namespace keras::backend
