#pragma once
// Private pieces of model serialization shared by layers::serialize and the saving code.
#include <cstdint>
#include <string>

#include "keras/core/errors.hpp"
#include "keras/models/model.hpp"
#include "keras/serialization/config.hpp"

namespace keras::saving {

// Keras's build_config of a model: Functional {"input_shape": null}, Sequential its input
// shape, a built subclassed model the shape(s) it was built with; null when not built.
Config model_build_config(const ModelImpl& model);

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

}  // namespace keras::saving
