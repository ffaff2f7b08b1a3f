#include "serialization/config_reader.hpp"

#include "serialization/config_ints.hpp"

namespace keras::saving {

ConfigReader::ConfigReader(const Config& config, std::string owner)
    : config_(config), owner_(std::move(owner)) {
  if (!config_.is_object())
    throw ValueError(owner_ + ": the config must be a dict, got " + config_.dump().substr(0, 200));
}

const Config& ConfigReader::required(const char* key) const {
  if (!config_.contains(key)) throw ValueError(owner_ + ": the config has no `" + key + "` key");
  return config_[key];
}

std::string ConfigReader::string(const char* key, const std::string& def) const {
  if (!config_.contains(key) || config_[key].is_null()) return def;
  if (!config_[key].is_string())
    throw ValueError(owner_ + ": `" + key + "` must be a string, got " + config_[key].dump());
  return config_[key].get<std::string>();
}

bool ConfigReader::boolean(const char* key, bool def) const {
  if (!config_.contains(key) || config_[key].is_null()) return def;
  if (!config_[key].is_boolean())
    throw ValueError(owner_ + ": `" + key + "` must be a boolean, got " + config_[key].dump());
  return config_[key].get<bool>();
}

int64_t ConfigReader::integer(const char* key, int64_t def) const {
  if (!config_.contains(key) || config_[key].is_null()) return def;
  try {
    return config_int(config_[key], key);
  } catch (const ConfigIntError& e) {
    throw ValueError(owner_ + ": " + e.detail());
  }
}

[[noreturn]] void rethrow_with_context(const Error& e, const std::string& context) {
  std::string msg = context + ": " + e.what();
  if (dynamic_cast<const TypeError*>(&e)) throw TypeError(msg);
  if (dynamic_cast<const NotImplementedError*>(&e)) throw NotImplementedError(msg);
  throw ValueError(msg);
}

Config shape_json(const Shape& shape) {
  Config j = Config::array();
  for (int64_t d : shape) j.push_back(d < 0 ? Config(nullptr) : Config(d));
  return j;
}

}  // namespace keras::saving
