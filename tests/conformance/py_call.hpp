#pragma once
// A parser for the Python call strings stored in the Keras fixtures (ops.npz's `OP__CASE__call`):
//   "ops.sum(x0, axis=(-1, 0), keepdims=True)"
//   "ops.einsum('bij,bjk->bik', x0, x1)"
//   "ops.top_k(x0, k=4)[0]  (values only)"
// Only literals appear as arguments: names (x0, x1, ...), ints, floats, strings, True/False/None
// and tuples/lists of those. Anything else throws keras::ValueError quoting the call.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace keras::testing {

struct PyValue {
  enum class Kind { Int, Float, Str, Bool, None, Name, Seq };
  Kind kind = Kind::None;
  int64_t i = 0;               // Int, Bool (0/1)
  double f = 0.0;              // Float (and Int, converted)
  std::string s;               // Str, Name
  std::vector<PyValue> items;  // Seq (tuple or list)

  bool is_number() const { return kind == Kind::Int || kind == Kind::Float; }
  std::string to_string() const;
};

struct PyCall {
  std::string text;  // the whole string, for messages
  std::string func;  // "sum" for "ops.sum(...)"
  std::vector<PyValue> args;
  std::vector<std::pair<std::string, PyValue>> kwargs;
  std::optional<int64_t> subscript;  // "[0]" after the call: only that output is kept

  // The argument at `position` or called `name`, if given.
  const PyValue* find(size_t position, const std::string& name) const;
  // Same, but throws ValueError naming the call when it is missing.
  const PyValue& get(size_t position, const std::string& name) const;
};

PyCall parse_py_call(const std::string& text);

}  // namespace keras::testing
