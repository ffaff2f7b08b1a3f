#include "keras/losses/serialization.hpp"

#include <set>

#include "keras/losses/losses.hpp"
#include "keras/serialization/object_registry.hpp"
#include "losses/config_reader.hpp"

namespace keras::losses {

namespace {

using detail::ConfigReader;
using Registry = saving::Registry<Loss>;

template <class Options>
void read_base(ConfigReader& r, Options& o) {
  r.read("name", o.name);
  r.read("reduction", o.reduction);
  r.read("dtype", o.dtype);
}

std::set<std::string>& builtin_names() {
  static std::set<std::string> names;
  return names;
}

template <class Class, class Options, class ReadExtra>
void add(const std::string& class_name, ReadExtra read_extra) {
  builtin_names().insert(class_name);
  Registry::instance().add(class_name, [class_name, read_extra](const Config& config) {
    ConfigReader r(config, class_name);
    Options o;
    read_base(r, o);
    read_extra(r, o);
    r.finish();
    return std::make_shared<Class>(o);
  });
}

template <class Class>
void add_simple(const std::string& class_name) {
  add<Class, LossOptions>(class_name, [](ConfigReader&, LossOptions&) {});
}

std::shared_ptr<Loss> wrapper_from_config(const Config& config) {
  ConfigReader r(config, "LossFunctionWrapper");
  LossOptions o;
  read_base(r, o);
  Config fn;
  r.read("fn", fn);
  r.finish();
  std::string fn_name;
  if (fn.is_string()) fn_name = fn.get<std::string>();
  if (fn.is_object() && fn.contains("config") && fn["config"].is_string())
    fn_name = fn["config"].get<std::string>();
  std::string canonical = function_name(fn_name);
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
        "BinaryCrossentropy", [](ConfigReader& r, BinaryCrossentropyOptions& o) {
          r.read("from_logits", o.from_logits);
          r.read("label_smoothing", o.label_smoothing);
          r.read("axis", o.axis);
        });
    add<BinaryFocalCrossentropy, BinaryFocalCrossentropyOptions>(
        "BinaryFocalCrossentropy", [](ConfigReader& r, BinaryFocalCrossentropyOptions& o) {
          r.read("apply_class_balancing", o.apply_class_balancing);
          r.read("alpha", o.alpha);
          r.read("gamma", o.gamma);
          r.read("from_logits", o.from_logits);
          r.read("label_smoothing", o.label_smoothing);
          r.read("axis", o.axis);
        });
    add<CategoricalCrossentropy, CategoricalCrossentropyOptions>(
        "CategoricalCrossentropy", [](ConfigReader& r, CategoricalCrossentropyOptions& o) {
          r.read("from_logits", o.from_logits);
          r.read("label_smoothing", o.label_smoothing);
          r.read("axis", o.axis);
        });
    add<CategoricalFocalCrossentropy, CategoricalFocalCrossentropyOptions>(
        "CategoricalFocalCrossentropy",
        [](ConfigReader& r, CategoricalFocalCrossentropyOptions& o) {
          r.read("alpha", o.alpha);
          r.read("gamma", o.gamma);
          r.read("from_logits", o.from_logits);
          r.read("label_smoothing", o.label_smoothing);
          r.read("axis", o.axis);
        });
    add<SparseCategoricalCrossentropy, SparseCategoricalCrossentropyOptions>(
        "SparseCategoricalCrossentropy",
        [](ConfigReader& r, SparseCategoricalCrossentropyOptions& o) {
          r.read("from_logits", o.from_logits);
          r.read("ignore_class", o.ignore_class);
          r.read("axis", o.axis);
        });
    add<Dice, DiceOptions>("Dice", [](ConfigReader& r, DiceOptions& o) { r.read("axis", o.axis); });
    add<Tversky, TverskyOptions>("Tversky", [](ConfigReader& r, TverskyOptions& o) {
      r.read("alpha", o.alpha);
      r.read("beta", o.beta);
      r.read("axis", o.axis);
    });
    add<CategoricalGeneralizedCrossEntropy, CategoricalGeneralizedCrossEntropyOptions>(
        "CategoricalGeneralizedCrossEntropy",
        [](ConfigReader& r, CategoricalGeneralizedCrossEntropyOptions& o) { r.read("q", o.q); });
    builtin_names().insert("LossFunctionWrapper");
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
  std::string name = loss.class_name();
  return saving::make_envelope("keras.losses", name, loss.get_config(),
                               builtin_names().count(name) ? "" : name);
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
  std::string lower;
  for (char c : identifier) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "crossentropy" && lower != "ce") return get(identifier);
  auto [is_binary, is_sparse] = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape);
  std::string fn = is_binary   ? "binary_crossentropy"
                   : is_sparse ? "sparse_categorical_crossentropy"
                               : "categorical_crossentropy";
  return std::make_shared<LossFunctionWrapper>(get_function(fn), fn,
                                               LossOptions{.name = identifier});
}

}  // namespace keras::losses
