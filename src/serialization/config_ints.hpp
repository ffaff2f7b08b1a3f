#pragma once
// Exact integers out of config values. nlohmann's get<int64_t>() converts whatever number it
// finds: 2**64-1 (stored unsigned) becomes -1, 1e300 an arbitrary value and 3.5 becomes 3, so a
// crafted config would be read as something else than it says. Every integer argument of a layer,
// loss, metric, optimizer, initializer, regularizer or constraint config is read through
// config_int(): integers that fit in int64 and integral floats in range (3.0: Python's int(3.0),
// and what JSON writers other than Python's may emit) are accepted, anything else is a
// ConfigIntError naming the argument and quoting the value.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/serialization/config.hpp"

namespace keras::saving {

// `detail()` is the message without the owner (layers::deserialize prefixes the layer's class
// and name, which the readers do not know).
class ConfigIntError : public ValueError {
 public:
  explicit ConfigIntError(const std::string& detail) : ValueError(detail), detail_(detail) {}
  const std::string& detail() const { return detail_; }

 private:
  std::string detail_;
};

// The value as it appears in the config (numbers as nlohmann writes them back, e.g. 1e+300).
inline std::string config_value_text(const Config& v) {
  std::string s = v.is_structured() ? std::string(v.is_array() ? "a list" : "a dict") : v.dump();
  return s.size() > 100 ? s.substr(0, 100) + "..." : s;
}

// `arg` names the argument in the message ("units", "kernel_size[1]").
inline int64_t config_int(const Config& v, const std::string& arg) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      throw ConfigIntError("`" + arg + "` must be an integer that fits in 64 bits, got " +
                           config_value_text(v));
    return v.get<int64_t>();
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    // [-2**63, 2**63): both bounds are exact doubles.
    if (!std::isfinite(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
      throw ConfigIntError("`" + arg + "` must be an integer that fits in 64 bits, got " +
                           config_value_text(v));
    if (std::trunc(d) != d)
      throw ConfigIntError("`" + arg + "` must be an integer, got " + config_value_text(v));
    return static_cast<int64_t>(d);
  }
  throw ConfigIntError("`" + arg + "` must be an integer, got " + config_value_text(v));
}

inline std::vector<int64_t> config_ints(const Config& v, const std::string& arg);

// config_int() for any integer type (int, int64_t, ...), range-checked; other T: get<T>().
template <class T>
T config_value(const Config& v, const std::string& arg) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    int64_t x = config_int(v, arg);
    if (x < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
        (x > 0 && static_cast<uint64_t>(x) > static_cast<uint64_t>(std::numeric_limits<T>::max())))
      throw ConfigIntError("`" + arg + "` must be an integer between " +
                           std::to_string(std::numeric_limits<T>::min()) + " and " +
                           std::to_string(std::numeric_limits<T>::max()) + ", got " +
                           config_value_text(v));
    return static_cast<T>(x);
  } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
    return config_ints(v, arg);
  } else {
    return v.get<T>();
  }
}

// One integer or a list of integers (kernel_size, strides, axes, ...).
inline std::vector<int64_t> config_ints(const Config& v, const std::string& arg) {
  if (!v.is_array()) return {config_int(v, arg)};
  std::vector<int64_t> out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    out.push_back(config_int(v[i], arg + "[" + std::to_string(i) + "]"));
  return out;
}

// A list entry that may be null (shapes): null gives `null_value`.
inline int64_t config_dim(const Config& v, const std::string& arg, int64_t null_value) {
  return v.is_null() ? null_value : config_int(v, arg);
}

}  // namespace keras::saving
