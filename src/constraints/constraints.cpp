// MaxNorm, MinMaxNorm, NonNeg, UnitNorm and keras.constraints.get / serialize / deserialize
// (keras/src/constraints/constraints.py, __init__.py).
#include "keras/constraints/constraints.hpp"

#include <cmath>
#include <mutex>

#include "keras/core/config.hpp"
#include "keras/ops/ops.hpp"
#include "keras/serialization/object_registry.hpp"
#include "serialization/config_args.hpp"

namespace keras::constraints {

namespace {

// sqrt(sum(square(w), axis, keepdims=True)); integer weights give floatx norms.
Tensor norms_of(const Tensor& w, const ops::Axis& axis) {
  return ops::sqrt(ops::sum(ops::square(w), {.axis = axis, .keepdims = true}));
}

Tensor epsilon() { return Tensor(config::epsilon()); }

// One axis is written as an integer, several as a list, none as null (as Keras writes what it
// was given; an axis given as a one-element list comes back as an integer).
Config axis_config(const ops::Axis& axis) {
  if (axis.is_none()) return Config(nullptr);
  if (axis.axes->size() == 1) return Config((*axis.axes)[0]);
  return Config(*axis.axes);
}

// Python writes ints as ints: keep an integral value an integer in the config.
Config number_config(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15)
    return Config(static_cast<int64_t>(v));
  return Config(v);
}

}  // namespace

Tensor MaxNorm::operator()(const Tensor& w) const {
  Tensor norms = norms_of(w, options_.axis);
  Tensor desired = ops::clip(norms, Tensor(0.0), Tensor(options_.max_value));
  return ops::multiply(ops::cast(w, norms.dtype()),
                       ops::divide(desired, ops::add(epsilon(), norms)));
}

Config MaxNorm::get_config() const {
  Config c = Config::object();
  c["max_value"] = number_config(options_.max_value);
  c["axis"] = axis_config(options_.axis);
  return c;
}

Tensor MinMaxNorm::operator()(const Tensor& w) const {
  Tensor norms = norms_of(w, options_.axis);
  Tensor desired = ops::add(
      ops::multiply(Tensor(options_.rate),
                    ops::clip(norms, Tensor(options_.min_value), Tensor(options_.max_value))),
      ops::multiply(Tensor(1.0 - options_.rate), norms));
  return ops::multiply(ops::cast(w, norms.dtype()),
                       ops::divide(desired, ops::add(epsilon(), norms)));
}

Config MinMaxNorm::get_config() const {
  Config c = Config::object();
  c["min_value"] = options_.min_value;
  c["max_value"] = options_.max_value;
  c["rate"] = options_.rate;
  c["axis"] = axis_config(options_.axis);
  return c;
}

Tensor NonNeg::operator()(const Tensor& w) const { return ops::maximum(w, Tensor(0)); }

Tensor UnitNorm::operator()(const Tensor& w) const {
  Tensor norms = norms_of(w, options_.axis);
  return ops::divide(ops::cast(w, norms.dtype()), ops::add(epsilon(), norms));
}

Config UnitNorm::get_config() const { return Config{{"axis", axis_config(options_.axis)}}; }

// ---- registry ----

namespace {

using saving::ConfigArgs;
using Registry = saving::Registry<Constraint>;

ops::Axis axis_arg(ConfigArgs& a) {
  bool present = a.has("axis");
  std::optional<std::vector<int64_t>> v = a.int_list("axis");
  if (!present) return ops::Axis();  // null: all axes
  return ops::Axis(*v);
}

void register_builtins() {
  static std::once_flag once;
  std::call_once(once, [] {
    Registry& r = Registry::instance();
    r.add("MaxNorm",
          [](const Config& c) {
            ConfigArgs a(c, "MaxNorm");
            MaxNormOptions o{.max_value = a.number("max_value", 2)};
            if (c.contains("axis")) o.axis = axis_arg(a);
            a.finish();
            return std::make_shared<MaxNorm>(o);
          },
          {"max_norm"});
    r.add("MinMaxNorm",
          [](const Config& c) {
            ConfigArgs a(c, "MinMaxNorm");
            MinMaxNormOptions o{.min_value = a.number("min_value", 0.0),
                                .max_value = a.number("max_value", 1.0),
                                .rate = a.number("rate", 1.0)};
            if (c.contains("axis")) o.axis = axis_arg(a);
            a.finish();
            return std::make_shared<MinMaxNorm>(o);
          },
          {"min_max_norm"});
    r.add("NonNeg",
          [](const Config& c) {
            ConfigArgs(c, "NonNeg").finish();
            return std::make_shared<NonNeg>();
          },
          {"non_neg"});
    r.add("UnitNorm",
          [](const Config& c) {
            ConfigArgs a(c, "UnitNorm");
            UnitNormOptions o;
            if (c.contains("axis")) o.axis = axis_arg(a);
            a.finish();
            return std::make_shared<UnitNorm>(o);
          },
          {"unit_norm"});
  });
}

[[maybe_unused]] const bool registered = (register_builtins(), true);

}  // namespace

std::shared_ptr<Constraint> get(const std::string& identifier) {
  register_builtins();
  return Registry::instance().create(identifier, Config::object(), Constraint::kFamily);
}

std::shared_ptr<Constraint> deserialize(const Config& config) {
  register_builtins();
  return Registry::instance().deserialize(config, Constraint::kFamily);
}

Config serialize(const Constraint& constraint) {
  return saving::make_envelope("keras.constraints", constraint.class_name(),
                               constraint.get_config());
}

}  // namespace keras::constraints
