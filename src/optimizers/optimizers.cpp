#include "keras/optimizers/optimizers.hpp"

#include <algorithm>
#include <cctype>

#include "keras/serialization/object_registry.hpp"

namespace keras::optimizers {

namespace {

using Registry = saving::Registry<Optimizer>;

// Keras's ALL_OBJECTS_DICT keys are the lower-cased class names; deserialize() lower-cases a
// built-in's class name before the lookup, so "Adam", "adam" and "ADAM" all work.
const bool registered = [] {
  auto& reg = Registry::instance();
  reg.add("Adadelta", Adadelta::from_config, {"adadelta"});
  reg.add("Adafactor", Adafactor::from_config, {"adafactor"});
  reg.add("Adagrad", Adagrad::from_config, {"adagrad"});
  reg.add("Adam", Adam::from_config, {"adam"});
  reg.add("Adamax", Adamax::from_config, {"adamax"});
  reg.add("AdamW", AdamW::from_config, {"adamw"});
  reg.add("Ftrl", Ftrl::from_config, {"ftrl"});
  reg.add("Lamb", Lamb::from_config, {"lamb"});
  reg.add("Lion", Lion::from_config, {"lion"});
  reg.add("Nadam", Nadam::from_config, {"nadam"});
  reg.add("RMSprop", RMSprop::from_config, {"rmsprop"});
  reg.add("SGD", SGD::from_config, {"sgd"});
  return true;
}();

const char* const kBuiltins[] = {"adadelta", "adafactor", "adagrad", "adam",  "adamax",  "adamw",
                                 "ftrl",     "lamb",      "lion",    "nadam", "rmsprop", "sgd"};

std::string builtin_or_self(const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* b : kBuiltins)
    if (lower == b) return lower;
  return name;
}

}  // namespace

std::shared_ptr<Optimizer> deserialize(const Config& config) {
  (void)registered;
  if (config.is_string())
    return Registry::instance().create(builtin_or_self(config), {}, "optimizer");
  if (config.is_object() && config.contains("class_name") && config["class_name"].is_string()) {
    Config copy = config;
    copy["class_name"] = builtin_or_self(config["class_name"].get<std::string>());
    return Registry::instance().deserialize(copy, "optimizer");
  }
  return Registry::instance().deserialize(config, "optimizer");
}

std::shared_ptr<Optimizer> get(const std::string& identifier) {
  return deserialize(Config(identifier));
}

Config serialize(const Optimizer& optimizer) {
  return saving::make_envelope("keras.optimizers", optimizer.class_name(), optimizer.get_config());
}

}  // namespace keras::optimizers
