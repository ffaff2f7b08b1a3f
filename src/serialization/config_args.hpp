#pragma once
// Reads constructor arguments out of a get_config() dict, as Python's cls(**config) does: missing
// keys take the C++ default, a key of the wrong JSON type is a TypeError naming the class and key,
// and keys the class does not take are a TypeError too (finish()).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/serialization/config.hpp"
#include "serialization/config_ints.hpp"

namespace keras::saving {

class ConfigArgs {
 public:
  ConfigArgs(const Config& config, std::string owner) : config_(config), owner_(std::move(owner)) {
    if (!config_.is_object())
      throw TypeError(owner_ + ".from_config: expected a dict config, got " + config_.dump());
  }

  bool has(const char* key) const { return config_.contains(key) && !config_.at(key).is_null(); }

  // The raw value (null when absent).
  Config raw(const char* key) {
    used_.insert(key);
    return config_.contains(key) ? config_.at(key) : Config(nullptr);
  }

  double number(const char* key, double def) {
    Config v = raw(key);
    if (v.is_null()) return def;
    if (!v.is_number()) bad(key, v, "a number");
    return v.get<double>();
  }

  int64_t integer(const char* key, int64_t def) {
    Config v = raw(key);
    if (v.is_null()) return def;
    if (!v.is_number()) bad(key, v, "an integer");
    return exact(key, v);
  }

  std::string string(const char* key, std::string def) {
    Config v = raw(key);
    if (v.is_null()) return def;
    if (!v.is_string()) bad(key, v, "a string");
    return v.get<std::string>();
  }

  // null, one integer or a list of integers.
  std::optional<std::vector<int64_t>> int_list(const char* key) {
    Config v = raw(key);
    if (v.is_null()) return std::nullopt;
    if (v.is_number()) return std::vector<int64_t>{exact(key, v)};
    if (!v.is_array()) bad(key, v, "a list of integers");
    std::vector<int64_t> out;
    for (const Config& e : v) {
      if (!e.is_number()) bad(key, v, "a list of integers");
      out.push_back(exact(key, e));
    }
    return out;
  }

  // Throws for keys no reader asked for (Python: "got an unexpected keyword argument").
  void finish() const {
    for (auto it = config_.begin(); it != config_.end(); ++it)
      if (!used_.count(it.key()))
        throw TypeError(owner_ + ".__init__() got an unexpected keyword argument '" + it.key() +
                        "' (config: " + config_.dump() + ")");
  }

 private:
  // Exactly (serialization/config_ints.hpp): 2**64-1 or 3.5 is a ValueError naming the owner and
  // key.
  int64_t exact(const char* key, const Config& v) const {
    try {
      return config_int(v, key);
    } catch (const ConfigIntError& e) {
      throw ValueError(owner_ + ".from_config: " + e.detail());
    }
  }
  [[noreturn]] void bad(const char* key, const Config& v, const char* want) const {
    throw TypeError(owner_ + ".from_config: `" + key + "` must be " + want + ", got " + v.dump());
  }

  const Config& config_;
  std::string owner_;
  std::set<std::string> used_;
};

}  // namespace keras::saving
