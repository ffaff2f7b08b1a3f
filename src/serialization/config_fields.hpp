#pragma once
// A class's own config keys, listed once for get_config() and from_config(): `fields` is a
// callable `fields(options, field)` that calls field("key", options.key) for each key, in Keras's
// order (that of the config and of the constructor's arguments), e.g.
//
//   constexpr auto kFields = [](auto& o, auto&& field) {
//     field("beta_1", o.beta_1);
//     field("beta_2", o.beta_2);
//   };
//   config = saving::write_fields(std::move(config), options_, kFields);  // get_config()
//   saving::read_fields(reader, options, kFields);                        // from_config()
#include <utility>

#include "keras/serialization/config.hpp"

namespace keras::saving {

// `config` with the fields appended (an empty std::optional as null).
template <class O, class Fields>
Config write_fields(Config config, const O& options, Fields fields) {
  fields(options, [&](const char* key, const auto& value) {
    if constexpr (requires { value.has_value(); })
      config[key] = value ? Config(*value) : Config(nullptr);
    else
      config[key] = value;
  });
  return config;
}

// Reads the fields with `reader.read(key, value)` (a ConfigReader of losses or optimizers).
template <class Reader, class O, class Fields>
void read_fields(Reader& reader, O& options, Fields fields) {
  fields(options, [&](const char* key, auto& value) { reader.read(key, value); });
}

}  // namespace keras::saving
