#pragma once
// The config keys of the crossentropy losses and metrics (serialization/config_fields.hpp), in
// Keras's order, for whichever its options struct has: from_logits, label_smoothing, ignore_class,
// axis. (The losses' BinaryCrossentropy has all but ignore_class; the metric, no axis; the sparse
// ones, no label_smoothing.)
namespace keras::detail {

inline constexpr auto kCrossentropyFields = [](auto& o, auto&& field) {
  field("from_logits", o.from_logits);
  if constexpr (requires { o.label_smoothing; }) field("label_smoothing", o.label_smoothing);
  if constexpr (requires { o.ignore_class; }) field("ignore_class", o.ignore_class);
  if constexpr (requires { o.axis; }) field("axis", o.axis);
};

}  // namespace keras::detail
