#pragma once
// Private helpers for layer get_config / from_config factories: reading Keras's config keys with
// Keras's defaults when a key is missing, and writing initializers / regularizers / constraints
// as Keras envelopes (null when unset).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/constraints/constraints.hpp"
#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"
#include "keras/core/ints.hpp"
#include "keras/initializers/initializers.hpp"
#include "keras/regularizers/regularizers.hpp"
#include "keras/serialization/config.hpp"
#include "keras/serialization/object_ref.hpp"
#include "serialization/config_ints.hpp"

namespace keras::layers::config_io {

// The dtype of a layer config: a DTypePolicy envelope or a plain string (null: default).
inline std::optional<DType> read_dtype(const Config& c) {
  if (!c.contains("dtype") || c["dtype"].is_null()) return std::nullopt;
  const Config& d = c["dtype"];
  std::string name;
  if (d.is_string())
    name = d.get<std::string>();
  else if (d.is_object() && d.contains("config") && d["config"].contains("name"))
    name = d["config"]["name"].get<std::string>();
  else
    return std::nullopt;
  if (name.rfind("mixed_", 0) == 0) name = name.substr(6);  // mixed policies: variable dtype later
  return dtype_from_name(name);
}

// Reads name, dtype and trainable into any options struct with those members.
template <class Options>
void read_base(const Config& c, Options& o) {
  if (c.contains("name") && c["name"].is_string()) o.name = c["name"].get<std::string>();
  o.dtype = read_dtype(c);
  if (c.contains("trainable") && c["trainable"].is_boolean())
    o.trainable = c["trainable"].get<bool>();
}

// Integers are read exactly (serialization/config_ints.hpp).
template <class T>
void read(const Config& c, const char* key, T& out) {
  if (c.contains(key) && !c[key].is_null()) out = saving::config_value<T>(c[key], key);
}
template <class T>
void read(const Config& c, const char* key, std::optional<T>& out) {
  if (!c.contains(key)) return;
  if (c[key].is_null())
    out.reset();
  else
    out = saving::config_value<T>(c[key], key);
}
inline void read(const Config& c, const char* key, std::vector<int64_t>& out) {
  if (c.contains(key) && !c[key].is_null()) out = saving::config_ints(c[key], key);
}
inline void read(const Config& c, const char* key, Ints& out) {
  if (c.contains(key) && !c[key].is_null()) out = Ints(saving::config_ints(c[key], key));
}

inline void read(const Config& c, const char* key,
                 saving::ObjectRef<initializers::Initializer>& out) {
  if (c.contains(key) && !c[key].is_null()) out = initializers::deserialize(c[key]);
}
inline void read(const Config& c, const char* key,
                 saving::ObjectRef<regularizers::Regularizer>& out) {
  if (c.contains(key)) out = c[key].is_null() ? nullptr : regularizers::deserialize(c[key]);
}
inline void read(const Config& c, const char* key,
                 saving::ObjectRef<constraints::Constraint>& out) {
  if (c.contains(key)) out = c[key].is_null() ? nullptr : constraints::deserialize(c[key]);
}

inline Config write(const saving::ObjectRef<initializers::Initializer>& ref) {
  return ref ? initializers::serialize(*ref) : Config(nullptr);
}
inline Config write(const saving::ObjectRef<regularizers::Regularizer>& ref) {
  return ref ? regularizers::serialize(*ref) : Config(nullptr);
}
inline Config write(const saving::ObjectRef<constraints::Constraint>& ref) {
  return ref ? constraints::serialize(*ref) : Config(nullptr);
}
inline Config write(const std::optional<int64_t>& v) { return v ? Config(*v) : Config(nullptr); }
inline Config write(const std::optional<double>& v) { return v ? Config(*v) : Config(nullptr); }
inline Config write_ints(const std::vector<int64_t>& v) {
  Config a = Config::array();
  for (int64_t x : v) a.push_back(x);
  return a;
}
inline Config write_pairs(const std::vector<std::pair<int64_t, int64_t>>& v) {
  Config a = Config::array();
  for (const auto& [x, y] : v) a.push_back(Config::array({x, y}));
  return a;
}

// "" -> the configured image data format; otherwise must be channels_last / channels_first.
inline std::string standardize_data_format(const std::string& fmt, const std::string& where) {
  if (fmt.empty()) return config::image_data_format();
  std::string f;
  for (char ch : fmt) f += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (f != "channels_last" && f != "channels_first")
    throw ValueError(where +
                     ": the `data_format` argument must be one of \"channels_first\", "
                     "\"channels_last\". Received: " +
                     fmt);
  return f;
}

}  // namespace keras::layers::config_io
