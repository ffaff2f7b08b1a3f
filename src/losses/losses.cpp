// The per-sample loss functions of keras/src/losses/losses.py.
#include "keras/losses/losses.hpp"

#include <cmath>
#include <map>

#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"
#include "keras/ops/ops.hpp"

namespace keras::losses {

namespace {

double eps() { return config::epsilon(); }

// y_true cast to y_pred's dtype, then squeezed/expanded to y_pred's rank.
std::pair<Tensor, Tensor> prepare(const Tensor& y_true, const Tensor& y_pred) {
  return squeeze_or_expand_to_same_rank(ops::cast(y_true, y_pred.dtype()), y_pred);
}

// Labels in {0, 1} become {-1, 1} (hinge losses); other labels are used as they are. Decided on
// the device (no host round trip), as Keras's ops.cond.
Tensor convert_binary_labels_to_hinge(const Tensor& y_true) {
  Tensor is_binary = ops::all(ops::logical_or(ops::equal(y_true, 0.0), ops::equal(y_true, 1.0)));
  return ops::where(is_binary, 2.0 * y_true - 1.0, y_true);
}

ops::Axis to_axis(const std::optional<std::vector<int64_t>>& axis) {
  return axis ? ops::Axis(*axis) : ops::Axis();
}

}  // namespace

Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = prepare(y_true, y_pred);
  return ops::mean(ops::square(t - p), {.axis = -1});
}

Tensor mean_absolute_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = prepare(y_true, y_pred);
  return ops::mean(ops::abs(t - p), {.axis = -1});
}

Tensor mean_absolute_percentage_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = prepare(y_true, y_pred);
  Tensor diff = ops::abs((t - p) / ops::maximum(ops::abs(t), eps()));
  return 100.0 * ops::mean(diff, {.axis = -1});
}

Tensor mean_squared_logarithmic_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = prepare(y_true, y_pred);
  Tensor first_log = ops::log(ops::maximum(p, eps()) + 1.0);
  Tensor second_log = ops::log(ops::maximum(t, eps()) + 1.0);
  return ops::mean(ops::square(first_log - second_log), {.axis = -1});
}

Tensor cosine_similarity(const Tensor& y_true, const Tensor& y_pred, int64_t axis) {
  auto [t, p] = prepare(y_true, y_pred);
  return -ops::sum(ops::normalize(t, axis) * ops::normalize(p, axis), {.axis = axis});
}

Tensor huber(const Tensor& y_true, const Tensor& y_pred, double delta) {
  auto [t, p] = prepare(y_true, y_pred);
  Tensor error = p - t;
  Tensor abs_error = ops::abs(error);
  Tensor d = ops::full({}, delta, p.dtype());
  return ops::mean(
      ops::where(abs_error <= d, 0.5 * ops::square(error), d * abs_error - 0.5 * ops::square(d)),
      {.axis = -1});
}

Tensor log_cosh(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = prepare(y_true, y_pred);
  // log(cosh(x)) = x + softplus(-2x) - log(2), which does not overflow for large |x|.
  Tensor x = p - t;
  return ops::mean(x + ops::softplus(x * -2.0) - std::log(2.0), {.axis = -1});
}

Tensor hinge(const Tensor& y_true, const Tensor& y_pred) {
  Tensor t = convert_binary_labels_to_hinge(ops::cast(y_true, y_pred.dtype()));
  return ops::mean(ops::maximum(1.0 - t * y_pred, 0.0), {.axis = -1});
}

Tensor squared_hinge(const Tensor& y_true, const Tensor& y_pred) {
  Tensor t = convert_binary_labels_to_hinge(ops::cast(y_true, y_pred.dtype()));
  return ops::mean(ops::square(ops::maximum(1.0 - t * y_pred, 0.0)), {.axis = -1});
}

Tensor categorical_hinge(const Tensor& y_true, const Tensor& y_pred) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  Tensor pos = ops::sum(t * y_pred, {.axis = -1});
  Tensor neg = ops::max((1.0 - t) * y_pred, {.axis = -1});
  return ops::maximum(neg - pos + 1.0, 0.0);
}

Tensor kl_divergence(const Tensor& y_true, const Tensor& y_pred) {
  Tensor t = ops::clip(ops::cast(y_true, y_pred.dtype()), eps(), 1.0);
  Tensor p = ops::clip(y_pred, eps(), 1.0);
  return ops::sum(t * ops::log(t / p), {.axis = -1});
}

Tensor poisson(const Tensor& y_true, const Tensor& y_pred) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  return ops::mean(y_pred - t * ops::log(y_pred + eps()), {.axis = -1});
}

Tensor binary_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                           double label_smoothing, int64_t axis) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  if (label_smoothing != 0.0) t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing;
  return ops::mean(ops::binary_crossentropy(t, y_pred, from_logits), {.axis = axis});
}

Tensor binary_focal_crossentropy(const Tensor& y_true, const Tensor& y_pred,
                                 bool apply_class_balancing, double alpha, double gamma,
                                 bool from_logits, double label_smoothing, int64_t axis) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  if (label_smoothing != 0.0) t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing;
  Tensor p = from_logits ? ops::sigmoid(y_pred) : y_pred;
  Tensor bce = ops::binary_crossentropy(t, p, false);
  Tensor p_t = t * p + (1.0 - t) * (1.0 - p);
  Tensor focal_bce = ops::power(1.0 - p_t, gamma) * bce;
  if (apply_class_balancing) focal_bce = (t * alpha + (1.0 - t) * (1.0 - alpha)) * focal_bce;
  return ops::mean(focal_bce, {.axis = axis});
}

namespace {

Tensor smooth_categorical_labels(const Tensor& t, const Tensor& y_pred, double label_smoothing,
                                 int64_t axis) {
  if (label_smoothing == 0.0) return t;
  int a = normalize_axis(axis, y_pred.ndim(), "losses::categorical_crossentropy", y_pred.shape());
  double num_classes = static_cast<double>(y_pred.shape()[a]);
  return t * (1.0 - label_smoothing) + label_smoothing / num_classes;
}

}  // namespace

Tensor categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                                double label_smoothing, int64_t axis) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  t = smooth_categorical_labels(t, y_pred, label_smoothing, axis);
  return ops::categorical_crossentropy(t, y_pred, from_logits, axis);
}

Tensor categorical_focal_crossentropy(const Tensor& y_true, const Tensor& y_pred, double alpha,
                                      double gamma, bool from_logits, double label_smoothing,
                                      int64_t axis) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  t = smooth_categorical_labels(t, y_pred, label_smoothing, axis);
  Tensor p = from_logits ? ops::softmax(y_pred, axis) : y_pred;
  Tensor output = p / ops::sum(p, {.axis = axis, .keepdims = true});
  output = ops::clip(output, eps(), 1.0 - eps());
  Tensor cce = -t * ops::log(output);
  Tensor focal = ops::power(1.0 - output, gamma) * alpha * cce;
  return ops::sum(focal, {.axis = axis});
}

std::pair<Tensor, Tensor> sparse_categorical_crossentropy_with_mask(
    const Tensor& y_true, const Tensor& y_pred, bool from_logits,
    std::optional<int64_t> ignore_class, int64_t axis) {
  Tensor t = y_true;
  if (t.ndim() == y_pred.ndim() && t.ndim() > 0) {
    int a = normalize_axis(axis, t.ndim(), "losses::sparse_categorical_crossentropy", t.shape());
    if (t.shape()[a] == 1) t = ops::squeeze(t, a);
  }
  Tensor p = y_pred;
  Tensor valid_mask;
  if (ignore_class) {
    valid_mask =
        ops::not_equal(t, ops::cast(Tensor(static_cast<double>(*ignore_class)), y_pred.dtype()));
    t = ops::where(valid_mask, t, ops::zeros({}, t.dtype()));
    p = ops::where(ops::expand_dims(valid_mask, axis), p, ops::zeros({}, p.dtype()));
  }
  Tensor res = ops::sparse_categorical_crossentropy(t, p, from_logits, axis);
  if (ignore_class) {
    valid_mask = ops::reshape(valid_mask, res.shape());
    res = ops::where(valid_mask, res, ops::zeros({}, res.dtype()));
  }
  return {res, valid_mask};
}

Tensor sparse_categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                                       std::optional<int64_t> ignore_class, int64_t axis) {
  return sparse_categorical_crossentropy_with_mask(y_true, y_pred, from_logits, ignore_class, axis)
      .first;
}

Tensor dice(const Tensor& y_true, const Tensor& y_pred, std::optional<std::vector<int64_t>> axis) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  ops::Axis ax = to_axis(axis);
  Tensor intersection = ops::sum(t * y_pred, {.axis = ax});
  Tensor d =
      (2.0 * intersection) / (ops::sum(t, {.axis = ax}) + ops::sum(y_pred, {.axis = ax}) + eps());
  return 1.0 - d;
}

Tensor tversky(const Tensor& y_true, const Tensor& y_pred, double alpha, double beta,
               std::optional<std::vector<int64_t>> axis) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  ops::Axis ax = to_axis(axis);
  Tensor intersection = ops::sum(y_pred * t, {.axis = ax});
  Tensor fp = ops::sum((1.0 - t) * y_pred, {.axis = ax});
  Tensor fn = ops::sum(t * (1.0 - y_pred), {.axis = ax});
  return 1.0 - intersection / (intersection + fp * alpha + fn * beta + eps());
}

Tensor categorical_generalized_cross_entropy(const Tensor& y_true, const Tensor& y_pred, double q) {
  Tensor hot = ops::cast(ops::one_hot(ops::cast(y_true, DType::Int32), y_pred.shape().back()),
                         y_pred.dtype());
  Tensor p = ops::sum(y_pred * hot, {.axis = -1});
  return (1.0 - ops::power(p, q)) / q;
}

namespace {

struct NamedFunction {
  std::string canonical;
  LossFunction fn;
};

const std::map<std::string, NamedFunction>& function_table() {
  static const std::map<std::string, NamedFunction> table = [] {
    std::map<std::string, NamedFunction> t;
    auto add = [&](const std::string& name, LossFunction fn, std::vector<std::string> aliases) {
      t[name] = {name, fn};
      for (const auto& a : aliases) t[a] = {name, fn};
    };
    using T = const Tensor&;
    add("mean_squared_error", mean_squared_error, {"mse", "MSE"});
    add("mean_absolute_error", mean_absolute_error, {"mae", "MAE"});
    add("mean_absolute_percentage_error", mean_absolute_percentage_error, {"mape", "MAPE"});
    add("mean_squared_logarithmic_error", mean_squared_logarithmic_error, {"msle", "MSLE"});
    add("cosine_similarity", [](T a, T b) { return cosine_similarity(a, b); }, {});
    add("huber", [](T a, T b) { return huber(a, b); }, {});
    add("log_cosh", log_cosh, {"logcosh"});
    add("hinge", hinge, {});
    add("squared_hinge", squared_hinge, {});
    add("categorical_hinge", categorical_hinge, {});
    add("kl_divergence", kl_divergence, {"kld", "KLD", "kullback_leibler_divergence"});
    add("poisson", poisson, {});
    add("binary_crossentropy", [](T a, T b) { return binary_crossentropy(a, b); }, {"bce", "BCE"});
    add("binary_focal_crossentropy", [](T a, T b) { return binary_focal_crossentropy(a, b); }, {});
    add("categorical_crossentropy", [](T a, T b) { return categorical_crossentropy(a, b); }, {});
    add("categorical_focal_crossentropy",
        [](T a, T b) { return categorical_focal_crossentropy(a, b); }, {});
    add("sparse_categorical_crossentropy",
        [](T a, T b) { return sparse_categorical_crossentropy(a, b); }, {});
    add("dice", [](T a, T b) { return dice(a, b); }, {});
    add("tversky", [](T a, T b) { return tversky(a, b); }, {});
    return t;
  }();
  return table;
}

}  // namespace

LossFunction get_function(const std::string& name) {
  auto it = function_table().find(name);
  return it == function_table().end() ? LossFunction() : it->second.fn;
}

std::string function_name(const std::string& name) {
  auto it = function_table().find(name);
  return it == function_table().end() ? "" : it->second.canonical;
}

}  // namespace keras::losses
