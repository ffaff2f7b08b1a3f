// The Loss classes of keras/src/losses/losses.py: each computes its function's per-sample values
// after squeezing/expanding y_true to y_pred's rank (LossFunctionWrapper.call).
#include "keras/losses/losses.hpp"

#include "keras/utils/naming.hpp"

namespace keras::losses {

namespace {

template <class Options>
LossOptions base(const Options& o, const char* default_name) {
  return {o.reduction, o.name.empty() ? std::string(default_name) : o.name, o.dtype};
}

LossOptions with_default_name(LossOptions o, const char* default_name) {
  if (o.name.empty()) o.name = default_name;
  return o;
}

Config axis_config(const std::optional<std::vector<int64_t>>& axis) {
  if (!axis) return nullptr;
  if (axis->size() == 1) return (*axis)[0];
  return *axis;
}

}  // namespace

// ---- LossFunctionWrapper ----

LossFunctionWrapper::LossFunctionWrapper(LossFunction fn, std::string fn_name, LossOptions options)
    : Loss(options.name.empty()
               ? LossOptions{options.reduction, auto_name("loss_function_wrapper"), options.dtype}
               : options),
      fn_(std::move(fn)),
      fn_name_(std::move(fn_name)) {
  if (!fn_) throw ValueError("LossFunctionWrapper: argument `fn` must be a callable, got none");
}

Tensor LossFunctionWrapper::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return fn_(t, p);
}

Config LossFunctionWrapper::get_config() const {
  Config config = Loss::get_config();
  Config fn = Config::object();
  fn["module"] = "keras.losses";
  fn["class_name"] = "function";
  fn["config"] = fn_name_;
  fn["registered_name"] = fn_name_;
  config["fn"] = fn;
  return config;
}

// ---- losses with only (reduction, name, dtype) ----

#define KERAS_DEFINE_SIMPLE_LOSS(Class, default_name, fn)                               \
  Class::Class(LossOptions options) : Loss(with_default_name(options, default_name)) {} \
  Tensor Class::call(const Tensor& y_true, const Tensor& y_pred) const {                \
    auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);                       \
    return fn(t, p);                                                                    \
  }

KERAS_DEFINE_SIMPLE_LOSS(MeanSquaredError, "mean_squared_error", mean_squared_error)
KERAS_DEFINE_SIMPLE_LOSS(MeanAbsoluteError, "mean_absolute_error", mean_absolute_error)
KERAS_DEFINE_SIMPLE_LOSS(MeanAbsolutePercentageError, "mean_absolute_percentage_error",
                         mean_absolute_percentage_error)
KERAS_DEFINE_SIMPLE_LOSS(MeanSquaredLogarithmicError, "mean_squared_logarithmic_error",
                         mean_squared_logarithmic_error)
KERAS_DEFINE_SIMPLE_LOSS(LogCosh, "log_cosh", log_cosh)
KERAS_DEFINE_SIMPLE_LOSS(Hinge, "hinge", hinge)
KERAS_DEFINE_SIMPLE_LOSS(SquaredHinge, "squared_hinge", squared_hinge)
KERAS_DEFINE_SIMPLE_LOSS(CategoricalHinge, "categorical_hinge", categorical_hinge)
KERAS_DEFINE_SIMPLE_LOSS(KLDivergence, "kl_divergence", kl_divergence)
KERAS_DEFINE_SIMPLE_LOSS(Poisson, "poisson", poisson)
#undef KERAS_DEFINE_SIMPLE_LOSS

// ---- CosineSimilarity ----

CosineSimilarity::CosineSimilarity(CosineSimilarityOptions o)
    : Loss(base(o, "cosine_similarity")), axis_(o.axis) {}

Tensor CosineSimilarity::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return cosine_similarity(t, p, axis_);
}

Config CosineSimilarity::get_config() const {
  Config c = Loss::get_config();
  c["axis"] = axis_;
  return c;
}

// ---- Huber ----

Huber::Huber(HuberOptions o) : Loss(base(o, "huber_loss")), delta_(o.delta) {}

Tensor Huber::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return huber(t, p, delta_);
}

Config Huber::get_config() const {
  Config c = Loss::get_config();
  c["delta"] = delta_;
  return c;
}

// ---- BinaryCrossentropy ----

BinaryCrossentropy::BinaryCrossentropy(BinaryCrossentropyOptions o)
    : Loss(base(o, "binary_crossentropy")), options_(o) {}

Tensor BinaryCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return binary_crossentropy(t, p, options_.from_logits, options_.label_smoothing, options_.axis);
}

Config BinaryCrossentropy::get_config() const {
  Config c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  return c;
}

// ---- BinaryFocalCrossentropy ----

BinaryFocalCrossentropy::BinaryFocalCrossentropy(BinaryFocalCrossentropyOptions o)
    : Loss(base(o, "binary_focal_crossentropy")), options_(o) {}

Tensor BinaryFocalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  const auto& o = options_;
  return binary_focal_crossentropy(t, p, o.apply_class_balancing, o.alpha, o.gamma, o.from_logits,
                                   o.label_smoothing, o.axis);
}

Config BinaryFocalCrossentropy::get_config() const {
  Config c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  c["apply_class_balancing"] = options_.apply_class_balancing;
  c["alpha"] = options_.alpha;
  c["gamma"] = options_.gamma;
  return c;
}

// ---- CategoricalCrossentropy ----

CategoricalCrossentropy::CategoricalCrossentropy(CategoricalCrossentropyOptions o)
    : Loss(base(o, "categorical_crossentropy")), options_(o) {}

Tensor CategoricalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return categorical_crossentropy(t, p, options_.from_logits, options_.label_smoothing,
                                  options_.axis);
}

Config CategoricalCrossentropy::get_config() const {
  Config c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  return c;
}

// ---- CategoricalFocalCrossentropy ----

CategoricalFocalCrossentropy::CategoricalFocalCrossentropy(CategoricalFocalCrossentropyOptions o)
    : Loss(base(o, "categorical_focal_crossentropy")), options_(o) {}

Tensor CategoricalFocalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  const auto& o = options_;
  return categorical_focal_crossentropy(t, p, o.alpha, o.gamma, o.from_logits, o.label_smoothing,
                                        o.axis);
}

Config CategoricalFocalCrossentropy::get_config() const {
  Config c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  c["alpha"] = options_.alpha;
  c["gamma"] = options_.gamma;
  return c;
}

// ---- SparseCategoricalCrossentropy ----

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions o)
    : Loss(base(o, "sparse_categorical_crossentropy")), options_(o) {}

std::pair<Tensor, Tensor> SparseCategoricalCrossentropy::call_with_mask(
    const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return sparse_categorical_crossentropy_with_mask(t, p, options_.from_logits,
                                                   options_.ignore_class, options_.axis);
}

Tensor SparseCategoricalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  return call_with_mask(y_true, y_pred).first;
}

Config SparseCategoricalCrossentropy::get_config() const {
  Config c = Loss::get_config();
  c["from_logits"] = options_.from_logits;
  c["ignore_class"] = options_.ignore_class ? Config(*options_.ignore_class) : Config(nullptr);
  c["axis"] = options_.axis;
  return c;
}

// ---- Dice, Tversky, CategoricalGeneralizedCrossEntropy ----

Dice::Dice(DiceOptions o) : Loss(base(o, "dice")), axis_(o.axis) {}

Tensor Dice::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return dice(t, p, axis_);
}

Config Dice::get_config() const {
  Config c = Loss::get_config();
  c["axis"] = axis_config(axis_);
  return c;
}

Tversky::Tversky(TverskyOptions o) : Loss(base(o, "tversky")), options_(o) {}

Tensor Tversky::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return tversky(t, p, options_.alpha, options_.beta, options_.axis);
}

Config Tversky::get_config() const {
  Config c = Loss::get_config();
  c["alpha"] = options_.alpha;
  c["beta"] = options_.beta;
  c["axis"] = axis_config(options_.axis);
  return c;
}

CategoricalGeneralizedCrossEntropy::CategoricalGeneralizedCrossEntropy(
    CategoricalGeneralizedCrossEntropyOptions o)
    : Loss(base(o, "categorical_generalized_cross_entropy")), q_(o.q) {
  if (!(q_ > 0.0 && q_ < 1.0))
    throw ValueError(
        "CategoricalGeneralizedCrossEntropy: q must be in the interval (0, 1), got q=" +
        std::to_string(q_));
}

Tensor CategoricalGeneralizedCrossEntropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return categorical_generalized_cross_entropy(t, p, q_);
}

Config CategoricalGeneralizedCrossEntropy::get_config() const {
  Config c = Loss::get_config();
  c["q"] = q_;
  return c;
}

}  // namespace keras::losses
