// The backend matrix's op cases: one line each (see op_descriptors.hpp).
#include "conformance/op_descriptors.hpp"

#include "keras/ops/ops.hpp"

namespace keras::testing {
namespace {

using X = const std::vector<Tensor>&;
using UnaryFn = Tensor (*)(const Tensor&);
using BinaryFn = Tensor (*)(const Tensor&, const Tensor&);
using D = Domain;

const std::vector<DType> kFloats = {float32, float64, float16, bfloat16};
const std::vector<DType> kNumeric = {float32, float64, float16, bfloat16, int32, int64};
const std::vector<DType> kAll = {float32, float64, float16, bfloat16, int32, int64, bool_};
const std::vector<DType> kIntegral = {int32, int64, uint8, bool_};

// Index tensors live on the backend of the data they index.
Tensor ints(const Tensor& like, std::vector<int32_t> values, Shape shape) {
  return ops::convert_to_tensor(values, shape, {.backend = std::string(like.backend_name())});
}

OpDescriptor unary(std::string name, UnaryFn f, D domain = D::Real,
                   std::vector<DType> dtypes = kNumeric, bool differentiable = true) {
  return {std::move(name),   {{2, 3}},       [f](X x) { return f(x[0]); },
          std::move(dtypes), differentiable, {domain}};
}
OpDescriptor binary(std::string name, BinaryFn f, D d1 = D::Real, D d2 = D::Real,
                    std::vector<DType> dtypes = kNumeric, bool differentiable = true) {
  return {std::move(name),   {{2, 3}, {3}},  [f](X x) { return f(x[0], x[1]); },
          std::move(dtypes), differentiable, {d1, d2}};
}
OpDescriptor nd_unary(std::string name, UnaryFn f, std::vector<DType> dtypes = kAll) {
  return unary(std::move(name), f, D::Real, std::move(dtypes), false);
}
OpDescriptor nd_binary(std::string name, BinaryFn f, std::vector<DType> dtypes = kAll,
                       D d2 = D::Real) {
  return binary(std::move(name), f, D::Real, d2, std::move(dtypes), false);
}

std::vector<OpDescriptor> make() {
  std::vector<OpDescriptor> v = {
      // ---- elementwise unary ----
      unary("abs", ops::abs),
      unary("negative", ops::negative),
      unary("square", ops::square),
      nd_unary("sign", ops::sign, kNumeric),
      nd_unary("floor", ops::floor, kNumeric),
      nd_unary("ceil", ops::ceil, kNumeric),
      nd_unary("trunc", ops::trunc, kNumeric),
      {"round(decimals=1)", {{2, 3}}, [](X x) { return ops::round(x[0], 1); }, kFloats, false},
      unary("reciprocal", ops::reciprocal, D::NonZero, kFloats),
      unary("sqrt", ops::sqrt, D::Positive),
      unary("rsqrt", ops::rsqrt, D::Positive, kFloats),
      unary("cbrt", ops::cbrt, D::Positive),
      unary("exp", ops::exp),
      unary("exp2", ops::exp2),
      unary("expm1", ops::expm1),
      unary("log", ops::log, D::Positive),
      unary("log1p", ops::log1p, D::Positive),
      unary("log2", ops::log2, D::Positive),
      unary("log10", ops::log10, D::Positive),
      unary("sin", ops::sin),
      unary("cos", ops::cos),
      unary("tan", ops::tan, D::Unit, kFloats),
      unary("arcsin", ops::arcsin, D::Unit, kFloats),
      unary("arccos", ops::arccos, D::Unit, kFloats),
      unary("arctan", ops::arctan),
      unary("sinh", ops::sinh),
      unary("cosh", ops::cosh),
      unary("tanh", ops::tanh),
      unary("arcsinh", ops::arcsinh),
      unary("arccosh", ops::arccosh, D::AboveOne),
      unary("arctanh", ops::arctanh, D::Unit, kFloats),
      unary("erf", ops::erf),
      unary("erfinv", ops::erfinv, D::Unit, kFloats),
      unary("deg2rad", ops::deg2rad),
      unary("rad2deg", ops::rad2deg),
      unary("sinc", ops::sinc, D::Positive, kFloats),
      nd_unary("logical_not", ops::logical_not),
      nd_unary("isnan", ops::isnan),
      nd_unary("isfinite", ops::isfinite),
      nd_unary("signbit", ops::signbit),
      nd_unary("bitwise_not", ops::bitwise_not, kIntegral),
      // ---- elementwise binary (shapes (2, 3) and (3,): broadcasting) ----
      binary("add", ops::add),
      binary("subtract", ops::subtract),
      binary("multiply", ops::multiply),
      binary("divide", ops::divide, D::Real, D::NonZero),
      binary("divide_no_nan", ops::divide_no_nan, D::Real, D::NonZero, kFloats),
      nd_binary("floor_divide", ops::floor_divide, kNumeric, D::NonZero),
      nd_binary("mod", ops::mod, kNumeric, D::NonZero),
      nd_binary("fmod", ops::fmod, kNumeric, D::NonZero),
      binary("power", ops::power, D::Positive, D::Real, kFloats),
      binary("maximum", ops::maximum),
      binary("minimum", ops::minimum),
      binary("arctan2", ops::arctan2, D::Real, D::NonZero, kFloats),
      binary("hypot", ops::hypot, D::NonZero, D::NonZero, kFloats),
      binary("logaddexp", ops::logaddexp, D::Real, D::Real, kFloats),
      nd_binary("equal", ops::equal),
      nd_binary("not_equal", ops::not_equal),
      nd_binary("less", ops::less),
      nd_binary("greater_equal", ops::greater_equal),
      nd_binary("logical_and", ops::logical_and),
      nd_binary("logical_xor", ops::logical_xor),
      nd_binary("bitwise_and", ops::bitwise_and, kIntegral),
      nd_binary("bitwise_xor", ops::bitwise_xor, kIntegral),
      {"left_shift",
       {{2, 3}, {3}},
       [](X x) { return ops::left_shift(x[0], x[1]); },
       {int32, int64},
       false,
       {D::Positive, D::Positive}},
      // ---- ternary ----
      {"where",
       {{2, 3}, {2, 3}, {3}},
       [](X x) { return ops::where(ops::greater(x[0], 0), x[1], x[2]); },
       kNumeric},
      {"clip", {{2, 3}}, [](X x) { return ops::clip(x[0], -1, 1); }, kNumeric},
      {"tril(k=-1)", {{3, 4}}, [](X x) { return ops::tril(x[0], -1); }, kAll},
      {"triu(k=1)", {{3, 4}}, [](X x) { return ops::triu(x[0], 1); }, kAll},
      // ---- activations ----
      unary("relu", ops::relu, D::Real, kFloats),
      unary("relu6", ops::relu6, D::Real, kFloats),
      {"elu", {{2, 3}}, [](X x) { return ops::elu(x[0]); }, kFloats},
      unary("selu", ops::selu, D::Real, kFloats),
      {"celu", {{2, 3}}, [](X x) { return ops::celu(x[0]); }, kFloats},
      {"gelu(approximate=True)", {{2, 3}}, [](X x) { return ops::gelu(x[0], true); }, kFloats},
      {"gelu(approximate=False)", {{2, 3}}, [](X x) { return ops::gelu(x[0], false); }, kFloats},
      unary("silu", ops::silu, D::Real, kFloats),
      unary("sigmoid", ops::sigmoid, D::Real, kFloats),
      unary("hard_sigmoid", ops::hard_sigmoid, D::Real, kFloats),
      unary("hard_silu", ops::hard_silu, D::Real, kFloats),
      unary("hard_tanh", ops::hard_tanh, D::Real, kFloats),
      unary("softplus", ops::softplus, D::Real, kFloats),
      unary("softsign", ops::softsign, D::Real, kFloats),
      {"leaky_relu", {{2, 3}}, [](X x) { return ops::leaky_relu(x[0]); }, kFloats},
      unary("log_sigmoid", ops::log_sigmoid, D::Real, kFloats),
      {"glu", {{2, 4}}, [](X x) { return ops::glu(x[0]); }, kFloats},
      {"softmax(axis=-1)", {{2, 4}}, [](X x) { return ops::softmax(x[0]); }, kFloats},
      {"softmax(axis=0)", {{3, 2}}, [](X x) { return ops::softmax(x[0], 0); }, kFloats},
      {"log_softmax", {{2, 4}}, [](X x) { return ops::log_softmax(x[0]); }, kFloats},
      {"one_hot",
       {{2, 3}},
       [](X x) { return ops::one_hot(x[0], 6); },
       {int32, int64},
       false,
       {D::Positive}},
      // ---- convolution and pooling (channels_last) ----
      {"conv(same)",
       {{1, 5, 5, 2}, {3, 3, 2, 3}},
       [](X x) { return ops::conv(x[0], x[1], {.padding = "same"}); },
       kFloats},
      {"conv(1d, strides=2)",
       {{1, 7, 2}, {2, 2, 3}},
       [](X x) { return ops::conv(x[0], x[1], {.strides = 2}); },
       kFloats},
      {"depthwise_conv",
       {{1, 4, 4, 2}, {3, 3, 2, 2}},
       [](X x) { return ops::depthwise_conv(x[0], x[1], {.padding = "same"}); },
       kFloats},
      {"conv_transpose(strides=2)",
       {{1, 3, 3, 2}, {3, 3, 4, 2}},
       [](X x) { return ops::conv_transpose(x[0], x[1], {.strides = 2}); },
       kFloats},
      {"max_pool", {{1, 4, 4, 2}}, [](X x) { return ops::max_pool(x[0], 2); }, kFloats},
      {"average_pool(same)",
       {{1, 5, 5, 1}},
       [](X x) { return ops::average_pool(x[0], 3, {.strides = 2, .padding = "same"}); },
       kFloats},
      // ---- normalization and losses ----
      {"batch_normalization",
       {{2, 3}, {3}, {3}, {3}, {3}},
       [](X x) { return ops::batch_normalization(x[0], x[1], x[2], -1, x[3], x[4]); },
       kFloats,
       true,
       {D::Real, D::Real, D::Positive, D::Real, D::Real}},
      {"binary_crossentropy",
       {{2, 3}, {2, 3}},
       [](X x) { return ops::binary_crossentropy(x[0], x[1]); },
       kFloats,
       true,
       {D::Probability, D::Probability}},
      {"categorical_crossentropy(from_logits)",
       {{2, 4}, {2, 4}},
       [](X x) { return ops::categorical_crossentropy(x[0], x[1], true); },
       kFloats,
       true,
       {D::Probability, D::Real}},
      {"sparse_categorical_crossentropy",
       {{2, 4}},
       [](X x) {
         return ops::sparse_categorical_crossentropy(ints(x[0], {1, 3}, {2}), x[0], true);
       },
       kFloats},
      // ---- math ----
      {"logsumexp(axis=-1)",
       {{2, 4}},
       [](X x) { return ops::logsumexp(x[0], {.axis = -1}); },
       kFloats},
      {"segment_sum",
       {{4, 2}},
       [](X x) { return ops::segment_sum(x[0], ints(x[0], {0, 0, 2, 1}, {4}), 3); },
       kNumeric},
  };
  std::vector<OpDescriptor> shape_ops = {
      // ---- reductions ----
      {"sum(axis=1)", {{2, 3, 2}}, [](X x) { return ops::sum(x[0], {.axis = 1}); }, kNumeric},
      {"sum", {{2, 3}}, [](X x) { return ops::sum(x[0]); }, kNumeric},
      {"prod(axis=0)", {{3, 2}}, [](X x) { return ops::prod(x[0], {.axis = 0}); }, kNumeric},
      {"mean(keepdims)",
       {{2, 3}},
       [](X x) { return ops::mean(x[0], {.axis = -1, .keepdims = true}); },
       kNumeric},
      {"max(axis=0)", {{3, 2}}, [](X x) { return ops::max(x[0], {.axis = 0}); }, kNumeric},
      {"min", {{3, 2}}, [](X x) { return ops::min(x[0]); }, kNumeric},
      {"var(axis=-1)", {{2, 4}}, [](X x) { return ops::var(x[0], {.axis = -1}); }, kFloats},
      {"std", {{2, 4}}, [](X x) { return ops::std(x[0]); }, kFloats},
      {"any(axis=1)", {{2, 3}}, [](X x) { return ops::any(x[0], {.axis = 1}); }, kAll, false},
      {"all", {{2, 3}}, [](X x) { return ops::all(x[0]); }, kAll, false},
      {"argmax(axis=-1)", {{2, 4}}, [](X x) { return ops::argmax(x[0], -1); }, kNumeric, false},
      {"argmin", {{2, 4}}, [](X x) { return ops::argmin(x[0]); }, kNumeric, false},
      {"cumsum(axis=1)", {{2, 3}}, [](X x) { return ops::cumsum(x[0], 1); }, kNumeric},
      {"cumprod(axis=0)", {{3, 2}}, [](X x) { return ops::cumprod(x[0], 0); }, kNumeric},
      // ---- shape and indexing ----
      {"reshape",
       {{2, 3}},
       [](X x) {
         return ops::reshape(x[0], {3, -1});
       },
       kAll},
      {"transpose",
       {{2, 3, 2}},
       [](X x) {
         return ops::transpose(x[0], {2, 0, 1});
       },
       kAll},
      {"expand_dims", {{2, 3}}, [](X x) { return ops::expand_dims(x[0], -1); }, kAll},
      {"squeeze", {{2, 1, 3}}, [](X x) { return ops::squeeze(x[0], 1); }, kAll},
      {"concatenate",
       {{2, 3}, {1, 3}},
       [](X x) {
         return ops::concatenate({x[0], x[1]});
       },
       kAll},
      {"stack(axis=-1)",
       {{2, 3}, {2, 3}},
       [](X x) {
         return ops::stack({x[0], x[1]}, -1);
       },
       kAll},
      {"split[1]", {{2, 4}}, [](X x) { return ops::split(x[0], 2, 1)[1]; }, kAll},
      {"take(axis=1)",
       {{2, 4}},
       [](X x) {
         return ops::take(x[0], ints(x[0], {3, 0, 3}, {3}), 1);
       },
       kAll},
      {"take_along_axis",
       {{2, 3}},
       [](X x) {
         return ops::take_along_axis(x[0], ints(x[0], {2, 0, 1, 1}, {2, 2}), 1);
       },
       kAll},
      {"pad(constant)",
       {{2, 3}},
       [](X x) {
         return ops::pad(x[0], {{1, 0}, {0, 2}});
       },
       kAll},
      {"pad(reflect)",
       {{3, 4}},
       [](X x) {
         return ops::pad(x[0], {{1, 2}, {2, 1}}, "reflect");
       },
       kNumeric},
      {"tile",
       {{2, 2}},
       [](X x) {
         return ops::tile(x[0], {2, 1, 2});
       },
       kAll},
      {"repeat(axis=0)", {{2, 3}}, [](X x) { return ops::repeat(x[0], 2, 0); }, kAll},
      {"flip", {{2, 3}}, [](X x) { return ops::flip(x[0], 1); }, kAll},
      {"roll", {{2, 3}}, [](X x) { return ops::roll(x[0], 1, 1); }, kAll},
      {"sort", {{2, 5}}, [](X x) { return ops::sort(x[0]); }, kNumeric},
      {"argsort", {{2, 5}}, [](X x) { return ops::argsort(x[0]); }, kNumeric, false},
      {"top_k values", {{2, 5}}, [](X x) { return ops::top_k(x[0], 3).first; }, kNumeric},
      // ---- linear algebra ----
      {"matmul(batched, broadcast)",
       {{2, 1, 2, 3}, {3, 3, 2}},
       [](X x) { return ops::matmul(x[0], x[1]); },
       kNumeric},
      {"matmul(vector)", {{3}, {3, 2}}, [](X x) { return ops::matmul(x[0], x[1]); }, kNumeric},
      {"dot", {{2, 3}, {3, 2}}, [](X x) { return ops::dot(x[0], x[1]); }, kNumeric},
      {"outer", {{3}, {2}}, [](X x) { return ops::outer(x[0], x[1]); }, kNumeric},
      {"tensordot",
       {{2, 3, 2}, {3, 2, 2}},
       [](X x) { return ops::tensordot(x[0], x[1], 2); },
       kNumeric},
      {"einsum(bij,bjk->bik)",
       {{2, 2, 3}, {2, 3, 2}},
       [](X x) {
         return ops::einsum("bij,bjk->bik", {x[0], x[1]});
       },
       kNumeric},
      {"normalize",
       {{2, 3}},
       [](X x) { return ops::normalize(x[0]); },
       kFloats,
       true,
       {D::NonZero}},
      {"moments[variance]", {{2, 3}}, [](X x) { return ops::moments(x[0], {0}).second; }, kFloats},
  };
  v.insert(v.end(), shape_ops.begin(), shape_ops.end());
  return v;
}

}  // namespace

const std::vector<OpDescriptor>& op_descriptors() {
  static const std::vector<OpDescriptor> list = make();
  return list;
}

}  // namespace keras::testing
