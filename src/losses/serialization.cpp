#include "keras/losses/serialization.hpp"

#include "keras/losses/losses.hpp"
#include "keras/serialization/object_registry.hpp"
#include "losses/builtin_registry.hpp"
#include "losses/config_reader.hpp"
#include "losses/crossentropy_fields.hpp"
#include "serialization/config_fields.hpp"

namespace keras::losses {

namespace {

using detail::ConfigReader;
using Registry = saving::Registry<Loss>;

template <class Class, class Options, class ReadExtra>
void add(const std::string& class_name, ReadExtra read_extra) {
  detail::add_builtin<Loss, Class, Options>(class_name, read_extra);
}

template <class Class>
void add_simple(const std::string& class_name) {
  add<Class, LossOptions>(class_name, [](ConfigReader&, LossOptions&) {});
}

// The crossentropy keys (losses/crossentropy_fields.hpp).
template <class Options>
void read_crossentropy(ConfigReader& r, Options& o) {
  saving::read_fields(r, o, detail::kCrossentropyFields);
}

std::shared_ptr<Loss> wrapper_from_config(const Config& config) {
  ConfigReader r(config, "LossFunctionWrapper");
  LossOptions o;
  detail::read_base(r, o);
  Config fn;
  r.read("fn", fn);
  r.finish();
  std::string canonical = function_name(detail::wrapped_function_name(fn));
  if (canonical.empty())
    throw ValueError("LossFunctionWrapper.from_config: unknown loss function " + fn.dump());
  return std::make_shared<LossFunctionWrapper>(get_function(canonical), canonical, o);
}

// Registered once, before the first lookup (the registry is also filled at load time by the
// static below; the call_once covers lookups made during static initialization).
void register_builtins() {
  static const bool done = [] {
    add_simple<MeanSquaredError>("MeanSquaredError");
    add_simple<MeanAbsoluteError>("MeanAbsoluteError");
    add_simple<MeanAbsolutePercentageError>("MeanAbsolutePercentageError");
    add_simple<MeanSquaredLogarithmicError>("MeanSquaredLogarithmicError");
    add_simple<LogCosh>("LogCosh");
    add_simple<Hinge>("Hinge");
    add_simple<SquaredHinge>("SquaredHinge");
    add_simple<CategoricalHinge>("CategoricalHinge");
    add_simple<KLDivergence>("KLDivergence");
    add_simple<Poisson>("Poisson");
    add<CosineSimilarity, CosineSimilarityOptions>(
        "CosineSimilarity",
        [](ConfigReader& r, CosineSimilarityOptions& o) { r.read("axis", o.axis); });
    add<Huber, HuberOptions>("Huber",
                             [](ConfigReader& r, HuberOptions& o) { r.read("delta", o.delta); });
    add<BinaryCrossentropy, BinaryCrossentropyOptions>(
        "BinaryCrossentropy", read_crossentropy<BinaryCrossentropyOptions>);
    add<BinaryFocalCrossentropy, BinaryFocalCrossentropyOptions>(
        "BinaryFocalCrossentropy", [](ConfigReader& r, BinaryFocalCrossentropyOptions& o) {
          r.read("apply_class_balancing", o.apply_class_balancing);
          r.read("alpha", o.alpha);
          r.read("gamma", o.gamma);
          read_crossentropy(r, o);
        });
    add<CategoricalCrossentropy, CategoricalCrossentropyOptions>(
        "CategoricalCrossentropy", read_crossentropy<CategoricalCrossentropyOptions>);
    add<CategoricalFocalCrossentropy, CategoricalFocalCrossentropyOptions>(
        "CategoricalFocalCrossentropy",
        [](ConfigReader& r, CategoricalFocalCrossentropyOptions& o) {
          r.read("alpha", o.alpha);
          r.read("gamma", o.gamma);
          read_crossentropy(r, o);
        });
    add<SparseCategoricalCrossentropy, SparseCategoricalCrossentropyOptions>(
        "SparseCategoricalCrossentropy", read_crossentropy<SparseCategoricalCrossentropyOptions>);
    add<Dice, DiceOptions>("Dice", [](ConfigReader& r, DiceOptions& o) { r.read("axis", o.axis); });
    add<Tversky, TverskyOptions>("Tversky", [](ConfigReader& r, TverskyOptions& o) {
      r.read("alpha", o.alpha);
      r.read("beta", o.beta);
      r.read("axis", o.axis);
    });
    add<CategoricalGeneralizedCrossEntropy, CategoricalGeneralizedCrossEntropyOptions>(
        "CategoricalGeneralizedCrossEntropy",
        [](ConfigReader& r, CategoricalGeneralizedCrossEntropyOptions& o) { r.read("q", o.q); });
    detail::builtin_names<Loss>().insert("LossFunctionWrapper");
    Registry::instance().add("LossFunctionWrapper", wrapper_from_config);
    return true;
  }();
  (void)done;
}

const bool registered_at_load = (register_builtins(), true);

std::shared_ptr<Loss> wrap_function(const std::string& identifier) {
  std::string canonical = function_name(identifier);
  if (canonical.empty()) return nullptr;
  return std::make_shared<LossFunctionWrapper>(get_function(canonical), canonical,
                                               LossOptions{.name = identifier});
}

}  // namespace

std::shared_ptr<Loss> get(const std::string& identifier) {
  register_builtins();
  if (auto wrapped = wrap_function(identifier)) return wrapped;
  if (!Registry::instance().contains(identifier))
    throw ValueError("Could not interpret loss identifier: " + identifier);
  return Registry::instance().create(identifier, Config::object(), "loss");
}

std::shared_ptr<Loss> get(const Config& identifier) {
  if (identifier.is_string()) return get(identifier.get<std::string>());
  return deserialize(identifier);
}

Config serialize(const Loss& loss) {
  register_builtins();
  return detail::serialize_builtin<Loss>("keras.losses", loss);
}

std::shared_ptr<Loss> deserialize(const Config& config) {
  register_builtins();
  if (config.is_string()) return get(config.get<std::string>());
  return Registry::instance().deserialize(config, "loss");
}

std::pair<bool, bool> is_binary_or_sparse_categorical(const Shape& y_true_shape,
                                                      const Shape& y_pred_shape) {
  int64_t t_last = y_true_shape.empty() ? 1 : y_true_shape.back();
  int64_t p_last = y_pred_shape.empty() ? 1 : y_pred_shape.back();
  bool is_binary = p_last == 1;
  bool is_sparse = y_true_shape.rank() < y_pred_shape.rank() || (t_last == 1 && p_last > 1);
  return {is_binary, is_sparse};
}

std::shared_ptr<Loss> get_compile_loss(const std::string& identifier, const Shape& y_true_shape,
                                       const Shape& y_pred_shape) {
  std::string lower = detail::lower_identifier(identifier);
  if (lower != "crossentropy" && lower != "ce") return get(identifier);
  auto [is_binary, is_sparse] = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape);
  std::string fn = is_binary   ? "binary_crossentropy"
                   : is_sparse ? "sparse_categorical_crossentropy"
                               : "categorical_crossentropy";
  return std::make_shared<LossFunctionWrapper>(get_function(fn), fn,
                                               LossOptions{.name = identifier});
}

}  // namespace keras::losses
