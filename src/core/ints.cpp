#include "keras/core/ints.hpp"

#include "keras/core/errors.hpp"

namespace keras {

std::vector<int64_t> Ints::expand(size_t n, const std::string& where, const char* arg) const {
  if (size() == 1) return std::vector<int64_t>(n, front());
  if (size() == n) return *this;
  std::string got = "(";
  for (size_t i = 0; i < size(); ++i) got += (i ? ", " : "") + std::to_string((*this)[i]);
  got += ")";
  throw ValueError(where + ": `" + arg + "` must be an int or a tuple of " + std::to_string(n) +
                   " ints, got " + got);
}

}  // namespace keras
