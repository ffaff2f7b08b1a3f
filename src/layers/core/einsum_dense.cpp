#include "keras/layers/core/einsum_dense.hpp"

#include <algorithm>
#include <map>
#include <regex>

#include "keras/initializers/random_initializers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

std::string dim_str(int64_t d) { return d == Shape::kNone ? "None" : std::to_string(d); }

// Keras's _analyze_split_string.
EinsumDenseGeometry analyze_split(const std::string& input_spec, const std::string& weight_spec,
                                  const std::string& output_spec, const std::string& bias_axes,
                                  const Shape& input_shape, const Shape& partial_output,
                                  bool left_elided) {
  const int64_t rank = input_shape.rank();
  const int64_t elided = rank - static_cast<int64_t>(input_spec.size());
  std::vector<int64_t> output_shape(partial_output.begin(), partial_output.end());
  output_shape.insert(output_shape.begin(), input_shape[0]);
  if (elided > 0 && left_elided) {
    for (int64_t i = 1; i < elided; ++i)
      output_shape.insert(output_shape.begin() + 1, input_shape[static_cast<int>(i)]);
  } else if (elided > 0) {
    for (int64_t i = rank - elided; i < rank; ++i)
      output_shape.push_back(input_shape[static_cast<int>(i)]);
  }
  std::map<char, int64_t> input_dim, output_dim;  // positions (input: may be negative)
  for (size_t i = 0; i < input_spec.size(); ++i)
    input_dim[input_spec[i]] =
        left_elided ? static_cast<int64_t>(i) + elided - rank : static_cast<int64_t>(i);
  for (size_t i = 0; i < output_spec.size(); ++i)
    output_dim[output_spec[i]] = static_cast<int64_t>(i) + (left_elided ? elided : 0);
  auto in_at = [&](char c) {
    int64_t p = input_dim.at(c);
    return input_shape[static_cast<int>(p < 0 ? p + rank : p)];
  };
  auto out_at = [&](char c) -> int64_t& {
    int64_t p = output_dim.at(c);
    if (p < 0 || p >= static_cast<int64_t>(output_shape.size()))
      throw ValueError("EinsumDense: the output spec '" + output_spec +
                       "' does not match `output_shape` and the input shape " +
                       input_shape.to_string());
    return output_shape[p];
  };
  for (char c : input_spec) {
    if (!output_dim.count(c)) continue;
    int64_t o = out_at(c), i = in_at(c);
    if (o != Shape::kNone && o != i)
      throw ValueError("Input shape and output shape do not match at shared dimension '" +
                       std::string(1, c) + "'. Input shape is " + dim_str(i) +
                       ", and output shape is " + dim_str(o) + ".");
  }
  // Unknown output dims shared with the input take the input's size (Keras leaves them None in
  // compute_output_shape; its docstrings and symbolic calls show the input's size).
  for (char c : input_spec)
    if (output_dim.count(c) && out_at(c) == Shape::kNone) out_at(c) = in_at(c);
  for (char c : output_spec)
    if (input_spec.find(c) == std::string::npos && weight_spec.find(c) == std::string::npos)
      throw ValueError("Dimension '" + std::string(1, c) + "' was specified in the output '" +
                       output_spec + "' but has no corresponding dim in the input spec '" +
                       input_spec + "' or weight spec '" + output_spec + "'");
  EinsumDenseGeometry g;
  for (size_t i = 0; i < weight_spec.size(); ++i) {
    char c = weight_spec[i];
    if (output_dim.count(c)) {
      g.kernel_shape.push_back(out_at(c));
      g.output_axes.push_back(static_cast<int64_t>(i));
    } else if (input_dim.count(c)) {
      g.kernel_shape.push_back(in_at(c));
      g.input_axes.push_back(static_cast<int64_t>(i));
    } else {
      throw ValueError("Weight dimension '" + std::string(1, c) +
                       "' did not have a match in either the input spec '" + input_spec +
                       "' or the output spec '" + output_spec +
                       "'. For this layer, the weight must be fully specified.");
    }
  }
  if (!bias_axes.empty()) {
    const int64_t left = left_elided ? elided : 0;
    size_t first = output_spec.size();
    for (char c : bias_axes) {
      size_t p = output_spec.find(c);
      if (p == std::string::npos)
        throw ValueError("Bias dimension '" + std::string(1, c) +
                         "' was requested, but is not part of the output spec '" + output_spec +
                         "'");
      first = std::min(first, p);
    }
    Shape bias;
    for (size_t i = first; i < output_spec.size(); ++i)
      bias.push_back(bias_axes.find(output_spec[i]) != std::string::npos
                         ? output_shape[static_cast<size_t>(static_cast<int64_t>(i) + left)]
                         : 1);
    if (!left_elided)
      for (int64_t i = 0; i < elided; ++i) bias.push_back(1);
    g.bias_shape = bias;
  }
  g.full_output_shape = Shape(output_shape);
  return g;
}

// Keras's _update_kernel_initializer: VarianceScaling initializers without axes get the
// kernel's input/output axes, so fans follow the einsum (not the trailing two dims).
detail::InitializerRef kernel_initializer_for(const detail::InitializerRef& ref,
                                              const EinsumDenseGeometry& g) {
  auto* vs = dynamic_cast<const initializers::VarianceScaling*>(ref.get().get());
  if (!vs) return ref;
  Config config = vs->get_config();
  if (config.contains("input_axes") && !config["input_axes"].is_null() &&
      config.contains("output_axes") && !config["output_axes"].is_null())
    return ref;
  config["input_axes"] = detail::ints_config(g.input_axes);
  config["output_axes"] = detail::ints_config(g.output_axes);
  Config envelope = Config::object();
  envelope["class_name"] = vs->class_name();
  envelope["config"] = config;
  return detail::InitializerRef(initializers::deserialize(envelope));
}

}  // namespace

EinsumDenseGeometry analyze_einsum_dense(const std::string& equation, const std::string& bias_axes,
                                         const Shape& input_shape, const Shape& output_shape) {
  std::string eq = std::regex_replace(equation, std::regex("\\.\\.\\."), "0");
  std::smatch m;
  if (std::regex_match(eq, m, std::regex("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)")))
    return analyze_split(m[1], m[2], m[3], bias_axes, input_shape, output_shape, false);
  if (std::regex_match(eq, m, std::regex("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)")))
    return analyze_split(m[1], m[2], m[3], bias_axes, input_shape, output_shape, true);
  if (std::regex_match(eq, m, std::regex("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0")))
    return analyze_split(m[1], m[2], m[3], bias_axes, input_shape, output_shape, false);
  throw ValueError("Invalid einsum equation '" + equation +
                   "'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or "
                   "[X]...,[Y]->[Z]....");
}

EinsumDenseImpl::EinsumDenseImpl(EinsumDenseOptions options)
    : LayerImpl(LayerOptions{.name = options.name,
                             .dtype = options.dtype,
                             .trainable = options.trainable,
                             .activity_regularizer = options.activity_regularizer}),
      options_(std::move(options)) {
  if (options_.equation.empty())
    throw ValueError("EinsumDense: the `equation` argument is required");
  // Checks the equation's form now (Keras does at build).
  std::string eq = std::regex_replace(options_.equation, std::regex("\\.\\.\\."), "0");
  if (!std::regex_match(eq, std::regex("0?[a-zA-Z]+0?,[a-zA-Z]+->0?[a-zA-Z]+0?")))
    throw ValueError("Invalid einsum equation '" + options_.equation +
                     "'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or "
                     "[X]...,[Y]->[Z]....");
}

void EinsumDenseImpl::build(const Shape& input_shape) {
  // The equation's input subscripts fix the input rank (unless they hold an ellipsis).
  std::string input_spec = options_.equation.substr(0, options_.equation.find(','));
  if (input_spec.find("...") == std::string::npos &&
      static_cast<int>(input_spec.size()) != input_shape.rank())
    throw ValueError(detail::layer_str(*this) + ": the equation '" + options_.equation +
                     "' expects inputs of rank " + std::to_string(input_spec.size()) + " ('" +
                     input_spec + "'), got an input of shape " + input_shape.to_string());
  EinsumDenseGeometry g = analyze_einsum_dense(options_.equation, options_.bias_axes, input_shape,
                                               options_.output_shape);
  for (int64_t d : g.kernel_shape)
    if (d == Shape::kNone)
      throw ValueError(detail::layer_str(*this) + ": the kernel shape " +
                       g.kernel_shape.to_string() + " has unknown dimensions for input shape " +
                       input_shape.to_string() + "; give them in `output_shape`");
  kernel_ = add_weight({.shape = g.kernel_shape,
                        .initializer = kernel_initializer_for(options_.kernel_initializer, g),
                        .regularizer = options_.kernel_regularizer,
                        .constraint = options_.kernel_constraint,
                        .name = "kernel"});
  if (g.bias_shape)
    bias_ = add_weight({.shape = *g.bias_shape,
                        .initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint,
                        .name = "bias"});
}

Tensor EinsumDenseImpl::call(const Tensor& inputs, const CallContext&) {
  Tensor y;
  try {
    y = ops::einsum(options_.equation, {inputs, kernel_.value()});
  } catch (const ValueError& e) {
    throw ValueError(detail::layer_str(*this) + ": input of shape " + inputs.shape().to_string() +
                     " does not fit the equation '" + options_.equation +
                     "' with the kernel of shape " + kernel_.value().shape().to_string() +
                     " (built for input shape " +
                     (build_shapes().empty() ? std::string("?") : build_shapes()[0].to_string()) +
                     "): " + e.what());
  }
  if (bias_.defined()) y = ops::add(y, bias_.value());
  if (!options_.activation.is_linear()) y = options_.activation(y);
  return y;
}

std::vector<Shape> EinsumDenseImpl::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::layer_str(*this) + ": expects one input, got " +
                     std::to_string(input_shapes.size()));
  return {analyze_einsum_dense(options_.equation, options_.bias_axes, input_shapes[0],
                               options_.output_shape)
              .full_output_shape};
}

namespace {
// Keras writes None for an unknown output dimension and accepts a bare int for a 1-D shape.
Config write_output_shape(const EinsumDenseOptions& o) {
  Config shape = Config::array();
  for (int64_t d : o.output_shape) shape.push_back(d == Shape::kNone ? Config(nullptr) : Config(d));
  return shape;
}
void read_output_shape(const Config& c, EinsumDenseOptions& o) {
  if (!detail::has(c, "output_shape")) return;
  const Config& s = c["output_shape"];
  if (s.is_number()) {
    o.output_shape = Shape{saving::config_int(s, "output_shape")};
  } else {
    for (const Config& d : s)
      o.output_shape.push_back(saving::config_dim(d, "output_shape", Shape::kNone));
  }
}
}  // namespace

KERAS_LAYER_CONFIG(EinsumDense, EinsumDenseOptions,
                   fields::custom<EinsumDenseOptions>("output_shape", write_output_shape,
                                                      read_output_shape),
                   fields::field("equation", &EinsumDenseOptions::equation),
                   fields::field("activation", &EinsumDenseOptions::activation),
                   fields::field("bias_axes", &EinsumDenseOptions::bias_axes)
                       .written_as([](const EinsumDenseOptions& o) {
                         return o.bias_axes.empty() ? Config(nullptr) : Config(o.bias_axes);
                       }),
                   fields::kernel_bias<EinsumDenseOptions>(fields::Activity::kReadWritten),
                   fields::constant<EinsumDenseOptions>("quantization_config", nullptr),
                   fields::base<EinsumDenseOptions>());

}  // namespace keras::layers
