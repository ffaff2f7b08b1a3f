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
// Each public kernel is an inline wrapper over a protected virtual `<name>_impl`, which backends
// override; the wrapper only adds the compiled-step trace hook (kernel_trace.hpp).
#include <any>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "keras/backend/kernel_trace.hpp"
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
std::string_view reduce_op_name(ReduceOp op);  // "sum", "prod", ...
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
  DotProductAttentionBackward,
  Lstm,
  LstmBackward,
  Gru,
  GruBackward
};
inline constexpr int kNumFusedKernels = static_cast<int>(FusedKernel::GruBackward) + 1;
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

// How a recorded kernel call's arguments read in a graph dump (src/backend/kernel_trace.cpp).
namespace trace_detail {
std::string attr(UnaryOp op);
std::string attr(BinaryOp op);
std::string attr(ReduceOp op);
std::string attr(ArgReduceOp op);
std::string attr(CumulativeOp op);
std::string attr(PadMode mode);
std::string attr(ScatterReduction reduction);
std::string attr(DType dtype);
std::string attr(const Shape& shape);
std::string attr(std::span<const int> values);
std::string attr(std::span<const int64_t> values);
std::string attr(std::span<const std::pair<int64_t, int64_t>> pairs);
std::string attr(double value);
std::string attr(int64_t value);
std::string attr(int value);
std::string attr(bool value);
std::string attr(const ConvParams& p);
std::string attr(const PoolParams& p);
std::string attr(const AttentionParams& p);
// An argument as a graph node keeps it (KernelRecorder::record's `args`): spans become vectors.
template <class T>
T owned(const T& value) {
  return value;
}
template <class T>
std::vector<std::remove_const_t<T>> owned(std::span<T> values) {
  return {values.begin(), values.end()};
}
template <class... A>
std::string describe(const A&... args) {
  std::string s;
  ((s += (s.empty() ? "" : ", ") + attr(args)), ...);
  return s;
}
}  // namespace trace_detail

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  virtual BackendInfo info() const = 0;
  virtual bool has_native(FusedKernel kernel) const = 0;

  // ---- memory ----
  // Copies row-major data of `dtype` into a new tensor (bool is one byte per element, 0 or 1).
  Tensor from_host(const void* data, const Shape& shape, DType dtype) {
    return from_host_impl(data, shape, dtype);
  }
  // Copies x (row-major, its own dtype) into dst, which holds x.size() * dtype_size bytes.
  void to_host(const Tensor& x, void* dst) {
    check_traceable("to_host (a tensor's value read back to the host)");
    to_host_impl(x, dst);
  }
  Tensor full(const Shape& shape, DType dtype, double value) {
    return full_impl(shape, dtype, value);
  }
  // start, start + step, ... (n values), computed in double then cast, as NumPy does.
  Tensor arange(double start, double step, int64_t n, DType dtype) {
    return arange_impl(start, step, n, dtype);
  }

  // ---- elementwise ----
  Tensor unary(UnaryOp op, const Tensor& x) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "unary", {x}, [op](Backend& be, In in) { return Out{be.unary_impl(op, in[0])}; },
          op)[0];
    }
    return unary_impl(op, x);
  }
  // a and b share a dtype; the result has their broadcast shape.
  Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "binary", {a, b},
          [op](Backend& be, In in) { return Out{be.binary_impl(op, in[0], in[1])}; }, op)[0];
    }
    return binary_impl(op, a, b);
  }
  // cond is bool; a and b share a dtype; all three broadcast together.
  Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(*r, "where", {cond, a, b},
                    [](Backend& be, In in) { return Out{be.where_impl(in[0], in[1], in[2])}; })[0];
    }
    return where_impl(cond, a, b);
  }
  // C semantics: float -> int truncates toward zero (NaN/out of range is unspecified but must
  // not crash), anything -> bool is (x != 0).
  Tensor cast(const Tensor& x, DType dtype) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "cast", {x}, [dtype](Backend& be, In in) { return Out{be.cast_impl(in[0], dtype)}; },
          dtype)[0];
    }
    return cast_impl(x, dtype);
  }

  // ---- reductions ----
  // axes: sorted, unique, may be empty (then returns x unchanged). Sum/Prod keep x's dtype; Any/All
  // return bool. Max/Min of an empty reduction throw ValueError naming the op.
  Tensor reduce(ReduceOp op, const Tensor& x, std::span<const int> axes, bool keepdims) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "reduce", {x},
          [op, axes_ = std::vector<int>(axes.begin(), axes.end()), keepdims](Backend& be, In in) {
            return Out{be.reduce_impl(op, in[0], axes_, keepdims)};
          },
          op, axes, keepdims)[0];
    }
    return reduce_impl(op, x, axes, keepdims);
  }
  // int32 indices of the first maximum/minimum along axis (NaN counts as the maximum/minimum).
  Tensor arg_reduce(ArgReduceOp op, const Tensor& x, int axis, bool keepdims) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "arg_reduce", {x},
          [op, axis, keepdims](Backend& be, In in) {
            return Out{be.arg_reduce_impl(op, in[0], axis, keepdims)};
          },
          op, axis, keepdims)[0];
    }
    return arg_reduce_impl(op, x, axis, keepdims);
  }
  Tensor cumulative(CumulativeOp op, const Tensor& x, int axis, bool reverse) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "cumulative", {x},
          [op, axis, reverse](Backend& be, In in) {
            return Out{be.cumulative_impl(op, in[0], axis, reverse)};
          },
          op, axis, reverse)[0];
    }
    return cumulative_impl(op, x, axis, reverse);
  }

  // ---- data movement ----
  Tensor reshape(const Tensor& x, const Shape& shape) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "reshape", {x},
          [shape](Backend& be, In in) { return Out{be.reshape_impl(in[0], shape)}; }, shape)[0];
    }
    return reshape_impl(x, shape);
  }  // same number of elements
  Tensor transpose(const Tensor& x, std::span<const int> perm) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "transpose", {x},
          [perm_ = std::vector<int>(perm.begin(), perm.end())](Backend& be, In in) {
            return Out{be.transpose_impl(in[0], perm_)};
          },
          perm)[0];
    }
    return transpose_impl(x, perm);
  }
  Tensor broadcast_to(const Tensor& x, const Shape& shape) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "broadcast_to", {x},
          [shape](Backend& be, In in) { return Out{be.broadcast_to_impl(in[0], shape)}; },
          shape)[0];
    }
    return broadcast_to_impl(x, shape);
  }
  // out[i] = x[start + i * step] per axis; steps are non-zero and may be negative; the caller has
  // computed out_shape and guarantees every index is in range.
  Tensor slice(const Tensor& x, std::span<const int64_t> start, std::span<const int64_t> step,
               const Shape& out_shape) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "slice", {x},
          [start_ = std::vector<int64_t>(start.begin(), start.end()),
           step_ = std::vector<int64_t>(step.begin(), step.end()), out_shape](Backend& be, In in) {
            return Out{be.slice_impl(in[0], start_, step_, out_shape)};
          },
          start, step, out_shape)[0];
    }
    return slice_impl(x, start, step, out_shape);
  }
  // A copy of x with update written at `start` (update fits inside x).
  Tensor slice_update(const Tensor& x, std::span<const int64_t> start, const Tensor& update) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "slice_update", {x, update},
          [start_ = std::vector<int64_t>(start.begin(), start.end())](Backend& be, In in) {
            return Out{be.slice_update_impl(in[0], start_, in[1])};
          },
          start)[0];
    }
    return slice_update_impl(x, start, update);
  }
  Tensor pad(const Tensor& x, std::span<const std::pair<int64_t, int64_t>> pads, PadMode mode,
             double constant_value) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "pad", {x},
          [pads_ = std::vector<std::pair<int64_t, int64_t>>(pads.begin(), pads.end()), mode,
           constant_value](Backend& be, In in) {
            return Out{be.pad_impl(in[0], pads_, mode, constant_value)};
          },
          pads, mode, constant_value)[0];
    }
    return pad_impl(x, pads, mode, constant_value);
  }
  // All inputs share dtype and rank and match except along axis.
  Tensor concatenate(std::span<const Tensor> xs, int axis) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "concatenate", std::vector<Tensor>(xs.begin(), xs.end()),
          [axis](Backend& be, In in) { return Out{be.concatenate_impl(in, axis)}; }, axis)[0];
    }
    return concatenate_impl(xs, axis);
  }
  // out = x.shape[:axis] + indices.shape + x.shape[axis+1:]. Indices are int32/int64; negative
  // ones count from the end; out-of-range ones throw IndexError naming the op and the index.
  Tensor take(const Tensor& x, const Tensor& indices, int axis) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "take", {x, indices},
          [axis](Backend& be, In in) { return Out{be.take_impl(in[0], in[1], axis)}; }, axis)[0];
    }
    return take_impl(x, indices, axis);
  }
  // indices has x's rank and shape except along axis (caller broadcast it); same index rules.
  Tensor take_along_axis(const Tensor& x, const Tensor& indices, int axis) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "take_along_axis", {x, indices},
          [axis](Backend& be, In in) { return Out{be.take_along_axis_impl(in[0], in[1], axis)}; },
          axis)[0];
    }
    return take_along_axis_impl(x, indices, axis);
  }
  // The adjoint of take: a copy of base with src slices added at 1-D `indices` along axis.
  Tensor index_add(const Tensor& base, int axis, const Tensor& indices, const Tensor& src) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "index_add", {base, indices, src},
          [axis](Backend& be, In in) { return Out{be.index_add_impl(in[0], axis, in[1], in[2])}; },
          axis)[0];
    }
    return index_add_impl(base, axis, indices, src);
  }
  // The adjoint of take_along_axis: base with src scattered-and-added at indices along axis.
  Tensor scatter_add_along_axis(const Tensor& base, int axis, const Tensor& indices,
                                const Tensor& src) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "scatter_add_along_axis", {base, indices, src},
          [axis](Backend& be, In in) {
            return Out{be.scatter_add_along_axis_impl(in[0], axis, in[1], in[2])};
          },
          axis)[0];
    }
    return scatter_add_along_axis_impl(base, axis, indices, src);
  }
  // indices (N, k) address the first k dims of base; updates (N, *base.shape[k:]). Set with
  // duplicate indices keeps the last update.
  Tensor scatter_nd(const Tensor& base, const Tensor& indices, const Tensor& updates,
                    ScatterReduction reduction) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "scatter_nd", {base, indices, updates},
          [reduction](Backend& be, In in) {
            return Out{be.scatter_nd_impl(in[0], in[1], in[2], reduction)};
          },
          reduction)[0];
    }
    return scatter_nd_impl(base, indices, updates, reduction);
  }
  // Stable sort along axis; returns (values, int32 indices). NaN sorts last in ascending order.
  std::pair<Tensor, Tensor> sort(const Tensor& x, int axis, bool descending) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      Out o = traced(
          *r, "sort", {x},
          [axis, descending](Backend& be, In in) {
            auto [o0, o1] = be.sort_impl(in[0], axis, descending);
            return Out{o0, o1};
          },
          axis, descending);
      return {o[0], o[1]};
    }
    return sort_impl(x, axis, descending);
  }

  // ---- linear algebra ----
  // a (*batch, M, K) @ b (*batch, K, N) with identical batch dims and dtype.
  Tensor matmul(const Tensor& a, const Tensor& b) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(*r, "matmul", {a, b},
                    [](Backend& be, In in) { return Out{be.matmul_impl(in[0], in[1])}; })[0];
    }
    return matmul_impl(a, b);
  }

  // ---- optional fused kernels: defaults are composites of the primitives above ----
  Tensor conv(const Tensor& x, const Tensor& kernel, const ConvParams& p) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "conv", {x, kernel},
          [p](Backend& be, In in) { return Out{be.conv_impl(in[0], in[1], p)}; }, p)[0];
    }
    return conv_impl(x, kernel, p);
  }
  Tensor conv_backprop_input(const Tensor& grad, const Tensor& kernel, const Shape& x_shape,
                             const ConvParams& p) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "conv_backprop_input", {grad, kernel},
          [x_shape, p](Backend& be, In in) {
            return Out{be.conv_backprop_input_impl(in[0], in[1], x_shape, p)};
          },
          x_shape, p)[0];
    }
    return conv_backprop_input_impl(grad, kernel, x_shape, p);
  }
  Tensor conv_backprop_filter(const Tensor& x, const Tensor& grad, const Shape& kernel_shape,
                              const ConvParams& p) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "conv_backprop_filter", {x, grad},
          [kernel_shape, p](Backend& be, In in) {
            return Out{be.conv_backprop_filter_impl(in[0], in[1], kernel_shape, p)};
          },
          kernel_shape, p)[0];
    }
    return conv_backprop_filter_impl(x, grad, kernel_shape, p);
  }
  Tensor max_pool(const Tensor& x, const PoolParams& p) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "max_pool", {x}, [p](Backend& be, In in) { return Out{be.max_pool_impl(in[0], p)}; },
          p)[0];
    }
    return max_pool_impl(x, p);
  }
  Tensor max_pool_backward(const Tensor& x, const Tensor& grad, const PoolParams& p) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "max_pool_backward", {x, grad},
          [p](Backend& be, In in) { return Out{be.max_pool_backward_impl(in[0], in[1], p)}; },
          p)[0];
    }
    return max_pool_backward_impl(x, grad, p);
  }
  Tensor avg_pool(const Tensor& x, const PoolParams& p) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "avg_pool", {x}, [p](Backend& be, In in) { return Out{be.avg_pool_impl(in[0], p)}; },
          p)[0];
    }
    return avg_pool_impl(x, p);
  }
  Tensor avg_pool_backward(const Tensor& grad, const Shape& x_shape, const PoolParams& p) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "avg_pool_backward", {grad},
          [x_shape, p](Backend& be, In in) {
            return Out{be.avg_pool_backward_impl(in[0], x_shape, p)};
          },
          x_shape, p)[0];
    }
    return avg_pool_backward_impl(grad, x_shape, p);
  }
  Tensor softmax(const Tensor& x, int axis) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "softmax", {x},
          [axis](Backend& be, In in) { return Out{be.softmax_impl(in[0], axis)}; }, axis)[0];
    }
    return softmax_impl(x, axis);
  }
  Tensor log_softmax(const Tensor& x, int axis) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      return traced(
          *r, "log_softmax", {x},
          [axis](Backend& be, In in) { return Out{be.log_softmax_impl(in[0], axis)}; }, axis)[0];
    }
    return log_softmax_impl(x, axis);
  }
  // Returns (output (B, T, N, H), lse (B, N, T)): lse is the log-sum-exp of each row of masked
  // logits, which the backward kernel uses to recompute the probabilities.
  std::pair<Tensor, Tensor> dot_product_attention(const Tensor& query, const Tensor& key,
                                                  const Tensor& value, const Tensor& bias,
                                                  const Tensor& mask, const AttentionParams& p) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      Out o = traced(
          *r, "dot_product_attention", {query, key, value, bias, mask},
          [p](Backend& be, In in) {
            auto [o0, o1] = be.dot_product_attention_impl(in[0], in[1], in[2], in[3], in[4], p);
            return Out{o0, o1};
          },
          p);
      return {o[0], o[1]};
    }
    return dot_product_attention_impl(query, key, value, bias, mask, p);
  }
  // Gradients (d query, d key, d value) of the output given its gradient `grad`, the output and
  // lse of the forward kernel. The bias gradient is left to the caller (it needs the full
  // (B, N, T, S) score gradient).
  std::array<Tensor, 3> dot_product_attention_backward(const Tensor& query, const Tensor& key,
                                                       const Tensor& value, const Tensor& bias,
                                                       const Tensor& mask, const Tensor& output,
                                                       const Tensor& lse, const Tensor& grad,
                                                       const AttentionParams& p) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      Out o = traced(
          *r, "dot_product_attention_backward", {query, key, value, bias, mask, output, lse, grad},
          [p](Backend& be, In in) {
            auto g = be.dot_product_attention_backward_impl(in[0], in[1], in[2], in[3], in[4],
                                                            in[5], in[6], in[7], p);
            return Out(g.begin(), g.end());
          },
          p);
      return {o[0], o[1], o[2]};
    }
    return dot_product_attention_backward_impl(query, key, value, bias, mask, output, lse, grad, p);
  }

  // ---- recurrent layers ----
  // One LSTM layer over a whole sequence (Keras's backend.lstm, the recurrent layers' sequence
  // kernel): x (T, B, I) time-major; h0, c0 (B, U); kernel (I, 4U), recurrent_kernel (U, 4U) and
  // bias (4U) in Keras's layout and gate order (i, f, c, o); sigmoid gates, tanh cell activation:
  //   z = x_t kernel + h recurrent_kernel + bias,  c' = f c + i tanh(z_c),  h' = o tanh(c').
  // Returns (outputs (T, B, U), h_T, c_T, workspace): the workspace (its contents and shape are
  // the backend's own) is what lstm_backward needs besides the inputs. Floating dtypes only.
  std::array<Tensor, 4> lstm(const Tensor& x, const Tensor& h0, const Tensor& c0,
                             const Tensor& kernel, const Tensor& recurrent_kernel,
                             const Tensor& bias) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      Out o =
          traced(*r, "lstm", {x, h0, c0, kernel, recurrent_kernel, bias}, [](Backend& be, In in) {
            auto y = be.lstm_impl(in[0], in[1], in[2], in[3], in[4], in[5]);
            return Out(y.begin(), y.end());
          });
      return {o[0], o[1], o[2], o[3]};
    }
    return lstm_impl(x, h0, c0, kernel, recurrent_kernel, bias);
  }
  // Gradients (d x, d h0, d c0, d kernel, d recurrent_kernel, d bias) given those of the outputs,
  // h_T and c_T, from lstm's inputs, outputs and workspace.
  std::array<Tensor, 6> lstm_backward(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                      const Tensor& kernel, const Tensor& recurrent_kernel,
                                      const Tensor& outputs, const Tensor& workspace,
                                      const Tensor& d_outputs, const Tensor& d_h,
                                      const Tensor& d_c) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      Out o = traced(*r, "lstm_backward",
                     {x, h0, c0, kernel, recurrent_kernel, outputs, workspace, d_outputs, d_h, d_c},
                     [](Backend& be, In in) {
                       auto g = be.lstm_backward_impl(in[0], in[1], in[2], in[3], in[4], in[5],
                                                      in[6], in[7], in[8], in[9]);
                       return Out(g.begin(), g.end());
                     });
      return {o[0], o[1], o[2], o[3], o[4], o[5]};
    }
    return lstm_backward_impl(x, h0, c0, kernel, recurrent_kernel, outputs, workspace, d_outputs,
                              d_h, d_c);
  }
  // One GRU layer over a whole sequence, in Keras's reset_after form (its default, and cuDNN's):
  // x (T, B, I) time-major; h0 (B, U); kernel (I, 3U), recurrent_kernel (U, 3U), input_bias and
  // recurrent_bias (3U; rows 0 and 1 of Keras's (2, 3U) bias) in Keras's gate order (z, r, h):
  //   x_z|x_r|x_h = x_t kernel + input_bias,  u_z|u_r|u_h = h recurrent_kernel + recurrent_bias,
  //   z = sigmoid(x_z + u_z), r = sigmoid(x_r + u_r), hh = tanh(x_h + r u_h),
  //   h' = z h + (1 - z) hh.
  // Returns (outputs (T, B, U), h_T, workspace), the workspace as lstm's.
  std::array<Tensor, 3> gru(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                            const Tensor& recurrent_kernel, const Tensor& input_bias,
                            const Tensor& recurrent_bias) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      Out o = traced(*r, "gru", {x, h0, kernel, recurrent_kernel, input_bias, recurrent_bias},
                     [](Backend& be, In in) {
                       auto y = be.gru_impl(in[0], in[1], in[2], in[3], in[4], in[5]);
                       return Out(y.begin(), y.end());
                     });
      return {o[0], o[1], o[2]};
    }
    return gru_impl(x, h0, kernel, recurrent_kernel, input_bias, recurrent_bias);
  }
  // Gradients (d x, d h0, d kernel, d recurrent_kernel, d input_bias, d recurrent_bias) given
  // those of the outputs and h_T, from gru's inputs, outputs and workspace.
  std::array<Tensor, 6> gru_backward(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                                     const Tensor& recurrent_kernel, const Tensor& outputs,
                                     const Tensor& workspace, const Tensor& d_outputs,
                                     const Tensor& d_h) {
    if (KernelRecorder* r = active_recorder()) [[unlikely]] {
      Out o = traced(
          *r, "gru_backward", {x, h0, kernel, recurrent_kernel, outputs, workspace, d_outputs, d_h},
          [](Backend& be, In in) {
            auto g = be.gru_backward_impl(in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7]);
            return Out(g.begin(), g.end());
          });
      return {o[0], o[1], o[2], o[3], o[4], o[5]};
    }
    return gru_backward_impl(x, h0, kernel, recurrent_kernel, outputs, workspace, d_outputs, d_h);
  }

 protected:
  // The kernels themselves, one per public call above (which adds only the trace hook): each
  // backend overrides these.
  virtual Tensor from_host_impl(const void* data, const Shape& shape, DType dtype) = 0;
  virtual void to_host_impl(const Tensor& x, void* dst) = 0;
  virtual Tensor full_impl(const Shape& shape, DType dtype, double value) = 0;
  virtual Tensor arange_impl(double start, double step, int64_t n, DType dtype) = 0;
  virtual Tensor unary_impl(UnaryOp op, const Tensor& x) = 0;
  virtual Tensor binary_impl(BinaryOp op, const Tensor& a, const Tensor& b) = 0;
  virtual Tensor where_impl(const Tensor& cond, const Tensor& a, const Tensor& b) = 0;
  virtual Tensor cast_impl(const Tensor& x, DType dtype) = 0;
  virtual Tensor reduce_impl(ReduceOp op, const Tensor& x, std::span<const int> axes,
                             bool keepdims) = 0;
  virtual Tensor arg_reduce_impl(ArgReduceOp op, const Tensor& x, int axis, bool keepdims) = 0;
  virtual Tensor cumulative_impl(CumulativeOp op, const Tensor& x, int axis, bool reverse) = 0;
  virtual Tensor reshape_impl(const Tensor& x, const Shape& shape) = 0;
  virtual Tensor transpose_impl(const Tensor& x, std::span<const int> perm) = 0;
  virtual Tensor broadcast_to_impl(const Tensor& x, const Shape& shape) = 0;
  virtual Tensor slice_impl(const Tensor& x, std::span<const int64_t> start,
                            std::span<const int64_t> step, const Shape& out_shape) = 0;
  virtual Tensor slice_update_impl(const Tensor& x, std::span<const int64_t> start,
                                   const Tensor& update) = 0;
  virtual Tensor pad_impl(const Tensor& x, std::span<const std::pair<int64_t, int64_t>> pads,
                          PadMode mode, double constant_value) = 0;
  virtual Tensor concatenate_impl(std::span<const Tensor> xs, int axis) = 0;
  virtual Tensor take_impl(const Tensor& x, const Tensor& indices, int axis) = 0;
  virtual Tensor take_along_axis_impl(const Tensor& x, const Tensor& indices, int axis) = 0;
  virtual Tensor index_add_impl(const Tensor& base, int axis, const Tensor& indices,
                                const Tensor& src) = 0;
  virtual Tensor scatter_add_along_axis_impl(const Tensor& base, int axis, const Tensor& indices,
                                             const Tensor& src) = 0;
  virtual Tensor scatter_nd_impl(const Tensor& base, const Tensor& indices, const Tensor& updates,
                                 ScatterReduction reduction) = 0;
  virtual std::pair<Tensor, Tensor> sort_impl(const Tensor& x, int axis, bool descending) = 0;
  virtual Tensor matmul_impl(const Tensor& a, const Tensor& b) = 0;
  virtual Tensor conv_impl(const Tensor& x, const Tensor& kernel, const ConvParams& p);
  virtual Tensor conv_backprop_input_impl(const Tensor& grad, const Tensor& kernel,
                                          const Shape& x_shape, const ConvParams& p);
  virtual Tensor conv_backprop_filter_impl(const Tensor& x, const Tensor& grad,
                                           const Shape& kernel_shape, const ConvParams& p);
  virtual Tensor max_pool_impl(const Tensor& x, const PoolParams& p);
  virtual Tensor max_pool_backward_impl(const Tensor& x, const Tensor& grad, const PoolParams& p);
  virtual Tensor avg_pool_impl(const Tensor& x, const PoolParams& p);
  virtual Tensor avg_pool_backward_impl(const Tensor& grad, const Shape& x_shape,
                                        const PoolParams& p);
  virtual Tensor softmax_impl(const Tensor& x, int axis);
  virtual Tensor log_softmax_impl(const Tensor& x, int axis);
  virtual std::pair<Tensor, Tensor> dot_product_attention_impl(
      const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& bias,
      const Tensor& mask, const AttentionParams& p);
  virtual std::array<Tensor, 3> dot_product_attention_backward_impl(
      const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& bias,
      const Tensor& mask, const Tensor& output, const Tensor& lse, const Tensor& grad,
      const AttentionParams& p);
  // No composite default: the recurrent layers run their step loop with ops where a backend has
  // no native kernel (has_native(FusedKernel::Lstm / Gru) is false); these throw
  // NotImplementedError.
  virtual std::array<Tensor, 4> lstm_impl(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                          const Tensor& kernel, const Tensor& recurrent_kernel,
                                          const Tensor& bias);
  virtual std::array<Tensor, 6> lstm_backward_impl(const Tensor& x, const Tensor& h0,
                                                   const Tensor& c0, const Tensor& kernel,
                                                   const Tensor& recurrent_kernel,
                                                   const Tensor& outputs, const Tensor& workspace,
                                                   const Tensor& d_outputs, const Tensor& d_h,
                                                   const Tensor& d_c);
  virtual std::array<Tensor, 3> gru_impl(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                                         const Tensor& recurrent_kernel, const Tensor& input_bias,
                                         const Tensor& recurrent_bias);
  virtual std::array<Tensor, 6> gru_backward_impl(const Tensor& x, const Tensor& h0,
                                                  const Tensor& kernel,
                                                  const Tensor& recurrent_kernel,
                                                  const Tensor& outputs, const Tensor& workspace,
                                                  const Tensor& d_outputs, const Tensor& d_h);

 private:
  using In = std::span<const Tensor>;
  using Out = std::vector<Tensor>;
  template <class Fn, class... Attrs>
  Out traced(KernelRecorder& r, std::string_view kernel, std::vector<Tensor> inputs, Fn fn,
             const Attrs&... attrs) {
    return r.record(*this, kernel, trace_detail::describe(attrs...), std::move(inputs),
                    KernelFn(std::move(fn)), std::any(std::tuple{trace_detail::owned(attrs)...}));
  }

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
