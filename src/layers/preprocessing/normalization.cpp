#include "keras/layers/preprocessing/normalization.hpp"

#include <algorithm>

#include "keras/core/config.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {

namespace fields {

// A statistic in a config: a number for a scalar, nested lists otherwise (numpy's tolist()).
template <>
struct Codec<Tensor> {
  static Config write(const Tensor& t) {
    std::vector<double> v = t.to_vector<double>();
    if (t.ndim() == 0) return Config(v.at(0));
    size_t i = 0;
    std::function<Config(int)> level = [&](int d) {
      Config a = Config::array();
      for (int64_t k = 0; k < t.shape()[d]; ++k)
        a.push_back(d + 1 == t.ndim() ? Config(v[i++]) : level(d + 1));
      return a;
    };
    return level(0);
  }
  static void read(const Config& v, const char* key, Tensor& out) {
    Shape shape;
    std::vector<double> values;
    // The first list at each depth fixes the shape; every other must match it.
    std::function<void(const Config&, size_t)> walk = [&](const Config& c, size_t depth) {
      if (c.is_number()) {
        if (depth != shape.size())
          throw ValueError(std::string("Normalization: `") + key + "` is not a rectangular array");
        values.push_back(c.get<double>());
        return;
      }
      if (!c.is_array())
        throw ValueError(std::string("Normalization: `") + key +
                         "` must be a number or nested "
                         "lists of numbers, got " +
                         c.dump());
      if (depth == shape.size())
        shape.push_back(static_cast<int64_t>(c.size()));
      else if (depth > shape.size() || shape[depth] != static_cast<int64_t>(c.size()))
        throw ValueError(std::string("Normalization: `") + key + "` is not a rectangular array");
      for (const Config& e : c) walk(e, depth + 1);
    };
    walk(v, 0);
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    if (n != static_cast<int64_t>(values.size()))
      throw ValueError(std::string("Normalization: `") + key + "` is not a rectangular array");
    out = ops::convert_to_tensor(values, shape, {.dtype = DType::Float32});
  }
  static void read_null(Tensor&) {}
};

}  // namespace fields

std::string NormalizationImpl::where() const { return "Normalization '" + name() + "'"; }

NormalizationImpl::NormalizationImpl(NormalizationOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  set_supports_masking(true);
  const auto& m = options_.mean;
  const auto& v = options_.variance;
  if (m.has_value() != v.has_value())
    throw ValueError(where() +
                     ": when setting values directly, both `mean` and `variance` must "
                     "be set. Received: mean=" +
                     (m ? m->to_string() : "None") +
                     " and variance=" + (v ? v->to_string() : "None"));
  if (m) {
    if (m->shape() != v->shape())
      throw ValueError(where() +
                       ": when setting values directly, `mean` and `variance` must "
                       "have the same shape. Received: mean shape " +
                       m->shape().to_string() + " and variance shape " + v->shape().to_string());
    if (m->ndim() > static_cast<int>(options_.axis.size()))
      throw ValueError(where() +
                       ": the rank of `mean` must be less than or equal to the number "
                       "of axes (" +
                       std::to_string(options_.axis.size()) + "). Received: mean shape " +
                       m->shape().to_string());
  }
}

void NormalizationImpl::build(const Shape& input_shape) {
  const int ndim = input_shape.rank();
  for (int64_t a : options_.axis)
    if (a < -ndim || a >= ndim)
      throw ValueError(where() +
                       ": all `axis` values must be in the range [-ndim, ndim). "
                       "Received inputs with ndim=" +
                       std::to_string(ndim) + ", while axis=" + Shape(options_.axis).to_string());
  keep_axis_.clear();
  for (int64_t a : options_.axis) keep_axis_.push_back(a < 0 ? a + ndim : a);
  std::sort(keep_axis_.begin(), keep_axis_.end());
  reduce_axis_.clear();
  stats_shape_.clear();
  broadcast_shape_ = Shape(std::vector<int64_t>(static_cast<size_t>(ndim), 1));
  for (int d = 0; d < ndim; ++d) {
    bool keep = std::find(keep_axis_.begin(), keep_axis_.end(), d) != keep_axis_.end();
    if (!keep) {
      reduce_axis_.push_back(d);
      continue;
    }
    if (input_shape[d] < 0)
      throw ValueError(where() +
                       ": all `axis` values to be kept must have a known shape. "
                       "Received axis=" +
                       Shape(options_.axis).to_string() +
                       ", inputs.shape=" + input_shape.to_string() +
                       ", with unknown axis at index " + std::to_string(d));
    stats_shape_.push_back(input_shape[d]);
    broadcast_shape_[d] = input_shape[d];
  }
  build_shape_ = input_shape;
  if (!options_.mean) {
    adapt_mean_ = add_weight(
        {.shape = stats_shape_, .initializer = "zeros", .trainable = false, .name = "mean"});
    adapt_variance_ = add_weight(
        {.shape = stats_shape_, .initializer = "ones", .trainable = false, .name = "variance"});
    count_ = add_weight({.shape = Shape{},
                         .initializer = "zeros",
                         .dtype = DType::Int32,
                         .trainable = false,
                         .name = "count"});
  }
  LayerImpl::build(input_shape);
}

Tensor NormalizationImpl::broadcast(const Tensor& stat) const {
  Tensor s = ops::cast(stat, compute_dtype());
  if (s.ndim() > 0) {
    // The statistic's dimensions go to the last kept axes (Keras's expanded_shape).
    Shape expanded(std::vector<int64_t>(broadcast_shape_.size(), 1));
    for (int i = 1; i <= s.ndim(); ++i)
      expanded[static_cast<size_t>(keep_axis_[keep_axis_.size() - i])] = s.shape()[s.ndim() - i];
    s = ops::reshape(s, expanded);
  }
  return ops::broadcast_to(s, broadcast_shape_);
}

Tensor NormalizationImpl::call(const Tensor& inputs, const CallContext&) {
  DType d = compute_dtype();
  Tensor x = inputs.dtype() == d ? inputs : ops::cast(inputs, d);
  Tensor mean = broadcast(options_.mean ? *options_.mean : adapt_mean_.value());
  Tensor variance = broadcast(options_.variance ? *options_.variance : adapt_variance_.value());
  Tensor scale = ops::maximum(ops::sqrt(variance), ops::cast(Tensor(config::epsilon()), d));
  if (options_.invert) return ops::add(mean, ops::multiply(x, scale));
  return ops::divide(ops::subtract(x, mean), scale);
}

void NormalizationImpl::check_kept_dims(const Shape& shape, const char* what) const {
  for (int64_t d : keep_axis_)
    if (d >= shape.rank() || shape[d] != build_shape_[d])
      throw ValueError(where() + ": the layer was built with input_shape=" +
                       build_shape_.to_string() + ", but adapt() is being called with " + what +
                       " with an incompatible shape, data.shape=" + shape.to_string());
}

void NormalizationImpl::adapt(const Tensor& data) {
  if (!data.defined() || data.is_symbolic())
    throw ValueError(where() + ": adapt() needs concrete data");
  if (options_.mean)
    throw ValueError(where() +
                     ": adapt() computes the statistics; this layer was given `mean` "
                     "and `variance`");
  if (!built()) maybe_build({data.shape()});
  check_kept_dims(data.shape(), "data");
  Tensor x = ops::cast(data, compute_dtype());
  adapt_mean_.assign(ops::mean(x, {.axis = reduce_axis_}));
  adapt_variance_.assign(ops::var(x, {.axis = reduce_axis_}));
}

void NormalizationImpl::adapt(const data::Dataset& dataset) {
  if (options_.mean)
    throw ValueError(where() +
                     ": adapt() computes the statistics; this layer was given `mean` "
                     "and `variance`");
  Tensor total_mean, total_var;
  int64_t total_count = 0;
  for (const data::Element& e : dataset) {
    if (e.empty() || !e[0].defined())
      throw ValueError(where() + ": adapt() received a dataset element without a tensor");
    Tensor batch = ops::cast(e[0], compute_dtype());
    if (!built()) maybe_build({batch.shape()});
    check_kept_dims(batch.shape(), "a batch");
    Tensor batch_mean = ops::mean(batch, {.axis = reduce_axis_});
    Tensor batch_var = ops::var(batch, {.axis = reduce_axis_});
    int64_t batch_count = 1;
    for (int64_t d : reduce_axis_) batch_count *= batch.shape()[d];
    if (!total_mean.defined()) {
      total_mean = ops::zeros_like(batch_mean);
      total_var = ops::zeros_like(batch_var);
    }
    total_count += batch_count;
    double batch_weight = static_cast<double>(batch_count) / static_cast<double>(total_count);
    double existing_weight = 1.0 - batch_weight;
    Tensor new_mean = ops::add(ops::multiply(total_mean, existing_weight),
                               ops::multiply(batch_mean, batch_weight));
    total_var = ops::add(
        ops::multiply(ops::add(total_var, ops::square(ops::subtract(total_mean, new_mean))),
                      existing_weight),
        ops::multiply(ops::add(batch_var, ops::square(ops::subtract(batch_mean, new_mean))),
                      batch_weight));
    total_mean = new_mean;
  }
  if (!total_mean.defined())
    throw ValueError(where() + ": adapt() received an empty dataset (no batches)");
  adapt_mean_.assign(total_mean);
  adapt_variance_.assign(total_var);
}

KERAS_LAYER_CONFIG(Normalization, NormalizationOptions,
                   fields::field("axis", &NormalizationOptions::axis),
                   fields::field("invert", &NormalizationOptions::invert),
                   fields::field("mean", &NormalizationOptions::mean),
                   fields::field("variance", &NormalizationOptions::variance),
                   fields::base<NormalizationOptions>());

}  // namespace keras::layers
