// The kernel-trace hook's thread state and how recorded kernel arguments read in graph dumps.
#include "keras/backend/kernel_trace.hpp"

#include <sstream>

#include "keras/backend/backend.hpp"

namespace keras::backend {

namespace trace_detail {

thread_local KernelRecorder* active = nullptr;

namespace {

template <class T>
std::string list(std::span<const T> values) {
  std::ostringstream s;
  s << '[';
  for (size_t i = 0; i < values.size(); ++i) s << (i ? ", " : "") << values[i];
  s << ']';
  return s.str();
}

std::string pairs_list(std::span<const std::pair<int64_t, int64_t>> pairs) {
  std::string s = "[";
  for (size_t i = 0; i < pairs.size(); ++i)
    s += (i ? ", (" : "(") + std::to_string(pairs[i].first) + ", " +
         std::to_string(pairs[i].second) + ")";
  return s + "]";
}

}  // namespace

std::string attr(UnaryOp op) { return std::string(unary_op_name(op)); }
std::string attr(BinaryOp op) { return std::string(binary_op_name(op)); }
std::string attr(ReduceOp op) { return std::string(reduce_op_name(op)); }
std::string attr(ArgReduceOp op) { return op == ArgReduceOp::ArgMax ? "argmax" : "argmin"; }
std::string attr(CumulativeOp op) {
  static constexpr const char* names[] = {"cumsum", "cumprod", "cummax", "cummin"};
  return names[static_cast<int>(op)];
}
std::string attr(PadMode mode) {
  static constexpr const char* names[] = {"constant", "reflect", "symmetric"};
  return names[static_cast<int>(mode)];
}
std::string attr(ScatterReduction reduction) {
  static constexpr const char* names[] = {"set", "add", "max", "min", "multiply"};
  return names[static_cast<int>(reduction)];
}
std::string attr(DType dtype) { return std::string(dtype_name(dtype)); }
std::string attr(const Shape& shape) { return shape.to_string(); }
std::string attr(std::span<const int> values) { return list(values); }
std::string attr(std::span<const int64_t> values) { return list(values); }
std::string attr(std::span<const std::pair<int64_t, int64_t>> pairs) { return pairs_list(pairs); }
std::string attr(double value) {
  std::ostringstream s;
  s << value;
  return s.str();
}
std::string attr(int64_t value) { return std::to_string(value); }
std::string attr(int value) { return std::to_string(value); }
std::string attr(bool value) { return value ? "true" : "false"; }
std::string attr(const ConvParams& p) {
  return "strides=" + list<int64_t>(p.strides) + " dilation=" + list<int64_t>(p.dilation) +
         " padding=" + pairs_list(p.padding) + " groups=" + std::to_string(p.groups);
}
std::string attr(const PoolParams& p) {
  return "pool_size=" + list<int64_t>(p.pool_size) + " strides=" + list<int64_t>(p.strides) +
         " padding=" + pairs_list(p.padding);
}
std::string attr(const AttentionParams& p) {
  return "scale=" + attr(p.scale) + " is_causal=" + attr(p.is_causal);
}

}  // namespace trace_detail

}  // namespace keras::backend
