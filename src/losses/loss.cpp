#include "keras/losses/loss.hpp"

#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"
#include "keras/ops/ops.hpp"

namespace keras::losses {

namespace {

bool is_no_reduction(const std::optional<std::string>& reduction) {
  return !reduction.has_value() || *reduction == "none";
}

}  // namespace

std::optional<std::string> standardize_reduction(const std::optional<std::string>& reduction) {
  if (!reduction) return reduction;
  for (const char* allowed :
       {"sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight"})
    if (*reduction == allowed) return reduction;
  throw ValueError(
      "Invalid value for argument `reduction`. Expected one of {'sum_over_batch_size', 'sum', "
      "None, 'none', 'mean', 'mean_with_sample_weight'}. Received: reduction=" +
      *reduction);
}

Loss::Loss(LossOptions options)
    : name_(std::move(options.name)),
      reduction_(standardize_reduction(options.reduction)),
      dtype_(options.dtype.value_or(config::floatx())) {}

void Loss::set_default_name(const std::string& name) {
  if (name_.empty()) name_ = name;
}

Config Loss::get_config() const {
  Config config = Config::object();
  config["name"] = name_;
  config["reduction"] = reduction_ ? Config(*reduction_) : Config(nullptr);
  return config;
}

std::pair<Tensor, Tensor> Loss::call_with_mask(const Tensor& y_true, const Tensor& y_pred) const {
  return {call(y_true, y_pred), Tensor()};
}

Tensor Loss::operator()(const Tensor& y_true, const Tensor& y_pred,
                        const Tensor& sample_weight) const {
  if (!y_true.defined() || !y_pred.defined())
    throw ValueError(class_name() + " '" + name_ + "': y_true and y_pred must be defined tensors");
  // The mask a masking-aware layer attached to y_pred joins the loss's own mask (Keras's
  // Loss.__call__): masked entries get zero weight.
  Tensor in_mask = y_pred.keras_mask();
  Tensor t = ops::cast(y_true, dtype_);
  Tensor p = ops::cast(y_pred, dtype_);
  auto [losses, mask] = call_with_mask(t, p);
  if (in_mask.defined()) mask = mask.defined() ? ops::logical_and(in_mask, mask) : in_mask;
  return reduce_weighted_values(losses, sample_weight, mask, reduction_, dtype_);
}

std::pair<Tensor, Tensor> squeeze_or_expand_to_same_rank(const Tensor& x1, const Tensor& x2,
                                                         bool expand_rank_1) {
  Tensor a = x1, b = x2;
  int r1 = a.ndim(), r2 = b.ndim();
  if (r1 == r2) return {a, b};
  if (r1 == r2 + 1 && a.shape().back() == 1) {
    if (r2 == 1 && expand_rank_1)
      b = ops::expand_dims(b, -1);
    else
      a = ops::squeeze(a, -1);
  }
  if (r2 == r1 + 1 && b.shape().back() == 1) {
    if (r1 == 1 && expand_rank_1)
      a = ops::expand_dims(a, -1);
    else
      b = ops::squeeze(b, -1);
  }
  return {a, b};
}

Tensor reduce_values(const Tensor& values, const Tensor& sample_weight,
                     const std::optional<std::string>& reduction) {
  if (is_no_reduction(reduction) || values.ndim() == 0 ||
      (values.ndim() == 1 && values.shape()[0] == 0))
    return values;
  Tensor loss = ops::sum(values);
  if (*reduction == "sum") return loss;
  // "sum_over_batch_size", "mean" and "mean_with_sample_weight" (without weights) divide by the
  // number of elements, known from the static shape.
  if (*reduction == "mean_with_sample_weight" && sample_weight.defined())
    return ops::divide_no_nan(loss, ops::cast(ops::sum(sample_weight), loss.dtype()));
  return ops::divide_no_nan(loss, Tensor(static_cast<double>(values.size())));
}

Tensor apply_mask(const Tensor& sample_weight, const Tensor& mask, DType dtype,
                  const std::optional<std::string>& reduction) {
  if (!mask.defined()) return sample_weight;
  Tensor float_mask;
  if (reduction && (*reduction == "mean" || *reduction == "sum_over_batch_size")) {
    // Rescale so that dividing by the element count averages over the valid entries only.
    Tensor total = Tensor(static_cast<double>(mask.size()));
    Tensor valid = ops::sum(ops::cast(mask, dtype));
    Tensor mask_weight = ops::divide_no_nan(ops::cast(total, dtype), valid);
    float_mask = ops::where(ops::cast(mask, DType::Bool), mask_weight, ops::zeros({}, dtype));
  } else {
    float_mask = ops::cast(mask, dtype);
  }
  if (!sample_weight.defined()) return float_mask;
  auto [m, w] = squeeze_or_expand_to_same_rank(float_mask, ops::cast(sample_weight, dtype));
  return w * m;
}

Tensor reduce_weighted_values(const Tensor& values, const Tensor& sample_weight, const Tensor& mask,
                              const std::optional<std::string>& reduction,
                              std::optional<DType> dtype) {
  standardize_reduction(reduction);
  Tensor v = dtype ? ops::cast(values, *dtype) : values;
  Tensor w = sample_weight;
  if (w.defined() && dtype) w = ops::cast(w, *dtype);
  Tensor m = mask;
  w = apply_mask(w, m, v.dtype(), reduction);
  if (w.defined()) {
    w = ops::cast(w, v.dtype());
    auto [v2, w2] = squeeze_or_expand_to_same_rank(v, w);
    v = v2 * w2;
    w = w2;
  }
  return reduce_values(v, w, reduction);
}

}  // namespace keras::losses
