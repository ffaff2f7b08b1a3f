// The torch backend: shared helpers, memory, elementwise kernels, casts and reductions on ATen.
#include <ATen/Parallel.h>
#include <sched.h>
#include <torch/version.h>  // version macros only

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "backends/torch/torch_common.hpp"

namespace keras::backend::torch_backend {

// ---------------------------------------------------------------------------------------------
// helpers shared by the backend's translation units (declared in torch_common.hpp)

at::ScalarType storage_type(DType dtype) {
  switch (dtype) {
    case DType::Bool:
      return at::kBool;
    case DType::Int8:
      return at::kChar;
    case DType::Int16:
      return at::kShort;
    case DType::Int32:
      return at::kInt;
    case DType::Int64:
      return at::kLong;
    case DType::UInt8:
      return at::kByte;
    case DType::UInt16:
      return at::kInt;
    case DType::UInt32:
      return at::kLong;
    case DType::UInt64:
      return at::kLong;
    case DType::Float16:
      return at::kHalf;
    case DType::BFloat16:
      return at::kBFloat16;
    case DType::Float32:
      return at::kFloat;
    case DType::Float64:
      return at::kDouble;
  }
  return at::kFloat;
}

const at::Tensor& aten(const Tensor& x, std::string_view op) {
  const auto& impl = x.impl();
  if (!impl || !impl->storage)
    throw ValueError("torch backend: " + std::string(op) +
                     ": expected a concrete tensor of the torch backend, got a symbolic tensor");
  const auto* storage = dynamic_cast<const TorchStorage*>(impl->storage.get());
  if (storage == nullptr)
    throw ValueError("torch backend: " + std::string(op) + ": the tensor lives on backend \"" +
                     std::string(x.backend_name()) +
                     "\", not \"torch\"; move it with ops::convert_to_tensor(x, \"torch\")");
  return storage->tensor;
}

at::Tensor wrap_unsigned(const at::Tensor& t, DType dtype) {
  if (dtype == DType::UInt16) return t.bitwise_and(int64_t{0xFFFF});
  if (dtype == DType::UInt32) return t.bitwise_and(int64_t{0xFFFFFFFF});
  return t;
}

at::Tensor widen_half(const at::Tensor& t, DType dtype) {
  if (dtype == DType::Float16 || dtype == DType::BFloat16) return t.to(at::kFloat);
  return t;
}

at::Tensor order_key(const at::Tensor& t, DType dtype) {
  if (dtype == DType::UInt64) return t.bitwise_xor(std::numeric_limits<int64_t>::min());
  return t;
}

std::string describe(const Tensor& x) {
  return std::string(dtype_name(x.dtype())) + " " + x.shape().to_string();
}

namespace {

constexpr double kTwo63 = 9223372036854775808.0;
constexpr double kTwo64 = 18446744073709551616.0;

// The range of an integer dtype, as doubles (for comparisons) and as stored int64 values (for
// uint64, the bit pattern).
struct IntRange {
  double lo_d, hi_d;
  int64_t lo, hi;
};

IntRange int_range(DType dtype) {
  switch (dtype) {
    case DType::Int8:
      return {-128.0, 127.0, -128, 127};
    case DType::Int16:
      return {-32768.0, 32767.0, -32768, 32767};
    case DType::Int32:
      return {-2147483648.0, 2147483647.0, INT32_MIN, INT32_MAX};
    case DType::Int64:
      return {-kTwo63, kTwo63, INT64_MIN, INT64_MAX};
    case DType::UInt8:
      return {0.0, 255.0, 0, 255};
    case DType::UInt16:
      return {0.0, 65535.0, 0, 65535};
    case DType::UInt32:
      return {0.0, 4294967295.0, 0, 4294967295LL};
    case DType::UInt64:
      return {0.0, kTwo64, 0, -1};
    default:
      return {0.0, 1.0, 0, 1};
  }
}

// C's float -> int conversion made total: truncate, saturate out-of-range values, NaN -> 0.
int64_t saturating_int(double v, DType dtype) {
  if (std::isnan(v)) return 0;
  v = std::trunc(v);
  IntRange r = int_range(dtype);
  if (v >= r.hi_d) return r.hi;
  if (v <= r.lo_d) return r.lo;
  if (dtype == DType::UInt64 && v >= kTwo63) return static_cast<int64_t>(static_cast<uint64_t>(v));
  return static_cast<int64_t>(v);
}

int bit_width(DType dtype) { return static_cast<int>(dtype_size(dtype)) * 8; }

bool is_signed_int(DType d) {
  return d == DType::Int8 || d == DType::Int16 || d == DType::Int32 || d == DType::Int64;
}

}  // namespace

at::Scalar scalar_for(double value, DType dtype) {
  switch (dtype) {
    case DType::Bool:
      return at::Scalar(value != 0.0);
    case DType::Float16:
      return at::Scalar(
          static_cast<double>(static_cast<float>(float16_t(static_cast<float>(value)))));
    case DType::BFloat16:
      return at::Scalar(
          static_cast<double>(static_cast<float>(bfloat16_t(static_cast<float>(value)))));
    case DType::Float32:
      return at::Scalar(static_cast<double>(static_cast<float>(value)));
    case DType::Float64:
      return at::Scalar(value);
    default:
      return at::Scalar(saturating_int(value, dtype));
  }
}

at::Tensor cast_aten(const at::Tensor& x, DType from, DType to) {
  if (from == to) return x;
  const at::ScalarType st = storage_type(to);
  if (to == DType::Bool) return widen_half(x, from).ne(0);
  if (from == DType::Bool) return x.to(st);
  if (is_floating(from) && is_floating(to)) return x.to(st);
  if (is_floating(from)) {  // -> integer: truncate, saturate, NaN -> 0, independent of the CPU
    IntRange r = int_range(to);
    at::Tensor xd = x.to(at::kDouble).trunc();
    at::Tensor over = xd.ge(r.hi_d);
    at::Tensor under = xd.le(r.lo_d);
    at::Tensor safe = xd.masked_fill(xd.isnan().logical_or_(over).logical_or_(under), 0.0);
    if (to == DType::UInt64) safe = at::where(safe.ge(kTwo63), safe - kTwo64, safe);
    at::Tensor y = safe.to(st);
    y.masked_fill_(over, r.hi);
    y.masked_fill_(under, r.lo);
    return y;
  }
  if (is_floating(to)) {  // integer -> float
    if (from == DType::UInt64) {
      at::Tensor xd = x.to(at::kDouble);
      return at::where(x.lt(0), xd + kTwo64, xd).to(st);
    }
    return x.to(st);
  }
  // integer -> integer: modular, as C++ converts.
  return wrap_unsigned(x.to(st), to);
}

[[noreturn]] void rethrow_as_keras(std::string_view op) {
  const std::string prefix = "torch backend: " + std::string(op) + ": ";
  try {
    throw;
  } catch (const keras::Error&) {
    throw;
  } catch (const c10::IndexError& e) {
    throw IndexError(prefix + e.what_without_backtrace());
  } catch (const c10::ValueError& e) {
    throw ValueError(prefix + e.what_without_backtrace());
  } catch (const c10::TypeError& e) {
    throw TypeError(prefix + e.what_without_backtrace());
  } catch (const c10::NotImplementedError& e) {
    throw NotImplementedError(prefix + e.what_without_backtrace());
  } catch (const c10::Error& e) {
    throw RuntimeError(prefix + e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw RuntimeError(prefix + e.what());
  }
}

// ---------------------------------------------------------------------------------------------
// the backend object

namespace {

// Drops ATen's one-time "... is in beta" notices (index_reduce, which scatter_nd uses, prints
// one through glog) and forwards every other warning to the handler that was installed before.
class BetaNoticeFilter final : public c10::WarningHandler {
 public:
  explicit BetaNoticeFilter(c10::WarningHandler* next) : next_(next) {}
  void process(const c10::SourceLocation& where, const std::string& msg,
               const bool verbatim) override {
    if (msg.find("is in beta") != std::string::npos) return;
    if (next_ != nullptr) next_->process(where, msg, verbatim);
  }

 private:
  c10::WarningHandler* next_;
};

void install_warning_filter() {
  static BetaNoticeFilter* filter = [] {
    auto* f = new BetaNoticeFilter(c10::Warning::get_warning_handler());  // lives forever
    c10::Warning::set_warning_handler(f);
    return f;
  }();
  (void)filter;
}

}  // namespace

TorchBackend::TorchBackend(TorchDevice device) : device_(device) {
  if (device_.kind != TorchDevice::Kind::CPU)
    throw NotImplementedError("torch backend: only the CPU device is supported in this build");
  install_warning_filter();
  // ATen's intra-op pool may start with one thread when OpenMP cannot size itself; use every core
  // this process may run on, unless the user chose with OMP_NUM_THREADS.
  const char* env = std::getenv("OMP_NUM_THREADS");
  if (!env || !*env) {
    cpu_set_t set;
    int cores = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
    if (cores > 0 && at::get_num_threads() < cores) at::set_num_threads(cores);
  }
}

BackendInfo TorchBackend::info() const {
  const std::string version = std::to_string(TORCH_VERSION_MAJOR) + "." +
                              std::to_string(TORCH_VERSION_MINOR) + "." +
                              std::to_string(TORCH_VERSION_PATCH);
  BackendInfo info;
  info.name = "torch";
  info.device = "CPU (LibTorch " + version + ")";
  info.num_threads = at::get_num_threads();
  info.libraries = "LibTorch " + version + " (ATen)";
  return info;
}

bool TorchBackend::has_native(FusedKernel kernel) const {
  switch (kernel) {
    case FusedKernel::Conv:
    case FusedKernel::ConvBackpropInput:
    case FusedKernel::ConvBackpropFilter:
    case FusedKernel::MaxPool:
    case FusedKernel::MaxPoolBackward:
    case FusedKernel::AvgPool:
    case FusedKernel::AvgPoolBackward:
    case FusedKernel::Softmax:
    case FusedKernel::LogSoftmax:
    case FusedKernel::Lstm:  // torch_lstm.cpp
    case FusedKernel::LstmBackward:
    case FusedKernel::Gru:  // torch_gru.cpp
    case FusedKernel::GruBackward:
      return true;
    case FusedKernel::DotProductAttention:  // ATen 1.13 has no scaled_dot_product_attention
    case FusedKernel::DotProductAttentionBackward:
      return false;
  }
  return false;
}

Tensor TorchBackend::wrap(const at::Tensor& t, DType dtype) {
  if (t.scalar_type() != storage_type(dtype))
    throw RuntimeError("torch backend: internal error: a " + std::string(dtype_name(dtype)) +
                       " result is held as " + std::string(c10::toString(t.scalar_type())));
  at::Tensor c = t.contiguous();
  Shape shape = shape_of(c);
  return make_tensor(std::move(shape), dtype, std::make_shared<TorchStorage>(std::move(c)));
}

// ---------------------------------------------------------------------------------------------
// memory

Tensor TorchBackend::from_host_impl(const void* data, const Shape& shape, DType dtype) {
  return guarded("from_host", [&] {
    const int64_t n = shape.num_elements();
    at::Tensor t = at::empty(dims_of(shape), at::TensorOptions().dtype(storage_type(dtype)));
    if (n > 0) {
      if (dtype == DType::UInt16) {
        const auto* src = static_cast<const uint16_t*>(data);
        int32_t* dst = t.data_ptr<int32_t>();
        for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
      } else if (dtype == DType::UInt32) {
        const auto* src = static_cast<const uint32_t*>(data);
        int64_t* dst = t.data_ptr<int64_t>();
        for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
      } else if (dtype == DType::Bool) {  // any non-zero byte is true; ATen wants exactly 0/1
        const auto* src = static_cast<const uint8_t*>(data);
        bool* dst = t.data_ptr<bool>();
        for (int64_t i = 0; i < n; ++i) dst[i] = src[i] != 0;
      } else {
        std::memcpy(t.data_ptr(), data, static_cast<size_t>(n) * dtype_size(dtype));
      }
    }
    return wrap(t, dtype);
  });
}

void TorchBackend::to_host_impl(const Tensor& x, void* dst) {
  guarded("to_host", [&] {
    at::Tensor t = aten(x, "to_host").contiguous();
    const int64_t n = t.numel();
    if (n == 0) return;
    if (x.dtype() == DType::UInt16) {
      const int32_t* src = t.data_ptr<int32_t>();
      auto* out = static_cast<uint16_t*>(dst);
      for (int64_t i = 0; i < n; ++i) out[i] = static_cast<uint16_t>(src[i]);
    } else if (x.dtype() == DType::UInt32) {
      const int64_t* src = t.data_ptr<int64_t>();
      auto* out = static_cast<uint32_t*>(dst);
      for (int64_t i = 0; i < n; ++i) out[i] = static_cast<uint32_t>(src[i]);
    } else {
      std::memcpy(dst, t.data_ptr(), static_cast<size_t>(n) * dtype_size(x.dtype()));
    }
  });
}

Tensor TorchBackend::full_impl(const Shape& shape, DType dtype, double value) {
  return guarded("full", [&] {
    return wrap(at::full(dims_of(shape), scalar_for(value, dtype),
                         at::TensorOptions().dtype(storage_type(dtype))),
                dtype);
  });
}

Tensor TorchBackend::arange_impl(double start, double step, int64_t n, DType dtype) {
  return guarded("arange", [&] {
    // start + i * step in double, then cast, as NumPy computes it.
    at::Tensor t = at::arange(n, at::TensorOptions().dtype(at::kDouble)).mul_(step).add_(start);
    return wrap(cast_aten(t, DType::Float64, dtype), dtype);
  });
}

Tensor TorchBackend::cast_impl(const Tensor& x, DType dtype) {
  if (x.dtype() == dtype) return x;
  return guarded("ops::cast",
                 [&] { return wrap(cast_aten(aten(x, "ops::cast"), x.dtype(), dtype), dtype); });
}

// ---------------------------------------------------------------------------------------------
// elementwise

namespace {

[[noreturn]] void unsupported(std::string_view op, DType dtype) {
  throw TypeError("torch backend: ops::" + std::string(op) + " does not support dtype " +
                  std::string(dtype_name(dtype)));
}

bool unary_needs_floating(UnaryOp op) { return op >= UnaryOp::Sqrt && op <= UnaryOp::LogSigmoid; }

// Ops whose argument is floating: computed in float32 for float16/bfloat16.
at::Tensor unary_floating(UnaryOp op, const at::Tensor& x) {
  switch (op) {
    case UnaryOp::Sqrt:
      return at::sqrt(x);
    case UnaryOp::Rsqrt:
      return at::rsqrt(x);
    case UnaryOp::Exp:
      return at::exp(x);
    case UnaryOp::Exp2:
      return at::exp2(x);
    case UnaryOp::Expm1:
      return at::expm1(x);
    case UnaryOp::Log:
      return at::log(x);
    case UnaryOp::Log1p:
      return at::log1p(x);
    case UnaryOp::Log2:
      return at::log2(x);
    case UnaryOp::Log10:
      return at::log10(x);
    case UnaryOp::Sin:
      return at::sin(x);
    case UnaryOp::Cos:
      return at::cos(x);
    case UnaryOp::Tan:
      return at::tan(x);
    case UnaryOp::Arcsin:
      return at::asin(x);
    case UnaryOp::Arccos:
      return at::acos(x);
    case UnaryOp::Arctan:
      return at::atan(x);
    case UnaryOp::Sinh:
      return at::sinh(x);
    case UnaryOp::Cosh:
      return at::cosh(x);
    case UnaryOp::Tanh:
      return at::tanh(x);
    case UnaryOp::Arcsinh:
      return at::asinh(x);
    case UnaryOp::Arccosh:
      return at::acosh(x);
    case UnaryOp::Arctanh:
      return at::atanh(x);
    case UnaryOp::Erf:
      return at::erf(x);
    case UnaryOp::Erfinv:
      return at::erfinv(x);
    case UnaryOp::Sigmoid:
      return at::sigmoid(x);
    case UnaryOp::Softplus:
      // max(x, 0) + log1p(exp(-|x|)): no overflow, and no threshold (at::softplus switches to x
      // above 20). where() keeps NaN through the log1p term.
      return at::where(x.gt(0), x, at::zeros_like(x)) + at::log1p(at::exp(-at::abs(x)));
    case UnaryOp::Relu:
      return at::relu(x);
    case UnaryOp::Silu:
      return at::silu(x);
    case UnaryOp::GeluExact:
      return at::gelu(x, "none");
    case UnaryOp::GeluTanh:
      return at::gelu(x, "tanh");
    case UnaryOp::LogSigmoid:
      return at::log_sigmoid(x);
    default:
      break;
  }
  throw RuntimeError("torch backend: internal error: unary op " + std::string(unary_op_name(op)));
}

at::Tensor unary_aten(UnaryOp op, const at::Tensor& t, DType dtype) {
  const at::ScalarType st = storage_type(dtype);
  const bool flt = is_floating(dtype);
  const bool boolean = dtype == DType::Bool;
  if (unary_needs_floating(op)) {
    if (!flt) unsupported(unary_op_name(op), dtype);
    return unary_floating(op, widen_half(t, dtype)).to(st);
  }
  switch (op) {
    case UnaryOp::Negative:
      if (boolean) unsupported(unary_op_name(op), dtype);  // as NumPy and the cpu backend
      return wrap_unsigned(at::neg(t), dtype);
    case UnaryOp::Abs:
      if (boolean || is_unsigned(dtype)) return t.clone();
      return at::abs(t);
    case UnaryOp::Sign:
      if (boolean) return t.clone();
      if (is_unsigned(dtype)) return t.ne(0).to(st);
      if (flt) {  // at::sign maps NaN to 0; NumPy keeps NaN
        at::Tensor w = widen_half(t, dtype);
        return at::where(w.isnan(), w, at::sign(w)).to(st);
      }
      return at::sign(t);
    case UnaryOp::Square:
      if (boolean) return t.clone();
      if (flt) return at::square(widen_half(t, dtype)).to(st);
      return wrap_unsigned(at::mul(t, t), dtype);
    case UnaryOp::Reciprocal:
      if (flt) return at::reciprocal(widen_half(t, dtype)).to(st);
      if (boolean) unsupported(unary_op_name(op), dtype);
      // Integer 1/x truncates: 1 for 1, -1 for -1, 0 otherwise (0 for 1/0, never a trap).
      return at::where(t.eq(1).logical_or(t.eq(-1)), t, at::zeros_like(t));
    case UnaryOp::Floor:
    case UnaryOp::Ceil:
    case UnaryOp::Round:
    case UnaryOp::Trunc: {
      if (!flt) return t.clone();
      at::Tensor w = widen_half(t, dtype);
      at::Tensor r = op == UnaryOp::Floor   ? at::floor(w)
                     : op == UnaryOp::Ceil  ? at::ceil(w)
                     : op == UnaryOp::Round ? at::round(w)  // half to even
                                            : at::trunc(w);
      return r.to(st);
    }
    case UnaryOp::LogicalNot:
      return at::logical_not(t);
    case UnaryOp::IsNan:
      if (!flt) return at::zeros(t.sizes(), t.options().dtype(at::kBool));
      return at::isnan(widen_half(t, dtype));
    case UnaryOp::IsInf:
      if (!flt) return at::zeros(t.sizes(), t.options().dtype(at::kBool));
      return at::isinf(widen_half(t, dtype));
    case UnaryOp::IsFinite:
      if (!flt) return at::ones(t.sizes(), t.options().dtype(at::kBool));
      return at::isfinite(widen_half(t, dtype));
    case UnaryOp::BitwiseNot:
      if (boolean) return at::logical_not(t);
      if (flt) unsupported(unary_op_name(op), dtype);
      return wrap_unsigned(at::bitwise_not(t), dtype);
    default:
      break;
  }
  throw RuntimeError("torch backend: internal error: unary op " + std::string(unary_op_name(op)));
}

// uint64 division-like ops in a host loop (ATen only has int64, whose division is signed).
at::Tensor uint64_host_binary(BinaryOp op, const at::Tensor& a, const at::Tensor& b) {
  std::vector<at::Tensor> both = at::broadcast_tensors({a, b});
  at::Tensor ac = both[0].contiguous();
  at::Tensor bc = both[1].contiguous();
  at::Tensor out = at::empty(ac.sizes(), ac.options());
  const auto* pa = reinterpret_cast<const uint64_t*>(ac.data_ptr<int64_t>());
  const auto* pb = reinterpret_cast<const uint64_t*>(bc.data_ptr<int64_t>());
  auto* po = reinterpret_cast<uint64_t*>(out.data_ptr<int64_t>());
  const int64_t n = out.numel();
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t x = pa[i];
    const uint64_t y = pb[i];
    uint64_t r = 0;
    switch (op) {
      case BinaryOp::FloorDivide:
        r = y == 0 ? 0 : x / y;
        break;
      case BinaryOp::Mod:
      case BinaryOp::Fmod:
        r = y == 0 ? 0 : x % y;
        break;
      case BinaryOp::Power: {
        r = 1;
        uint64_t base = x;
        for (uint64_t e = y; e != 0; e >>= 1) {
          if (e & 1) r *= base;
          base *= base;
        }
        break;
      }
      default:
        break;
    }
    po[i] = r;
  }
  return out;
}

// Integer floor division / remainders without ATen's ZeroDivisionError or the INT_MIN / -1 trap:
// x // 0 and x % 0 give 0 (NumPy's result), x // -1 is -x (wrapping) and x % -1 is 0.
at::Tensor int_division(BinaryOp op, const at::Tensor& a, const at::Tensor& b, bool is_signed) {
  at::Tensor zero = b.eq(0);
  at::Tensor minus_one = is_signed ? b.eq(-1) : at::Tensor();
  at::Tensor bad = is_signed ? zero.logical_or(minus_one) : zero;
  at::Tensor safe_b = b.masked_fill(bad, 1);
  at::Tensor r;
  switch (op) {
    case BinaryOp::FloorDivide:
      r = at::div(a, safe_b, "floor");
      break;
    case BinaryOp::Mod:
      r = at::remainder(a, safe_b);
      break;
    default:
      r = at::fmod(a, safe_b);
      break;
  }
  if (is_signed) {
    if (op == BinaryOp::FloorDivide)
      r = at::where(minus_one, at::neg(a), r);
    else
      r = r.masked_fill(minus_one, 0);
  }
  return r.masked_fill(zero, 0);
}

// Shifts with NumPy's rules for counts outside [0, width): left gives 0, right gives 0 or -1
// (by sign). uint64 shifts right logically.
at::Tensor shift(BinaryOp op, const at::Tensor& a, const at::Tensor& b, DType dtype) {
  const int64_t width = bit_width(dtype);
  at::Tensor valid = b.ge(0).logical_and_(b.lt(width));
  at::Tensor invalid = valid.logical_not();
  at::Tensor count = b.masked_fill(invalid, 0);
  if (op == BinaryOp::LeftShift)
    return wrap_unsigned(at::bitwise_left_shift(a, count).masked_fill(invalid, 0), dtype);
  at::Tensor r = at::bitwise_right_shift(a, count);
  if (dtype == DType::UInt64) {
    // ATen's int64 shift is arithmetic: clear the copies of the sign bit.
    at::Tensor keep = at::bitwise_left_shift(at::ones_like(count), (64 - count).clamp_max(63)) - 1;
    keep.masked_fill_(count.eq(0), -1);
    r = r.bitwise_and(keep);
  }
  r = r.masked_fill(invalid, 0);
  if (is_signed_int(dtype)) r = r.masked_fill(invalid.logical_and(a.lt(0)), -1);
  return r;
}

at::Tensor binary_aten(BinaryOp op, const at::Tensor& a0, const at::Tensor& b0, DType dtype) {
  const at::ScalarType st = storage_type(dtype);
  const bool flt = is_floating(dtype);
  const bool boolean = dtype == DType::Bool;
  const bool u64 = dtype == DType::UInt64;
  auto need = [&](bool ok) {
    if (!ok) unsupported(binary_op_name(op), dtype);
  };
  // float16/bfloat16 are computed in float32 and rounded once, like the cpu backend.
  const at::Tensor a = widen_half(a0, dtype);
  const at::Tensor b = widen_half(b0, dtype);
  auto same = [&](const at::Tensor& r) { return wrap_unsigned(r, dtype).to(st); };
  switch (op) {
    // Bool: + is or, * is and; - / // % fmod and shifts are refused (NumPy, cpu backend).
    case BinaryOp::Add:
      return boolean ? at::logical_or(a, b) : same(at::add(a, b));
    case BinaryOp::Subtract:
      need(!boolean);
      return same(at::sub(a, b));
    case BinaryOp::Multiply:
      return boolean ? at::logical_and(a, b) : same(at::mul(a, b));
    case BinaryOp::Divide:
      need(flt);
      return at::div(a, b).to(st);
    case BinaryOp::FloorDivide:
    case BinaryOp::Mod:
    case BinaryOp::Fmod:
      need(!boolean);
      if (flt) {
        if (op == BinaryOp::FloorDivide) return at::div(a, b, "floor").to(st);
        return (op == BinaryOp::Mod ? at::remainder(a, b) : at::fmod(a, b)).to(st);
      }
      if (u64) return uint64_host_binary(op, a, b);
      return same(int_division(op, a, b, is_signed_int(dtype)));
    case BinaryOp::Power:
      if (boolean) return at::logical_or(a, at::logical_not(b));  // x**0 = 1, x**1 = x
      if (u64 && b.lt(0).any().item<bool>()) return uint64_host_binary(op, a, b);
      // Integer x**-n is 0 except for x = +-1 (ATen's rule for tensor exponents).
      return same(at::pow(a, b));
    case BinaryOp::Maximum:
      if (boolean) return at::logical_or(a, b);
      return order_key(at::maximum(order_key(a, dtype), order_key(b, dtype)), dtype).to(st);
    case BinaryOp::Minimum:
      if (boolean) return at::logical_and(a, b);
      return order_key(at::minimum(order_key(a, dtype), order_key(b, dtype)), dtype).to(st);
    case BinaryOp::Arctan2:
      need(flt);
      return at::atan2(a, b).to(st);
    case BinaryOp::Equal:
      return at::eq(a, b);
    case BinaryOp::NotEqual:
      return at::ne(a, b);
    case BinaryOp::Less:
      return at::lt(order_key(a, dtype), order_key(b, dtype));
    case BinaryOp::LessEqual:
      return at::le(order_key(a, dtype), order_key(b, dtype));
    case BinaryOp::Greater:
      return at::gt(order_key(a, dtype), order_key(b, dtype));
    case BinaryOp::GreaterEqual:
      return at::ge(order_key(a, dtype), order_key(b, dtype));
    case BinaryOp::LogicalAnd:
      return at::logical_and(a, b);
    case BinaryOp::LogicalOr:
      return at::logical_or(a, b);
    case BinaryOp::LogicalXor:
      return at::logical_xor(a, b);
    case BinaryOp::BitwiseAnd:
      need(!flt);
      return at::bitwise_and(a, b);
    case BinaryOp::BitwiseOr:
      need(!flt);
      return at::bitwise_or(a, b);
    case BinaryOp::BitwiseXor:
      need(!flt);
      return at::bitwise_xor(a, b);
    case BinaryOp::LeftShift:
    case BinaryOp::RightShift:
      need(!flt && !boolean);
      return shift(op, a, b, dtype);
  }
  throw RuntimeError("torch backend: internal error: binary op " + std::string(binary_op_name(op)));
}

}  // namespace

Tensor TorchBackend::unary_impl(UnaryOp op, const Tensor& x) {
  const std::string name = "ops::" + std::string(unary_op_name(op));
  return guarded(name, [&] {
    const DType out = unary_op_returns_bool(op) ? DType::Bool : x.dtype();
    return wrap(unary_aten(op, aten(x, name), x.dtype()), out);
  });
}

Tensor TorchBackend::binary_impl(BinaryOp op, const Tensor& a, const Tensor& b) {
  const std::string name = "ops::" + std::string(binary_op_name(op));
  return guarded(name, [&] {
    if (a.dtype() != b.dtype())
      throw TypeError("torch backend: " + name + ": operands must share a dtype, got " +
                      describe(a) + " and " + describe(b));
    const DType out = binary_op_returns_bool(op) ? DType::Bool : a.dtype();
    return wrap(binary_aten(op, aten(a, name), aten(b, name), a.dtype()), out);
  });
}

Tensor TorchBackend::where_impl(const Tensor& cond, const Tensor& a, const Tensor& b) {
  return guarded("ops::where", [&] {
    at::Tensor c = aten(cond, "ops::where");
    if (cond.dtype() != DType::Bool) c = cast_aten(c, cond.dtype(), DType::Bool);
    return wrap(at::where(c, aten(a, "ops::where"), aten(b, "ops::where")), a.dtype());
  });
}

// ---------------------------------------------------------------------------------------------
// reductions

namespace {

// t with the reduced dims moved last and merged into one: (*kept, prod(reduced)). For ATen
// reductions that take a single dim (prod, any, all in 1.13).
at::Tensor merge_reduced_last(const at::Tensor& t, std::span<const int> axes) {
  std::vector<bool> reduced(static_cast<size_t>(t.dim()), false);
  for (int a : axes) reduced[static_cast<size_t>(a)] = true;
  std::vector<int64_t> perm;
  std::vector<int64_t> sizes;
  for (int64_t d = 0; d < t.dim(); ++d)
    if (!reduced[static_cast<size_t>(d)]) {
      perm.push_back(d);
      sizes.push_back(t.size(d));
    }
  int64_t merged = 1;
  for (int a : axes) {
    perm.push_back(a);
    merged *= t.size(a);
  }
  sizes.push_back(merged);
  return t.permute(perm).reshape(sizes);
}

Shape reduced_shape(const Shape& s, std::span<const int> axes, bool keepdims) {
  Shape out;
  for (int d = 0; d < s.rank(); ++d) {
    bool r = std::find(axes.begin(), axes.end(), d) != axes.end();
    if (!r)
      out.push_back(s[static_cast<size_t>(d)]);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

}  // namespace

Tensor TorchBackend::reduce_impl(ReduceOp op, const Tensor& x, std::span<const int> axes,
                                 bool keepdims) {
  if (axes.empty()) return x;
  const std::string name = "ops::" + std::string(reduce_op_name(op));
  return guarded(name, [&] {
    const at::Tensor& t = aten(x, name);
    const DType dt = x.dtype();
    const at::ScalarType st = storage_type(dt);
    const Shape out_shape = reduced_shape(x.shape(), axes, keepdims);
    std::vector<int64_t> dims(axes.begin(), axes.end());
    at::Tensor r;
    switch (op) {
      case ReduceOp::Sum:
        if (dt == DType::Bool) {
          r = at::any(merge_reduced_last(t, axes), -1);  // the sum of bools != 0
        } else {
          // ATen sums integers in int64: cast back (modular) to keep x's dtype.
          r = wrap_unsigned(at::sum(widen_half(t, dt), dims, false), dt).to(st);
        }
        break;
      case ReduceOp::Prod:
        if (dt == DType::Bool)
          r = at::all(merge_reduced_last(t, axes), -1);
        else
          r = wrap_unsigned(at::prod(merge_reduced_last(widen_half(t, dt), axes), -1), dt).to(st);
        break;
      case ReduceOp::Max:
      case ReduceOp::Min: {
        for (int a : axes)
          if (x.shape()[static_cast<size_t>(a)] == 0)
            throw ValueError("torch backend: " + name + ": zero-size reduction along axis " +
                             std::to_string(a) + " of a tensor of shape " + x.shape().to_string() +
                             ", which has no identity");
        at::Tensor k = order_key(t, dt);
        r = order_key(op == ReduceOp::Max ? at::amax(k, dims, false) : at::amin(k, dims, false),
                      dt);
        break;
      }
      case ReduceOp::Any:
      case ReduceOp::All: {
        at::Tensor m = merge_reduced_last(widen_half(t, dt).ne(0), axes);
        r = op == ReduceOp::Any ? at::any(m, -1) : at::all(m, -1);
        break;
      }
    }
    const DType out_dtype = (op == ReduceOp::Any || op == ReduceOp::All) ? DType::Bool : dt;
    return wrap(r.reshape(dims_of(out_shape)), out_dtype);
  });
}

Tensor TorchBackend::arg_reduce_impl(ArgReduceOp op, const Tensor& x, int axis, bool keepdims) {
  const char* name = op == ArgReduceOp::ArgMax ? "ops::argmax" : "ops::argmin";
  return guarded(name, [&] {
    if (x.shape()[static_cast<size_t>(axis)] == 0)
      throw ValueError("torch backend: " + std::string(name) + ": attempt to get " +
                       (op == ArgReduceOp::ArgMax ? "argmax" : "argmin") +
                       " of an empty sequence (axis " + std::to_string(axis) + " of shape " +
                       x.shape().to_string() + ")");
    at::Tensor k = order_key(widen_half(aten(x, name), x.dtype()), x.dtype());
    if (x.dtype() == DType::Bool) k = k.to(at::kByte);
    // ATen returns the first extreme and treats NaN as the extreme, as NumPy does.
    at::Tensor r =
        op == ArgReduceOp::ArgMax ? at::argmax(k, axis, keepdims) : at::argmin(k, axis, keepdims);
    return wrap(r.to(at::kInt), DType::Int32);
  });
}

Tensor TorchBackend::cumulative_impl(CumulativeOp op, const Tensor& x, int axis, bool reverse) {
  return guarded("ops::cumulative", [&] {
    const DType dt = x.dtype();
    const at::ScalarType st = storage_type(dt);
    at::Tensor t = aten(x, "ops::cumulative");
    if (reverse) t = t.flip(axis);
    at::Tensor r;
    if (dt == DType::Bool) {  // running or / and
      at::Tensor u = t.to(at::kByte);
      r = (op == CumulativeOp::Sum || op == CumulativeOp::Max) ? std::get<0>(at::cummax(u, axis))
                                                               : std::get<0>(at::cummin(u, axis));
      r = r.ne(0);
    } else {
      at::Tensor w = widen_half(t, dt);
      switch (op) {
        case CumulativeOp::Sum:
          r = is_floating(dt) ? at::cumsum(w, axis) : at::cumsum(w, axis, w.scalar_type());
          break;
        case CumulativeOp::Prod:
          r = is_floating(dt) ? at::cumprod(w, axis) : at::cumprod(w, axis, w.scalar_type());
          break;
        case CumulativeOp::Max:
          r = order_key(std::get<0>(at::cummax(order_key(w, dt), axis)), dt);
          break;
        case CumulativeOp::Min:
          r = order_key(std::get<0>(at::cummin(order_key(w, dt), axis)), dt);
          break;
      }
      r = wrap_unsigned(r, dt).to(st);
    }
    if (reverse) r = r.flip(axis);
    return wrap(r, dt);
  });
}

}  // namespace keras::backend::torch_backend
