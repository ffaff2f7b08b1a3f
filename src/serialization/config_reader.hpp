#pragma once
// Reading a config dict with errors that name its owner and key (compile_config, Functional
// model configs), and writing shapes the way Keras's configs hold them.
#include <cstdint>
#include <string>

#include "keras/core/errors.hpp"
#include "keras/core/shape.hpp"
#include "keras/serialization/config.hpp"

namespace keras::saving {

// Reads keys of a config dict with ValueErrors naming the owner and the key.
class ConfigReader {
 public:
  ConfigReader(const Config& config, std::string owner);
  const Config& required(const char* key) const;
  std::string string(const char* key, const std::string& def) const;
  bool boolean(const char* key, bool def) const;
  int64_t integer(const char* key, int64_t def) const;

 private:
  const Config& config_;
  std::string owner_;
};

// Throws an error of the same kind as `e` with "<context>: " before its message.
[[noreturn]] void rethrow_with_context(const Error& e, const std::string& context);

// A shape as Keras writes it in configs: a list with null for unknown dimensions.
Config shape_json(const Shape& shape);

}  // namespace keras::saving
