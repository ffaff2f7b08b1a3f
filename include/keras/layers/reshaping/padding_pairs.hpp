#pragma once
// PaddingPairs: the `padding` / `cropping` argument of ZeroPadding2D/3D and Cropping2D/3D, which
// Keras accepts as one int (the same amount on both sides of every spatial dimension), a tuple of
// ints (symmetric, one per dimension) or a tuple of (before, after) pairs, one per dimension:
//
//   layers::ZeroPadding2D({.padding = 1});                 // ((1, 1), (1, 1))
//   layers::ZeroPadding2D({.padding = {1, 2}});            // ((1, 1), (2, 2))
//   layers::ZeroPadding2D({.padding = {{1, 0}, {2, 1}}});  // ((1, 0), (2, 1))
//   layers::Cropping3D({.cropping = {{1, 0}, 2, {0, 3}}}); // entries may mix both forms
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/core/ints.hpp"

namespace keras::layers {

class PaddingPairs {
 public:
  using Pairs = std::vector<std::pair<int64_t, int64_t>>;

  PaddingPairs() = default;
  PaddingPairs(int64_t value)
      : scalar_(true), entries_{Ints(value)} {}  // NOLINT: like Python's int
  PaddingPairs(int value) : PaddingPairs(static_cast<int64_t>(value)) {}  // NOLINT
  // One entry per spatial dimension: an int (symmetric) or a (before, after) pair.
  PaddingPairs(std::initializer_list<Ints> entries) : entries_(entries) {}
  explicit PaddingPairs(std::vector<Ints> entries) : entries_(std::move(entries)) {}
  explicit PaddingPairs(const Pairs& pairs) {
    for (const auto& [a, b] : pairs) entries_.push_back(Ints{a, b});
  }

  // Given as a single int.
  bool is_scalar() const { return scalar_; }
  const std::vector<Ints>& entries() const { return entries_; }

  // The n (before, after) pairs; ValueError naming `where` and `arg` ("ZeroPadding2D", "padding")
  // when there are not n entries, an entry has neither 1 nor 2 values, or a value is negative.
  Pairs expand(size_t n, const std::string& where, const char* arg) const {
    auto fail = [&](const std::string& why) {
      throw ValueError(where + ": `" + arg + "` " + why + ". Received: " + arg + "=" + to_string());
    };
    Pairs out;
    if (scalar_) {
      int64_t v = entries_.front().front();
      if (v < 0) fail("cannot be negative");
      out.assign(n, {v, v});
      return out;
    }
    if (entries_.size() != n)
      fail("should have " + std::to_string(n) +
           " elements (one int or one (before, after) pair "
           "per spatial dimension)");
    static const char* const kOrdinal[] = {"1st", "2nd", "3rd"};
    for (size_t i = 0; i < n; ++i) {
      const Ints& e = entries_[i];
      std::string ordinal = i < 3 ? kOrdinal[i] : std::to_string(i + 1) + "th";
      if (e.size() != 1 && e.size() != 2)
        fail("has a " + ordinal + " entry with " + std::to_string(e.size()) +
             " values, expected an int or a tuple of 2 integers");
      int64_t a = e[0], b = e.size() == 2 ? e[1] : e[0];
      if (a < 0 || b < 0)
        fail("has a " + ordinal + " entry with a negative value; expected values >= 0");
      out.emplace_back(a, b);
    }
    return out;
  }

  // Python-like text: "1", "(1, 2)", "((1, 0), (2, 1))".
  std::string to_string() const {
    if (scalar_) return std::to_string(entries_.front().front());
    std::string s = "(";
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (i) s += ", ";
      const Ints& e = entries_[i];
      if (e.size() == 1) {
        s += std::to_string(e[0]);
      } else {
        s += "(";
        for (size_t j = 0; j < e.size(); ++j) s += (j ? ", " : "") + std::to_string(e[j]);
        s += e.size() == 1 ? ",)" : ")";
      }
    }
    if (entries_.size() == 1) s += ",";
    return s + ")";
  }

 private:
  bool scalar_ = false;
  std::vector<Ints> entries_;
};

}  // namespace keras::layers
