#pragma once
// Reads a from_config dict the way Keras's `cls(**config)` does: each key is a constructor
// argument; a missing key keeps the default; an unknown key is an error naming the class.
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "keras/core/errors.hpp"
#include "keras/serialization/config.hpp"
#include "serialization/config_fields.hpp"
#include "serialization/config_ints.hpp"

namespace keras::optimizers::detail {

class ConfigReader {
 public:
  ConfigReader(const Config& config, std::string class_name)
      : config_(config), class_name_(std::move(class_name)) {
    if (!config_.is_object())
      throw ValueError(class_name_ + ".from_config: expected a JSON object, got " + config_.dump());
  }

  // The raw value, if the key is present (and marks it used).
  const Config* find(const std::string& key) {
    used_.insert(key);
    auto it = config_.find(key);
    return it == config_.end() ? nullptr : &*it;
  }

  void read(const std::string& key, double& out) {
    if (const Config* v = find(key)) out = number(key, *v);
  }
  void read(const std::string& key, int64_t& out) {
    if (const Config* v = find(key)) out = integer(key, *v);
  }
  void read(const std::string& key, bool& out) {
    if (const Config* v = find(key)) {
      if (!v->is_boolean()) bad(key, *v, "a boolean");
      out = v->get<bool>();
    }
  }
  void read(const std::string& key, std::string& out) {
    if (const Config* v = find(key)) {
      if (v->is_null()) return;
      if (!v->is_string()) bad(key, *v, "a string");
      out = v->get<std::string>();
    }
  }
  void read(const std::string& key, std::optional<double>& out) {
    if (const Config* v = find(key)) {
      if (v->is_null())
        out.reset();
      else
        out = number(key, *v);
    }
  }
  void read(const std::string& key, std::optional<int64_t>& out) {
    if (const Config* v = find(key)) {
      if (v->is_null())
        out.reset();
      else
        out = integer(key, *v);
    }
  }

  // Keras pops and ignores some legacy keys (the optimizers' "decay").
  void ignore(const std::string& key) { used_.insert(key); }

  // Throws for keys no read() asked for, like Python's unexpected keyword argument.
  void finish() const {
    std::string unknown;
    for (auto it = config_.begin(); it != config_.end(); ++it)
      if (!used_.count(it.key())) unknown += (unknown.empty() ? "" : ", ") + it.key();
    if (!unknown.empty())
      throw ValueError(class_name_ + ".from_config: argument(s) not recognized: " + unknown);
  }

  const std::string& class_name() const { return class_name_; }

 private:
  double number(const std::string& key, const Config& v) const {
    if (!v.is_number()) bad(key, v, "a number");
    return v.get<double>();
  }
  // Exactly (serialization/config_ints.hpp): a static_cast of the double would wrap 1e300 and
  // truncate 3.5.
  int64_t integer(const std::string& key, const Config& v) const {
    try {
      return saving::config_int(v, key);
    } catch (const saving::ConfigIntError& e) {
      throw ValueError(class_name_ + ".from_config: " + e.detail());
    }
  }
  [[noreturn]] void bad(const std::string& key, const Config& v, const char* what) const {
    throw ValueError(class_name_ + ".from_config: `" + key + "` must be " + what + ", got " +
                     v.dump());
  }

  const Config& config_;
  std::string class_name_;
  std::set<std::string> used_;
};

// Impl from a config: read_first(r, options) (the keys a family shares), then its own `fields`
// (serialization/config_fields.hpp); a key neither reads is an error.
template <class Impl, class Fields, class ReadFirst>
std::shared_ptr<Impl> from_fields(const Config& config, const std::string& class_name,
                                  Fields fields, ReadFirst read_first) {
  ConfigReader r(config, class_name);
  typename Impl::Options o;
  read_first(r, o);
  saving::read_fields(r, o, fields);
  r.finish();
  return std::make_shared<Impl>(o);
}

}  // namespace keras::optimizers::detail
