#pragma once
// Overflow-checked int64 arithmetic for shape computations whose operands may come from a config
// or a file (a crafted config can declare units=2**62 or strides=2**63-1): a result past int64
// is a ValueError naming `where`, not undefined behaviour.
#include <cstdint>
#include <string>
#include <type_traits>

#include "keras/core/errors.hpp"

namespace keras::checked_int {

[[noreturn]] inline void overflow(const std::string& where, int64_t a, const char* op, int64_t b) {
  throw ValueError(where + ": the size " + std::to_string(a) + " " + op + " " + std::to_string(b) +
                   " does not fit in 64 bits");
}

// `where` is a string, or a callable returning one, called only on overflow (call sites on a
// layer's or op's every call pass a lambda, so the message is not built each time).
template <class Where>
std::string describe(const Where& where) {
  if constexpr (std::is_invocable_v<const Where&>)
    return where();
  else
    return std::string(where);
}

template <class Where>
int64_t mul(int64_t a, int64_t b, const Where& where) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) overflow(describe(where), a, "*", b);
  return r;
}

template <class Where>
int64_t add(int64_t a, int64_t b, const Where& where) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) overflow(describe(where), a, "+", b);
  return r;
}

// ceil(a / b) for a >= 0, b > 0, without computing a + b - 1.
inline int64_t ceil_div(int64_t a, int64_t b) { return a / b + (a % b != 0); }

}  // namespace keras::checked_int
