// keras.initializers.get / serialize / deserialize and the registration of every built-in
// initializer under Keras's names (keras/src/initializers/__init__.py).
#include "keras/initializers/initializer.hpp"

#include <mutex>

#include "keras/initializers/constant_initializers.hpp"
#include "keras/initializers/random_initializers.hpp"
#include "keras/serialization/object_registry.hpp"
#include "serialization/config_args.hpp"

namespace keras::initializers {

namespace {

using saving::ConfigArgs;
using Registry = saving::Registry<Initializer>;

// A seed in a config: null, an integer, or a keras.random.SeedGenerator envelope.
random::Seed seed_from_config(const Config& c, const std::string& owner) {
  if (c.is_null()) return {};
  try {
    if (c.is_number_integer()) return random::Seed(saving::config_int(c, "seed"));
    if (c.is_object() && c.value("class_name", "") == "SeedGenerator") {
      Config inner = c.value("config", Config::object());
      std::optional<int64_t> s;
      if (inner.contains("seed") && inner["seed"].is_number_integer())
        s = saving::config_int(inner["seed"], "seed");
      return random::SeedGenerator(s, inner.value("name", ""));
    }
  } catch (const saving::ConfigIntError& e) {
    throw ValueError(owner + ": " + e.detail());
  }
  throw ValueError(owner +
                   ": `seed` argument should be an instance of `keras.random.SeedGenerator()` or "
                   "an integer. Received: seed=" +
                   c.dump());
}

template <class T>
void add_preset(const char* name) {
  Registry::instance().add(name,
                           [name](const Config& c) {
                             ConfigArgs a(c, name);
                             VarianceScalingPresetOptions o{
                                 .seed = seed_from_config(a.raw("seed"), name),
                                 .input_axes = a.int_list("input_axes"),
                                 .output_axes = a.int_list("output_axes")};
                             a.finish();
                             return std::make_shared<T>(o);
                           },
                           {saving::to_snake_case(name)});
}

void register_builtins() {
  static std::once_flag once;
  std::call_once(once, [] {
    Registry& r = Registry::instance();
    r.add("Zeros",
          [](const Config& c) {
            ConfigArgs(c, "Zeros").finish();
            return std::make_shared<Zeros>();
          },
          {"zeros", "zero"});
    r.add("Ones",
          [](const Config& c) {
            ConfigArgs(c, "Ones").finish();
            return std::make_shared<Ones>();
          },
          {"ones", "one"});
    r.add("Constant",
          [](const Config& c) {
            ConfigArgs a(c, "Constant");
            double value = a.number("value", 0.0);
            a.finish();
            return std::make_shared<Constant>(value);
          },
          {"constant"});
    r.add("Identity",
          [](const Config& c) {
            ConfigArgs a(c, "Identity");
            double gain = a.number("gain", 1.0);
            a.finish();
            return std::make_shared<Identity>(gain);
          },
          {"identity", "IdentityInitializer"});
    r.add("RandomNormal",
          [](const Config& c) {
            ConfigArgs a(c, "RandomNormal");
            RandomNormalOptions o{.mean = a.number("mean", 0.0),
                                  .stddev = a.number("stddev", 0.05),
                                  .seed = seed_from_config(a.raw("seed"), "RandomNormal")};
            a.finish();
            return std::make_shared<RandomNormal>(o);
          },
          {"random_normal", "normal"});
    r.add("TruncatedNormal",
          [](const Config& c) {
            ConfigArgs a(c, "TruncatedNormal");
            TruncatedNormalOptions o{.mean = a.number("mean", 0.0),
                                     .stddev = a.number("stddev", 0.05),
                                     .seed = seed_from_config(a.raw("seed"), "TruncatedNormal")};
            a.finish();
            return std::make_shared<TruncatedNormal>(o);
          },
          {"truncated_normal"});
    r.add("RandomUniform",
          [](const Config& c) {
            ConfigArgs a(c, "RandomUniform");
            RandomUniformOptions o{.minval = a.number("minval", -0.05),
                                   .maxval = a.number("maxval", 0.05),
                                   .seed = seed_from_config(a.raw("seed"), "RandomUniform")};
            a.finish();
            return std::make_shared<RandomUniform>(o);
          },
          {"random_uniform", "uniform"});
    r.add("VarianceScaling",
          [](const Config& c) {
            ConfigArgs a(c, "VarianceScaling");
            VarianceScalingOptions o{.scale = a.number("scale", 1.0),
                                     .mode = a.string("mode", "fan_in"),
                                     .distribution = a.string("distribution", "truncated_normal"),
                                     .seed = seed_from_config(a.raw("seed"), "VarianceScaling"),
                                     .input_axes = a.int_list("input_axes"),
                                     .output_axes = a.int_list("output_axes")};
            a.finish();
            return std::make_shared<VarianceScaling>(o);
          },
          {"variance_scaling"});
    add_preset<GlorotUniform>("GlorotUniform");
    add_preset<GlorotNormal>("GlorotNormal");
    add_preset<HeUniform>("HeUniform");
    add_preset<HeNormal>("HeNormal");
    add_preset<LecunUniform>("LecunUniform");
    add_preset<LecunNormal>("LecunNormal");
    r.add("Orthogonal",
          [](const Config& c) {
            ConfigArgs a(c, "Orthogonal");
            OrthogonalOptions o{.gain = a.number("gain", 1.0),
                                .seed = seed_from_config(a.raw("seed"), "Orthogonal")};
            a.finish();
            return std::make_shared<Orthogonal>(o);
          },
          {"orthogonal", "OrthogonalInitializer"});
  });
}

// Registered when the library loads, so Registry<Initializer> lists the built-ins even before
// the first get(); get/deserialize also call it, in case of static-initialization order issues.
[[maybe_unused]] const bool registered = (register_builtins(), true);

}  // namespace

std::shared_ptr<Initializer> get(const std::string& identifier) {
  register_builtins();
  return Registry::instance().create(identifier, Config::object(), Initializer::kFamily);
}

std::shared_ptr<Initializer> deserialize(const Config& config) {
  register_builtins();
  return Registry::instance().deserialize(config, Initializer::kFamily);
}

Config serialize(const Initializer& initializer) {
  return saving::make_envelope("keras.initializers", initializer.class_name(),
                               initializer.get_config());
}

}  // namespace keras::initializers
