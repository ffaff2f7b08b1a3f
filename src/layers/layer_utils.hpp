#pragma once
// Internal helpers shared by the built-in layers: option standardization (Keras's
// standardize_tuple / standardize_padding / standardize_data_format), config writing and reading
// (initializer / regularizer / constraint envelopes, dtype policies, base keywords) and input
// checks with Keras-style messages. Not part of the public API.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "keras/activations/activations.hpp"
#include "keras/constraints/constraints.hpp"
#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"
#include "keras/core/ints.hpp"
#include "keras/initializers/initializers.hpp"
#include "keras/layers/layer.hpp"
#include "keras/regularizers/regularizers.hpp"
#include "serialization/config_ints.hpp"

namespace keras::layers::detail {

using InitializerRef = saving::ObjectRef<initializers::Initializer>;
using RegularizerRef = saving::ObjectRef<regularizers::Regularizer>;
using ConstraintRef = saving::ObjectRef<constraints::Constraint>;

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

inline std::string tuple_str(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  if (v.size() == 1) s += ",";
  return s + ")";
}

// Keras's standardize_tuple: n values, each >= min_value (1 for sizes and strides, 0 for paddings).
inline std::vector<int64_t> standardize_tuple(const Ints& value, size_t n, const std::string& where,
                                              const char* arg, int64_t min_value = 1) {
  std::vector<int64_t> out = value.expand(n, where, arg);
  for (int64_t v : out)
    if (v < min_value)
      throw ValueError(where + ": the `" + arg + "` argument must be a tuple of " +
                       std::to_string(n) + " integers >= " + std::to_string(min_value) + ", got " +
                       tuple_str(out));
  return out;
}

// Window arguments (kernel_size, pool_size, strides, dilation_rate) above this are refused by the
// layers: oneDNN fails on values near 2**63 with an opaque message, and no real input dimension
// comes near 2**31 (an activation that long is over the activation limit for any dtype but int8).
inline constexpr int64_t kMaxWindowArgument = (int64_t{1} << 31) - 1;

inline void check_window_argument(const std::vector<int64_t>& values, const std::string& where,
                                  const char* arg) {
  for (int64_t v : values)
    if (v > kMaxWindowArgument)
      throw ValueError(where + ": the `" + arg + "` argument must be at most " +
                       std::to_string(kMaxWindowArgument) + ", got " + tuple_str(values));
}

// "" -> keras::config::image_data_format(); otherwise "channels_last" / "channels_first".
inline std::string standardize_data_format(const std::string& data_format,
                                           const std::string& where) {
  if (data_format.empty()) return config::image_data_format();
  std::string f = lower(data_format);
  if (f != "channels_last" && f != "channels_first")
    throw ValueError(where +
                     ": the `data_format` argument must be one of \"channels_first\", "
                     "\"channels_last\", got \"" +
                     data_format + "\"");
  return f;
}

inline std::string standardize_padding(const std::string& padding, const std::string& where,
                                       bool allow_causal = false) {
  std::string p = lower(padding);
  if (p == "valid" || p == "same" || (allow_causal && p == "causal")) return p;
  throw ValueError(
      where + ": the `padding` argument must be one of " +
      std::string(allow_causal ? "\"valid\", \"same\", \"causal\"" : "\"valid\", \"same\"") +
      ", got \"" + padding + "\"");
}

// ---- config writing ----

inline Config ints_config(const std::vector<int64_t>& v) {
  Config a = Config::array();
  for (int64_t x : v) a.push_back(x);
  return a;
}
inline Config serialize_ref(const InitializerRef& r) {
  return r ? initializers::serialize(*r) : Config(nullptr);
}
inline Config serialize_ref(const RegularizerRef& r) {
  return r ? regularizers::serialize(*r) : Config(nullptr);
}
inline Config serialize_ref(const ConstraintRef& r) {
  return r ? constraints::serialize(*r) : Config(nullptr);
}

// ---- config reading ----

inline bool has(const Config& c, const char* key) {
  return c.is_object() && c.contains(key) && !c[key].is_null();
}
// Integers are read exactly (serialization/config_ints.hpp): 2**64-1, 1e300 or 3.5 for `units` is a
// ValueError, which layers::deserialize prefixes with the layer's class and name.
template <class T>
T get_or(const Config& c, const char* key, T fallback) {
  return has(c, key) ? saving::config_value<T>(c[key], key) : fallback;
}
// An int or a list of ints.
inline Ints read_ints(const Config& c, const char* key, Ints fallback) {
  if (!has(c, key)) return fallback;
  return Ints(saving::config_ints(c[key], key));
}
inline RegularizerRef read_regularizer(const Config& c, const char* key) {
  if (!has(c, key)) return RegularizerRef();
  return RegularizerRef(regularizers::deserialize(c[key]));
}
// The dtype of a layer config: a DTypePolicy envelope or a plain name. Mixed policies
// ("mixed_float16") give their compute dtype.
inline std::optional<DType> read_dtype(const Config& c) {
  if (!has(c, "dtype")) return std::nullopt;
  const Config& d = c["dtype"];
  std::string name;
  if (d.is_string()) {
    name = d.get<std::string>();
  } else if (d.is_object() && d.contains("config") && d["config"].is_object() &&
             d["config"].contains("name")) {
    name = d["config"]["name"].get<std::string>();
  } else {
    return std::nullopt;
  }
  if (name.rfind("mixed_", 0) == 0) name = name.substr(6);
  return dtype_from_name(name);
}

// Fills the base keywords (name, dtype, trainable) of an options struct from a config.
template <class Options>
void read_base(const Config& c, Options& o) {
  o.name = get_or<std::string>(c, "name", "");
  o.dtype = read_dtype(c);
  o.trainable = get_or<bool>(c, "trainable", true);
  if constexpr (requires { o.activity_regularizer; })
    o.activity_regularizer = read_regularizer(c, "activity_regularizer");
}

// ---- input checks ----

inline std::string layer_str(const LayerImpl& layer) {
  return layer.class_name() + " '" + layer.name() + "'";
}

inline void check_min_rank(const LayerImpl& layer, const Shape& shape, int min_rank) {
  if (shape.rank() < min_rank)
    throw ValueError(layer_str(layer) + ": expected an input with at least " +
                     std::to_string(min_rank) + " dimensions, got " + std::to_string(shape.rank()) +
                     " dimensions (input shape " + shape.to_string() + ")");
}

inline void check_rank(const LayerImpl& layer, const Shape& shape, int rank) {
  if (shape.rank() != rank)
    throw ValueError(layer_str(layer) + ": expected an input with " + std::to_string(rank) +
                     " dimensions, got " + std::to_string(shape.rank()) +
                     " dimensions (input shape " + shape.to_string() + ")");
}

// The dimension at `axis` of the input compared with the one the layer was built for.
inline void check_axis(const LayerImpl& layer, const Shape& shape, int axis, int64_t expected,
                       const Shape& built_shape, const char* what = "the last dimension") {
  int a = axis < 0 ? shape.rank() + axis : axis;
  if (a < 0 || a >= shape.rank() || expected < 0 || shape[a] < 0) return;
  if (shape[a] != expected)
    throw ValueError(layer_str(layer) + ": input has " + std::to_string(shape.rank()) +
                     " dimensions " + shape.to_string() + ", expected " + what + " to be " +
                     std::to_string(expected) + " (the layer was built for input shape " +
                     built_shape.to_string() + ")");
}

inline std::string describe(const Config& c) { return c.dump(); }

}  // namespace keras::layers::detail
