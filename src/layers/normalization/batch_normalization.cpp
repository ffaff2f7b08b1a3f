#include "keras/layers/normalization/batch_normalization.hpp"

#include <cmath>

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"

namespace keras::layers {
namespace {

// sqrt of another initializer's values (Keras's moving_stddev_initializer for renorm).
class SqrtOf : public initializers::Initializer {
 public:
  explicit SqrtOf(std::shared_ptr<initializers::Initializer> inner) : inner_(std::move(inner)) {}
  Tensor operator()(const Shape& shape, std::optional<DType> dtype) const override {
    return ops::sqrt((*inner_)(shape, dtype));
  }
  std::string class_name() const override { return "SqrtOf"; }

 private:
  std::shared_ptr<initializers::Initializer> inner_;
};

}  // namespace

BatchNormalizationImpl::BatchNormalizationImpl(BatchNormalizationOptions options)
    : LayerImpl(layer_options(options)), options_(std::move(options)) {
  if (options_.synchronized)
    throw ValueError(
        "BatchNormalization: argument synchronized=True is only supported with the "
        "TensorFlow backend.");
  if (options_.renorm && options_.renorm_clipping) {
    for (const auto& [k, v] : *options_.renorm_clipping)
      if (k != "rmax" && k != "rmin" && k != "dmax")
        throw ValueError("BatchNormalization: received invalid key '" + k +
                         "' in `renorm_clipping`. Supported keys: rmax, rmin, dmax.");
    const auto& rc = *options_.renorm_clipping;
    if (rc.count("rmax") && rc.count("rmin") && rc.at("rmax") < rc.at("rmin"))
      throw ValueError(
          "BatchNormalization: rmax should be greater than rmin in the "
          "`renorm_clipping` argument. Received: rmax=" +
          std::to_string(rc.at("rmax")) + ", rmin=" + std::to_string(rc.at("rmin")) + ".");
    if (rc.count("dmax") && rc.at("dmax") < 0)
      throw ValueError(
          "BatchNormalization: dmax should be non-negative in the `renorm_clipping` "
          "argument. Received: dmax=" +
          std::to_string(rc.at("dmax")) + ".");
  }
  if (!(options_.epsilon >= 0))
    throw ValueError("BatchNormalization: `epsilon` must be non-negative, got " +
                     std::to_string(options_.epsilon));
  set_supports_masking(true);
}

std::string BatchNormalizationImpl::where() const { return "BatchNormalization '" + name() + "'"; }

void BatchNormalizationImpl::build(const Shape& input_shape) {
  rank_ = input_shape.rank();
  if (options_.axis >= rank_ || options_.axis < -rank_)
    throw ValueError(where() + ": axis " + std::to_string(options_.axis) +
                     " is out of bounds for input shape " + input_shape.to_string() + ".");
  axis_ = static_cast<int>(options_.axis < 0 ? options_.axis + rank_ : options_.axis);
  features_ = input_shape[axis_];
  if (features_ < 0)
    throw ValueError(where() + ": axis " + std::to_string(options_.axis) +
                     " of the input should have a defined dimension, but the layer received an "
                     "input with shape " +
                     input_shape.to_string() + ".");
  Shape shape{features_};
  if (options_.scale)
    gamma_ = add_weight({.shape = shape,
                         .initializer = options_.gamma_initializer,
                         .trainable = true,
                         .regularizer = options_.gamma_regularizer,
                         .constraint = options_.gamma_constraint,
                         .name = "gamma"});
  if (options_.center)
    beta_ = add_weight({.shape = shape,
                        .initializer = options_.beta_initializer,
                        .trainable = true,
                        .regularizer = options_.beta_regularizer,
                        .constraint = options_.beta_constraint,
                        .name = "beta"});
  moving_mean_ = add_weight({.shape = shape,
                             .initializer = options_.moving_mean_initializer,
                             .trainable = false,
                             .name = "moving_mean"});
  moving_variance_ = add_weight({.shape = shape,
                                 .initializer = options_.moving_variance_initializer,
                                 .trainable = false,
                                 .name = "moving_variance"});
  if (options_.renorm) {
    auto stddev_init = std::make_shared<SqrtOf>(options_.moving_variance_initializer.get());
    moving_stddev_ = add_weight(
        {.shape = shape, .initializer = stddev_init, .trainable = false, .name = "moving_stddev"});
    renorm_mean_ = add_weight({.shape = shape,
                               .initializer = options_.moving_mean_initializer,
                               .trainable = false,
                               .name = "renorm_mean"});
    renorm_stddev_ = add_weight(
        {.shape = shape, .initializer = stddev_init, .trainable = false, .name = "renorm_stddev"});
  }
  reduction_axes_.clear();
  for (int i = 0; i < rank_; ++i)
    if (i != axis_) reduction_axes_.push_back(i);
}

std::pair<Tensor, Tensor> BatchNormalizationImpl::batch_moments(const Tensor& x,
                                                                const Tensor& mask) const {
  if (!mask.defined()) return ops::moments(x, reduction_axes_);
  // Masked moments: the mask (inputs' shape without the last axis) weights each position.
  Tensor m = ops::cast(ops::broadcast_to(ops::expand_dims(mask, -1), x.shape()), DType::Bool);
  Tensor w = ops::cast(m, x.dtype());
  const double eps = config::epsilon();
  Tensor total = ops::sum(w, {.axis = reduction_axes_, .keepdims = true});
  Tensor mean =
      ops::sum(ops::where(m, x, Tensor(0.0)), {.axis = reduction_axes_, .keepdims = true}) /
      (total + eps);
  Tensor diff = ops::where(m, x - mean, Tensor(0.0));
  Tensor var =
      ops::sum(ops::square(diff), {.axis = reduction_axes_, .keepdims = true}) / (total + eps);
  return {ops::reshape(mean, Shape{features_}), ops::reshape(var, Shape{features_})};
}

Tensor BatchNormalizationImpl::call(const Tensor& inputs, const CallContext& context) {
  if (inputs.ndim() != rank_)
    throw ValueError(where() + ": input has " + std::to_string(inputs.ndim()) + " dimensions " +
                     inputs.shape().to_string() + ", expected " + std::to_string(rank_) +
                     " (the layer was built for input shape " + build_shapes().at(0).to_string() +
                     ")");
  int64_t d = inputs.shape()[axis_];
  if (d >= 0 && d != features_)
    throw ValueError(where() + ": input shape " + inputs.shape().to_string() + " has " +
                     std::to_string(d) + " features on axis " + std::to_string(options_.axis) +
                     ", expected " + std::to_string(features_) +
                     " (the layer was built for input shape " + build_shapes().at(0).to_string() +
                     ")");
  if (context.mask.defined() && context.mask.ndim() != inputs.ndim() - 1)
    throw ValueError(where() +
                     ": the mask provided should be one dimension less than the inputs. "
                     "Received: mask.shape=" +
                     context.mask.shape().to_string() +
                     ", inputs.shape=" + inputs.shape().to_string());

  DType cd = result_type(inputs.dtype(), DType::Float32);
  Tensor x = ops::cast(inputs, cd);
  Tensor moving_mean = ops::cast(moving_mean_.value(), cd);
  Tensor moving_variance = ops::cast(moving_variance_.value(), cd);
  Tensor gamma = options_.scale ? ops::cast(gamma_.value(), cd) : Tensor();
  Tensor beta = options_.center ? ops::cast(beta_.value(), cd) : Tensor();
  Tensor mean, variance;
  const double momentum = options_.momentum;
  const bool update = !x.is_symbolic();
  if (context.training && trainable()) {
    std::tie(mean, variance) = batch_moments(x, context.mask);
    if (options_.renorm) {
      Tensor stddev = ops::sqrt(variance + options_.epsilon);
      Tensor renorm_mean = ops::cast(renorm_mean_.value(), cd);
      Tensor renorm_stddev = ops::maximum(ops::cast(renorm_stddev_.value(), cd),
                                          ops::sqrt(ops::cast(Tensor(options_.epsilon), cd)));
      Tensor r = stddev / renorm_stddev;
      Tensor dd = (mean - renorm_mean) / renorm_stddev;
      if (options_.renorm_clipping) {
        const auto& rc = *options_.renorm_clipping;
        if (rc.count("rmin")) r = ops::maximum(r, Tensor(rc.at("rmin")));
        if (rc.count("rmax")) r = ops::minimum(r, Tensor(rc.at("rmax")));
        if (rc.count("dmax")) dd = ops::clip(dd, Tensor(-rc.at("dmax")), Tensor(rc.at("dmax")));
      }
      r = ops::stop_gradient(r);
      dd = ops::stop_gradient(dd);
      Tensor eff_gamma = gamma.defined() ? r * gamma : r;
      Tensor eff_beta = gamma.defined() ? dd * gamma : dd;
      if (beta.defined()) eff_beta = eff_beta + beta;
      gamma = eff_gamma;
      beta = eff_beta;
      if (update) {
        Tensor sm = ops::stop_gradient(mean), ss = ops::stop_gradient(stddev);
        renorm_mean_.assign(renorm_mean * options_.renorm_momentum +
                            sm * (1.0 - options_.renorm_momentum));
        renorm_stddev_.assign(ops::cast(renorm_stddev_.value(), cd) * options_.renorm_momentum +
                              ss * (1.0 - options_.renorm_momentum));
        moving_mean_.assign(moving_mean * momentum + sm * (1.0 - momentum));
        Tensor new_stddev =
            ops::cast(moving_stddev_.value(), cd) * momentum + ss * (1.0 - momentum);
        moving_stddev_.assign(new_stddev);
        moving_variance_.assign(ops::relu(new_stddev * new_stddev - options_.epsilon));
      }
    } else if (update) {
      // Not part of the differentiated computation: the tape must not see these updates.
      moving_mean_.assign(ops::stop_gradient(moving_mean * momentum + mean * (1.0 - momentum)));
      moving_variance_.assign(
          ops::stop_gradient(moving_variance * momentum + variance * (1.0 - momentum)));
    }
  } else {
    mean = moving_mean;
    variance = moving_variance;
  }
  Tensor out = ops::batch_normalization(x, mean, variance, axis_, beta, gamma, options_.epsilon);
  return ops::cast(out, compute_dtype());
}

namespace {
using ClipMap = std::map<std::string, double>;

// renorm_clipping: a {"rmax", "rmin", "dmax"} object or null; a value of another type is ignored.
Config write_renorm_clipping(const BatchNormalizationOptions& o) {
  if (!o.renorm_clipping) return nullptr;
  Config rc = Config::object();
  for (const auto& [k, v] : *o.renorm_clipping) rc[k] = v;
  return rc;
}
void read_renorm_clipping(const Config& c, BatchNormalizationOptions& o) {
  if (!c.contains("renorm_clipping") || !c["renorm_clipping"].is_object()) return;
  ClipMap rc;
  for (auto it = c["renorm_clipping"].begin(); it != c["renorm_clipping"].end(); ++it)
    if (!it.value().is_null()) rc[it.key()] = it.value().get<double>();
  o.renorm_clipping = rc;
}

std::vector<fields::Weight<BatchNormalizationOptions>> batch_normalization_weights() {
  return {KERAS_WEIGHT_ARGS(BatchNormalizationOptions, beta),
          KERAS_WEIGHT_ARGS(BatchNormalizationOptions, gamma),
          {"moving_mean", &BatchNormalizationOptions::moving_mean_initializer},
          {"moving_variance", &BatchNormalizationOptions::moving_variance_initializer}};
}
}  // namespace

KERAS_LAYER_CONFIG(BatchNormalization, BatchNormalizationOptions,
                   fields::lenient_base<BatchNormalizationOptions>(),
                   fields::field("axis", &BatchNormalizationOptions::axis),
                   fields::field("momentum", &BatchNormalizationOptions::momentum),
                   fields::field("epsilon", &BatchNormalizationOptions::epsilon),
                   fields::field("center", &BatchNormalizationOptions::center),
                   fields::field("scale", &BatchNormalizationOptions::scale),
                   fields::initializers(batch_normalization_weights(), /*keep_on_null=*/true),
                   fields::regularizers_constraints(batch_normalization_weights()),
                   fields::field("synchronized", &BatchNormalizationOptions::synchronized),
                   fields::field("renorm", &BatchNormalizationOptions::renorm),
                   fields::custom<BatchNormalizationOptions>("renorm_clipping",
                                                             write_renorm_clipping,
                                                             read_renorm_clipping),
                   fields::field("renorm_momentum", &BatchNormalizationOptions::renorm_momentum));

}  // namespace keras::layers
