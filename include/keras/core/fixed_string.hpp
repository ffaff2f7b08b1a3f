#pragma once
// A string literal usable as a template argument: `RankedLayer<BaseConvImpl, 2, "Conv2D">`.
#include <cstddef>
#include <string>
#include <string_view>

namespace keras {

template <std::size_t N>
struct FixedString {
  char value[N]{};
  constexpr FixedString(const char (&s)[N]) {  // NOLINT: implicit, so literals convert
    for (std::size_t i = 0; i < N; ++i) value[i] = s[i];
  }
  constexpr std::string_view view() const { return {value, N - 1}; }
  std::string str() const { return std::string(view()); }
};

}  // namespace keras
