#pragma once
// Reads the keys of a from_config() dictionary into options, with errors that name the class and
// the key; finish() rejects keys the class does not take (Python's `cls(**config)` does too).
// Shared by losses and metrics.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "keras/core/dtype.hpp"
#include "keras/core/errors.hpp"
#include "keras/serialization/config.hpp"
#include "serialization/config_ints.hpp"

namespace keras::detail {

class ConfigReader {
 public:
  ConfigReader(const Config& config, std::string class_name)
      : config_(config), class_name_(std::move(class_name)) {
    if (!config_.is_object())
      throw ValueError(class_name_ + ".from_config: expected a JSON object, got " + config_.dump());
  }

  template <class T>
  void read(const char* key, T& out) {
    if (!config_.contains(key)) return;
    seen_.insert(key);
    const Config& v = config_[key];
    try {
      assign(v, out, key);
    } catch (const saving::ConfigIntError& e) {
      throw ValueError(class_name_ + ".from_config: " + e.detail());
    } catch (const nlohmann::json::exception&) {
      throw ValueError(class_name_ + ".from_config: bad value for `" + key + "`: " + v.dump());
    }
  }

  // Keys not read are an error.
  void finish() const {
    for (auto it = config_.begin(); it != config_.end(); ++it)
      if (!seen_.count(it.key()))
        throw ValueError(class_name_ + ".from_config: unexpected argument `" + it.key() +
                         "` (value " + it.value().dump() + ")");
  }

 private:
  // Integers exactly (serialization/config_ints.hpp), other types as nlohmann reads them.
  template <class T>
  static void assign(const Config& v, T& out, const char* key) {
    out = saving::config_value<T>(v, key);
  }
  template <class T>
  static void assign(const Config& v, std::optional<T>& out, const char* key) {
    if (v.is_null()) {
      out.reset();
    } else {
      T value{};
      assign(v, value, key);
      out = value;
    }
  }
  static void assign(const Config& v, DType& out, const char*) {
    // A dtype name or a DTypePolicy envelope {"class_name": "DTypePolicy", "config": {"name": ..}}.
    if (v.is_object()) {
      out = dtype_from_name(v.at("config").at("name").get<std::string>());
    } else {
      out = dtype_from_name(v.get<std::string>());
    }
  }
  static void assign(const Config& v, std::vector<int64_t>& out, const char* key) {
    // Keras writes an int or a list of ints for axes.
    out = saving::config_ints(v, key);
  }
  static void assign(const Config& v, std::vector<double>& out, const char*) {
    if (v.is_number()) {
      out = {v.get<double>()};
    } else {
      out = v.get<std::vector<double>>();
    }
  }

  const Config& config_;
  std::string class_name_;
  std::set<std::string> seen_;
};

}  // namespace keras::detail
