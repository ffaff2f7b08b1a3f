#pragma once
// A layer's config declared once: a table of fields (Keras key, options member) gives both its
// get_config (the keys written in table order) and its from_config factory (each key read back
// into a default-constructed options struct, so a missing key keeps the struct's default, which is
// Keras's default). The reading rules are those of layer_utils.hpp: integers exactly
// (serialization/config_ints.hpp), null keeps the default except for an initializer / regularizer /
// constraint / optional, where it means "none".
//
//   KERAS_LAYER_CONFIG(Dense, DenseOptions,
//                      fields::field("units", &DenseOptions::units),
//                      fields::field("activation", &DenseOptions::activation),
//                      fields::field("use_bias", &DenseOptions::use_bias),
//                      fields::kernel_bias<DenseOptions>(),
//                      fields::constant<DenseOptions>("quantization_config", nullptr),
//                      fields::base<DenseOptions>());
//
// A layer whose config needs more than its options (a standardized kernel_size, a value computed
// in the constructor) writes the table and then overwrites those keys: the config is an ordered
// JSON object, so a key keeps its place.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/layers/registration.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers::fields {

// ---- codecs: how a member type is written and read (value present and not null) ----

template <class T>
struct Codec {
  static Config write(const T& v) { return Config(v); }
  static void read(const Config& v, const char* key, T& out) {
    out = saving::config_value<T>(v, key);
  }
  static void read_null(T&) {}  // null: the default
};
template <class T>
struct Codec<std::optional<T>> {
  static Config write(const std::optional<T>& v) {
    return v ? Codec<T>::write(*v) : Config(nullptr);
  }
  static void read(const Config& v, const char* key, std::optional<T>& out) {
    T x{};
    Codec<T>::read(v, key, x);
    out = std::move(x);
  }
  static void read_null(std::optional<T>& out) { out.reset(); }
};
template <>
struct Codec<std::vector<int64_t>> {
  static Config write(const std::vector<int64_t>& v) { return detail::ints_config(v); }
  static void read(const Config& v, const char* key, std::vector<int64_t>& out) {
    out = saving::config_ints(v, key);
  }
  static void read_null(std::vector<int64_t>&) {}
};
template <>
struct Codec<Ints> {
  static Config write(const Ints& v) { return detail::ints_config(v); }
  static void read(const Config& v, const char* key, Ints& out) {
    out = Ints(saving::config_ints(v, key));
  }
  static void read_null(Ints&) {}
};
template <>
struct Codec<activations::Activation> {
  static Config write(const activations::Activation& v) { return activations::serialize(v); }
  static void read(const Config& v, const char*, activations::Activation& out) {
    out = activations::deserialize(v);
  }
  static void read_null(activations::Activation&) {}
};
// Initializers, regularizers and constraints: a Keras envelope, null when unset.
template <class Ref, class Deserialize>
struct ObjectRefCodec {
  static Config write(const Ref& v) { return detail::serialize_ref(v); }
  static void read(const Config& v, const char*, Ref& out) { out = Ref(Deserialize{}(v)); }
  static void read_null(Ref& out) { out = Ref(); }
};
struct DeserializeInitializer {
  auto operator()(const Config& v) const { return initializers::deserialize(v); }
};
struct DeserializeRegularizer {
  auto operator()(const Config& v) const { return regularizers::deserialize(v); }
};
struct DeserializeConstraint {
  auto operator()(const Config& v) const { return constraints::deserialize(v); }
};
template <>
struct Codec<detail::InitializerRef>
    : ObjectRefCodec<detail::InitializerRef, DeserializeInitializer> {};
template <>
struct Codec<detail::RegularizerRef>
    : ObjectRefCodec<detail::RegularizerRef, DeserializeRegularizer> {};
template <>
struct Codec<detail::ConstraintRef> : ObjectRefCodec<detail::ConstraintRef, DeserializeConstraint> {
};

// A shape whose unknown dimensions are null (noise_shape).
template <>
struct Codec<Shape> {
  static Config write(const Shape& v) {
    Config a = Config::array();
    for (int64_t d : v) a.push_back(d < 0 ? Config(nullptr) : Config(d));
    return a;
  }
  static void read(const Config& v, const char* key, Shape& out) {
    Shape s;
    for (const Config& d : v) s.push_back(saving::config_dim(d, key, Shape::kNone));
    out = s;
  }
  static void read_null(Shape&) {}
};

// Ints written as a bare int when there is one (Keras's `axis=-1`), else as a list.
struct IntOrIntsCodec : Codec<Ints> {
  static Config write(const Ints& v) {
    return v.size() == 1 ? Config(v[0]) : Codec<Ints>::write(v);
  }
};

// ---- fields and tables ----

template <class O>
struct Field {
  std::string key;
  std::function<void(const O&, Config&)> write;  // empty: read only
  std::function<void(const Config&, O&)> read;   // empty: write only

  Field read_only() const { return {key, nullptr, read}; }
  Field write_only() const { return {key, write, nullptr}; }
  // Writes fn(options) instead of the member (a clipped or converted value).
  template <class F>
  Field written_as(F fn) const {
    std::string k = key;
    return {key, [k, fn](const O& o, Config& c) { c[k] = fn(o); }, read};
  }
  // A null value keeps the default (the normalization layers' and PReLU's rule for initializers).
  Field keep_on_null() const {
    std::string k = key;
    auto inner = read;
    return {key, write, [k, inner](const Config& c, O& o) {
              if (c.contains(k) && c[k].is_null()) return;
              inner(c, o);
            }};
  }
};
template <class O>
using Fields = std::vector<Field<O>>;

// A key read into and written from `member`, with the codec of its type (or `Codec`).
template <class O, class T, class C = Codec<T>>
Field<O> field(const char* key, T O::*member, C = {}) {
  std::string k = key;
  return {k, [k, member](const O& o, Config& c) { c[k] = C::write(o.*member); },
          [k, member](const Config& c, O& o) {
            if (!c.is_object() || !c.contains(k)) return;  // missing: the default
            const Config& v = c[k];
            if (v.is_null())
              C::read_null(o.*member);
            else
              C::read(v, k.c_str(), o.*member);
          }};
}

// A key with hand-written writing and reading (either may be nullptr).
template <class O>
Field<O> custom(const char* key, std::function<Config(const O&)> write,
                std::function<void(const Config&, O&)> read) {
  std::string k = key;
  Field<O> f{k, nullptr, std::move(read)};
  if (write) f.write = [k, write](const O& o, Config& c) { c[k] = write(o); };
  return f;
}

// A key always written with the same value (Keras's "quantization_config": null) and not read.
template <class O>
Field<O> constant(const char* key, Config value) {
  std::string k = key;
  return {k, [k, value](const O&, Config& c) { c[k] = value; }, nullptr};
}

template <class O>
void append(Fields<O>& out, Field<O> f) {
  out.push_back(std::move(f));
}
template <class O>
void append(Fields<O>& out, const Fields<O>& group) {
  out.insert(out.end(), group.begin(), group.end());
}
// The fields and groups of one layer, in Keras's order.
template <class O, class... Parts>
Fields<O> table(Parts&&... parts) {
  Fields<O> out;
  (append<O>(out, std::forward<Parts>(parts)), ...);
  return out;
}

// The group's keys read only (another part of get_config writes them).
template <class O>
Fields<O> read_only(const Fields<O>& group) {
  Fields<O> out;
  for (const Field<O>& f : group) out.push_back(f.read_only());
  return out;
}

// get_config's own keys (LayerImpl::get_config adds name, trainable, dtype).
template <class O>
Config write(const Fields<O>& fields, const O& options) {
  Config c = Config::object();
  for (const Field<O>& f : fields)
    if (f.write) f.write(options, c);
  return c;
}
template <class O>
O read(const Fields<O>& fields, const Config& c) {
  O o;
  for (const Field<O>& f : fields)
    if (f.read) f.read(c, o);
  return o;
}

// ---- groups declared once ----

// name, dtype, trainable (and activity_regularizer where the options have it), read only:
// LayerImpl::get_config writes them. layer_utils.hpp's rules (a wrong type is an error).
template <class O>
Field<O> base() {
  return {"", nullptr, [](const Config& c, O& o) { detail::read_base(c, o); }};
}
// The same keys with the rules the activation, merging and normalization layers had (a name or
// trainable of the wrong type is ignored).
template <class O>
Field<O> lenient_base() {
  return {"", nullptr, [](const Config& c, O& o) {
            if (c.contains("name") && c["name"].is_string()) o.name = c["name"].get<std::string>();
            o.dtype = detail::read_dtype(c);
            if (c.contains("trainable") && c["trainable"].is_boolean())
              o.trainable = c["trainable"].get<bool>();
          }};
}

// Where a weight_args group puts activity_regularizer: not at all (LayerImpl::get_config writes
// it when set, base() reads it), written after the regularizers (null when unset; still read by
// base()), or also read there.
enum class Activity { kInBase, kWritten, kReadWritten };

// One weight's arguments: `name`_initializer, `name`_regularizer, `name`_constraint (the last two
// may be absent, as for BatchNormalization's moving_mean).
template <class O>
struct Weight {
  std::string name;
  detail::InitializerRef O::*initializer;
  detail::RegularizerRef O::*regularizer = nullptr;
  detail::ConstraintRef O::*constraint = nullptr;
};
#define KERAS_WEIGHT_ARGS(Options, name)                                                           \
  ::keras::layers::fields::Weight<Options> {                                                       \
#name, &Options::name##_initializer, &Options::name##_regularizer, &Options::name##_constraint \
  }

// The initializers of `weights`, in order. `keep_on_null`: a null initializer keeps the default
// (the normalization layers and PReLU) instead of meaning none.
template <class O>
Fields<O> initializers(const std::vector<Weight<O>>& weights, bool keep_on_null = false) {
  Fields<O> g;
  for (const Weight<O>& w : weights) {
    Field<O> f = field((w.name + "_initializer").c_str(), w.initializer);
    g.push_back(keep_on_null ? f.keep_on_null() : f);
  }
  return g;
}
// Their regularizers, activity_regularizer, then their constraints: Keras's order.
template <class O>
Fields<O> regularizers_constraints(const std::vector<Weight<O>>& weights,
                                   Activity activity = Activity::kInBase) {
  Fields<O> g;
  for (const Weight<O>& w : weights)
    if (w.regularizer) g.push_back(field((w.name + "_regularizer").c_str(), w.regularizer));
  if constexpr (requires { &O::activity_regularizer; }) {
    if (activity == Activity::kWritten)
      g.push_back(field("activity_regularizer", &O::activity_regularizer).write_only());
    if (activity == Activity::kReadWritten)
      g.push_back(field("activity_regularizer", &O::activity_regularizer));
  }
  for (const Weight<O>& w : weights)
    if (w.constraint) g.push_back(field((w.name + "_constraint").c_str(), w.constraint));
  return g;
}
template <class O>
Fields<O> weight_args(const std::vector<Weight<O>>& weights,
                      Activity activity = Activity::kInBase) {
  return table<O>(initializers(weights), regularizers_constraints(weights, activity));
}
// kernel and bias: Dense, EinsumDense, the convolutions, the attention layers.
template <class O>
Fields<O> kernel_bias(Activity activity = Activity::kInBase) {
  return weight_args<O>({KERAS_WEIGHT_ARGS(O, kernel), KERAS_WEIGHT_ARGS(O, bias)}, activity);
}

}  // namespace keras::layers::fields

// Declares Name_fields(), the table of Name's config over Options: fields and groups in Keras's
// order.
#define KERAS_LAYER_FIELDS(Name, Options, ...)                                      \
  static const ::keras::layers::fields::Fields<Options>& Name##_fields() {          \
    static const auto table = ::keras::layers::fields::table<Options>(__VA_ARGS__); \
    return table;                                                                   \
  }

// The whole config of a layer declared once: Name_fields(), NameImpl::get_config (the table's
// keys after the base keys, from NameImpl's `options_`) and Name's from_config.
#define KERAS_LAYER_CONFIG(Name, Options, ...) \
  KERAS_LAYER_CONFIG_FROM(Name, Options, options_, __VA_ARGS__)

// The same for a layer that writes its arguments as it standardized them: `written` is an
// Options expression in NameImpl::get_config, e.g. (Options{.size = size_}).
#define KERAS_LAYER_CONFIG_FROM(Name, Options, written, ...)                \
  KERAS_LAYER_FIELDS(Name, Options, __VA_ARGS__)                            \
  ::keras::Config Name##Impl::get_config() const {                          \
    return merge(LayerImpl::get_config(),                                   \
                 ::keras::layers::fields::write(Name##_fields(), written)); \
  }                                                                         \
  KERAS_REGISTER_LAYER_FIELDS(Name, Name##_fields())

// Registers Name's from_config alone, reading `fields_table` (for a layer whose get_config adds
// to the table's, or several classes sharing one table).
#define KERAS_REGISTER_LAYER_FIELDS(Name, fields_table)                                   \
  KERAS_REGISTER_LAYER(Name, [](const ::keras::Config& c) -> std::shared_ptr<LayerImpl> { \
    return std::make_shared<Name##Impl>(::keras::layers::fields::read(fields_table, c));  \
  })
