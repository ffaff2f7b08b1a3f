// The Loss classes of keras/src/losses/losses.py: each names its per-sample
// function, its default name and its own config fields; BuiltinLoss
// (losses.hpp) does the rest.
#include "keras/losses/losses.hpp"

#include "keras/utils/naming.hpp"
#include "losses/crossentropy_fields.hpp"
#include "serialization/config_fields.hpp"

namespace keras::losses {

namespace {

Config axis_config(const std::optional<std::vector<int64_t>>& axis) {
  if (!axis) return nullptr;
  if (axis->size() == 1) return (*axis)[0];
  return *axis;
}

// A function of (y_true, y_pred) only, for the losses with no arguments of
// their own.
template <Tensor (*fn)(const Tensor&, const Tensor&)>
Tensor without_options(const Tensor& y_true, const Tensor& y_pred, const LossOptions&) {
  return fn(y_true, y_pred);
}

// Appends the crossentropy keys (losses/crossentropy_fields.hpp).
template <class Options>
void write_crossentropy_fields(Config& c, const Options& o) {
  c = saving::write_fields(std::move(c), o, detail::kCrossentropyFields);
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

MeanSquaredError::MeanSquaredError(LossOptions o)
    : BuiltinLoss(o, "MeanSquaredError", "mean_squared_error",
                  without_options<mean_squared_error>) {}
MeanAbsoluteError::MeanAbsoluteError(LossOptions o)
    : BuiltinLoss(o, "MeanAbsoluteError", "mean_absolute_error",
                  without_options<mean_absolute_error>) {}
MeanAbsolutePercentageError::MeanAbsolutePercentageError(LossOptions o)
    : BuiltinLoss(o, "MeanAbsolutePercentageError", "mean_absolute_percentage_error",
                  without_options<mean_absolute_percentage_error>) {}
MeanSquaredLogarithmicError::MeanSquaredLogarithmicError(LossOptions o)
    : BuiltinLoss(o, "MeanSquaredLogarithmicError", "mean_squared_logarithmic_error",
                  without_options<mean_squared_logarithmic_error>) {}
LogCosh::LogCosh(LossOptions o)
    : BuiltinLoss(o, "LogCosh", "log_cosh", without_options<log_cosh>) {}
Hinge::Hinge(LossOptions o) : BuiltinLoss(o, "Hinge", "hinge", without_options<hinge>) {}
SquaredHinge::SquaredHinge(LossOptions o)
    : BuiltinLoss(o, "SquaredHinge", "squared_hinge", without_options<squared_hinge>) {}
CategoricalHinge::CategoricalHinge(LossOptions o)
    : BuiltinLoss(o, "CategoricalHinge", "categorical_hinge", without_options<categorical_hinge>) {}
KLDivergence::KLDivergence(LossOptions o)
    : BuiltinLoss(o, "KLDivergence", "kl_divergence", without_options<kl_divergence>) {}
Poisson::Poisson(LossOptions o) : BuiltinLoss(o, "Poisson", "poisson", without_options<poisson>) {}

// ---- losses with arguments of their own ----

CosineSimilarity::CosineSimilarity(CosineSimilarityOptions o)
    : BuiltinLoss(
          o, "CosineSimilarity", "cosine_similarity",
          [](const Tensor& t, const Tensor& p, const CosineSimilarityOptions& o) {
            return cosine_similarity(t, p, o.axis);
          },
          [](Config& c, const CosineSimilarityOptions& o) { c["axis"] = o.axis; }) {}

Huber::Huber(HuberOptions o)
    : BuiltinLoss(
          o, "Huber", "huber_loss",
          [](const Tensor& t, const Tensor& p, const HuberOptions& o) {
            return huber(t, p, o.delta);
          },
          [](Config& c, const HuberOptions& o) { c["delta"] = o.delta; }) {}

BinaryCrossentropy::BinaryCrossentropy(BinaryCrossentropyOptions o)
    : BuiltinLoss(
          o, "BinaryCrossentropy", "binary_crossentropy",
          [](const Tensor& t, const Tensor& p, const BinaryCrossentropyOptions& o) {
            return binary_crossentropy(t, p, o.from_logits, o.label_smoothing, o.axis);
          },
          write_crossentropy_fields<BinaryCrossentropyOptions>) {}

BinaryFocalCrossentropy::BinaryFocalCrossentropy(BinaryFocalCrossentropyOptions o)
    : BuiltinLoss(
          o, "BinaryFocalCrossentropy", "binary_focal_crossentropy",
          [](const Tensor& t, const Tensor& p, const BinaryFocalCrossentropyOptions& o) {
            return binary_focal_crossentropy(t, p, o.apply_class_balancing, o.alpha, o.gamma,
                                             o.from_logits, o.label_smoothing, o.axis);
          },
          [](Config& c, const BinaryFocalCrossentropyOptions& o) {
            write_crossentropy_fields(c, o);
            c["apply_class_balancing"] = o.apply_class_balancing;
            c["alpha"] = o.alpha;
            c["gamma"] = o.gamma;
          }) {}

CategoricalCrossentropy::CategoricalCrossentropy(CategoricalCrossentropyOptions o)
    : BuiltinLoss(
          o, "CategoricalCrossentropy", "categorical_crossentropy",
          [](const Tensor& t, const Tensor& p, const CategoricalCrossentropyOptions& o) {
            return categorical_crossentropy(t, p, o.from_logits, o.label_smoothing, o.axis);
          },
          write_crossentropy_fields<CategoricalCrossentropyOptions>) {}

CategoricalFocalCrossentropy::CategoricalFocalCrossentropy(CategoricalFocalCrossentropyOptions o)
    : BuiltinLoss(
          o, "CategoricalFocalCrossentropy", "categorical_focal_crossentropy",
          [](const Tensor& t, const Tensor& p, const CategoricalFocalCrossentropyOptions& o) {
            return categorical_focal_crossentropy(t, p, o.alpha, o.gamma, o.from_logits,
                                                  o.label_smoothing, o.axis);
          },
          [](Config& c, const CategoricalFocalCrossentropyOptions& o) {
            write_crossentropy_fields(c, o);
            c["alpha"] = o.alpha;
            c["gamma"] = o.gamma;
          }) {}

// call() is call_with_mask() without the mask, so the function is never called
// directly.
SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions o)
    : BuiltinLoss(
          o, "SparseCategoricalCrossentropy", "sparse_categorical_crossentropy",
          [](const Tensor& t, const Tensor& p, const SparseCategoricalCrossentropyOptions& o) {
            return sparse_categorical_crossentropy(t, p, o.from_logits, o.ignore_class, o.axis);
          },
          write_crossentropy_fields<SparseCategoricalCrossentropyOptions>) {}

std::pair<Tensor, Tensor> SparseCategoricalCrossentropy::call_with_mask(
    const Tensor& y_true, const Tensor& y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return sparse_categorical_crossentropy_with_mask(t, p, options_.from_logits,
                                                   options_.ignore_class, options_.axis);
}

Tensor SparseCategoricalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  return call_with_mask(y_true, y_pred).first;
}

// ---- Dice, Tversky, CategoricalGeneralizedCrossEntropy ----

Dice::Dice(DiceOptions o)
    : BuiltinLoss(
          o, "Dice", "dice",
          [](const Tensor& t, const Tensor& p, const DiceOptions& o) { return dice(t, p, o.axis); },
          [](Config& c, const DiceOptions& o) { c["axis"] = axis_config(o.axis); }) {}

Tversky::Tversky(TverskyOptions o)
    : BuiltinLoss(
          o, "Tversky", "tversky",
          [](const Tensor& t, const Tensor& p, const TverskyOptions& o) {
            return tversky(t, p, o.alpha, o.beta, o.axis);
          },
          [](Config& c, const TverskyOptions& o) {
            c["alpha"] = o.alpha;
            c["beta"] = o.beta;
            c["axis"] = axis_config(o.axis);
          }) {}

CategoricalGeneralizedCrossEntropy::CategoricalGeneralizedCrossEntropy(
    CategoricalGeneralizedCrossEntropyOptions o)
    : BuiltinLoss(
          o, "CategoricalGeneralizedCrossEntropy", "categorical_generalized_cross_entropy",
          [](const Tensor& t, const Tensor& p, const CategoricalGeneralizedCrossEntropyOptions& o) {
            return categorical_generalized_cross_entropy(t, p, o.q);
          },
          [](Config& c, const CategoricalGeneralizedCrossEntropyOptions& o) { c["q"] = o.q; }) {
  if (!(options_.q > 0.0 && options_.q < 1.0))
    throw ValueError(
        "CategoricalGeneralizedCrossEntropy: q must be in the "
        "interval (0, 1), got q=" +
        std::to_string(options_.q));
}

}  // namespace keras::losses
