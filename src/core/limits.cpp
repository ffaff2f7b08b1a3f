#include "keras/core/limits.hpp"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "keras/core/errors.hpp"

namespace keras::config {
namespace {

// 0: not set by the program.
std::atomic<uint64_t> max_activation_bytes_set{0};

}  // namespace

uint64_t max_activation_bytes() {
  if (uint64_t set = max_activation_bytes_set.load()) return set;
  const char* env = std::getenv("KERAS_MAX_ACTIVATION_BYTES");
  if (!env || !*env) return kDefaultMaxActivationBytes;
  // Digits only: strtoull alone would accept "-1" (as 2**64-1), " 12" or "12abc".
  std::string text = env;
  bool digits = text.size() <= 20;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  errno = 0;
  uint64_t value = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
  if (!digits || errno == ERANGE || value == 0)
    throw ValueError(
        "KERAS_MAX_ACTIVATION_BYTES must be a positive integer number of bytes, got \"" +
        text.substr(0, 100) + "\"");
  return value;
}

void set_max_activation_bytes(uint64_t bytes) {
  if (bytes == 0)
    throw ValueError(
        "set_max_activation_bytes: the limit must be positive (UINT64_MAX turns the check off), "
        "got 0");
  max_activation_bytes_set.store(bytes);
}

void reset_max_activation_bytes() { max_activation_bytes_set.store(0); }

}  // namespace keras::config
