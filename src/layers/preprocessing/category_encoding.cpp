#include "keras/layers/preprocessing/category_encoding.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

CategoryEncodingImpl::CategoryEncodingImpl(CategoryEncodingOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  std::string& mode = options_.output_mode;
  if (mode == "binary") mode = "multi_hot";
  if (mode != "count" && mode != "one_hot" && mode != "multi_hot")
    throw ValueError("CategoryEncoding: unknown arg for output_mode: " + mode);
  if (!options_.num_tokens)
    throw ValueError(
        "CategoryEncoding: num_tokens must be set to use this layer. If the number "
        "of tokens is not known beforehand, use the IntegerLookup layer instead.");
  if (*options_.num_tokens < 1)
    throw ValueError("CategoryEncoding: `num_tokens` must be >= 1. Received: num_tokens=" +
                     std::to_string(*options_.num_tokens) + ".");
  if (options_.sparse)
    throw NotImplementedError("CategoryEncoding: sparse=true (sparse tensors) is not supported");
}

Tensor CategoryEncodingImpl::call(const Tensor& inputs, const CallContext&) {
  if (is_floating(inputs.dtype()) || inputs.dtype() == DType::Bool)
    throw TypeError("CategoryEncoding '" + name() + "': inputs must be integer ids, got dtype " +
                    std::string(dtype_name(inputs.dtype())));
  const int64_t depth = *options_.num_tokens;
  const DType dtype = compute_dtype();
  Tensor x = inputs.ndim() == 0 ? ops::expand_dims(inputs, -1) : inputs;
  const std::string& mode = options_.output_mode;
  if (mode == "multi_hot") return ops::multi_hot(x, depth, -1, dtype);
  if (mode == "one_hot") {
    if (x.ndim() > 1 && x.shape()[x.ndim() - 1] == 1)
      x = ops::reshape(x, Shape(x.shape().begin(), x.shape().end() - 1));
    return ops::one_hot(x, depth, -1, dtype);
  }
  // count: one-hot rows summed over axis 1 (0 for a vector), as Keras does.
  return ops::sum(ops::one_hot(x, depth, -1, dtype), {.axis = x.ndim() > 1 ? 1 : 0});
}

std::vector<Shape> CategoryEncodingImpl::compute_output_shape(
    const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("CategoryEncoding '" + name() + "' takes one input, got " +
                     std::to_string(input_shapes.size()));
  const Shape& in = input_shapes[0];
  const int64_t depth = *options_.num_tokens;
  if (in.rank() == 0) return {Shape{depth}};
  // Keras's rule: the last dimension becomes num_tokens, except that one_hot adds one unless it
  // is 1 (and the input has more than one dimension).
  Shape out = in;
  if (options_.output_mode == "one_hot" && (in[in.rank() - 1] != 1 || in.rank() == 1))
    out.push_back(depth);
  else
    out[out.rank() - 1] = depth;
  return {out};
}

KERAS_LAYER_CONFIG(CategoryEncoding, CategoryEncodingOptions,
                   fields::field("num_tokens", &CategoryEncodingOptions::num_tokens),
                   fields::field("output_mode", &CategoryEncodingOptions::output_mode),
                   fields::field("sparse", &CategoryEncodingOptions::sparse).read_only(),
                   fields::base<CategoryEncodingOptions>());

}  // namespace keras::layers
