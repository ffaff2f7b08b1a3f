#include "keras/backend/backend.hpp"

namespace keras::backend {

std::string_view unary_op_name(UnaryOp op) {
  static constexpr std::string_view names[] = {
      "negative", "abs",        "sign",      "square",      "reciprocal",  "floor",    "ceil",
      "round",    "trunc",      "sqrt",      "rsqrt",       "exp",         "exp2",     "expm1",
      "log",      "log1p",      "log2",      "log10",       "sin",         "cos",      "tan",
      "arcsin",   "arccos",     "arctan",    "sinh",        "cosh",        "tanh",     "arcsinh",
      "arccosh",  "arctanh",    "erf",       "erfinv",      "sigmoid",     "softplus", "relu",
      "silu",     "gelu",       "gelu_tanh", "log_sigmoid", "logical_not", "isnan",    "isinf",
      "isfinite", "bitwise_not"};
  static_assert(std::size(names) == kNumUnaryOps);
  return names[static_cast<int>(op)];
}

std::string_view binary_op_name(BinaryOp op) {
  static constexpr std::string_view names[] = {
      "add",         "subtract",      "multiply",    "divide",     "floor_divide",
      "mod",         "power",         "maximum",     "minimum",    "arctan2",
      "fmod",        "equal",         "not_equal",   "less",       "less_equal",
      "greater",     "greater_equal", "logical_and", "logical_or", "logical_xor",
      "bitwise_and", "bitwise_or",    "bitwise_xor", "left_shift", "right_shift"};
  static_assert(std::size(names) == kNumBinaryOps);
  return names[static_cast<int>(op)];
}

bool binary_op_returns_bool(BinaryOp op) {
  return op >= BinaryOp::Equal && op <= BinaryOp::LogicalXor;
}

bool unary_op_returns_bool(UnaryOp op) {
  return op >= UnaryOp::LogicalNot && op <= UnaryOp::IsFinite;
}

std::string_view reduce_op_name(ReduceOp op) {
  static constexpr std::string_view names[] = {"sum", "prod", "max", "min", "any", "all"};
  static_assert(std::size(names) == static_cast<size_t>(ReduceOp::All) + 1);
  return names[static_cast<int>(op)];
}

std::string_view fused_kernel_name(FusedKernel k) {
  static constexpr std::string_view names[] = {"conv",
                                               "conv_backprop_input",
                                               "conv_backprop_filter",
                                               "max_pool",
                                               "max_pool_backward",
                                               "avg_pool",
                                               "avg_pool_backward",
                                               "softmax",
                                               "log_softmax",
                                               "dot_product_attention",
                                               "dot_product_attention_backward",
                                               "lstm",
                                               "lstm_backward",
                                               "gru",
                                               "gru_backward"};
  static_assert(std::size(names) == kNumFusedKernels);
  return names[static_cast<int>(k)];
}

}  // namespace keras::backend
