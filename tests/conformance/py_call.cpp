// Parser for the fixtures' Python call strings (see py_call.hpp).
#include "conformance/py_call.hpp"

#include <cctype>

#include "keras/core/errors.hpp"

namespace keras::testing {
namespace {

struct Parser {
  const std::string& s;
  size_t i = 0;

  [[noreturn]] void fail(const std::string& why) const {
    throw ValueError("parse_py_call: " + why + " at offset " + std::to_string(i) + " in \"" + s +
                     "\"");
  }
  void skip() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool accept(char c) {
    skip();
    if (i < s.size() && s[i] == c) return ++i, true;
    return false;
  }
  void expect(char c) {
    if (!accept(c)) fail(std::string("expected '") + c + "'");
  }
  std::string identifier() {
    skip();
    size_t start = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    if (start == i) fail("expected a name");
    return s.substr(start, i - start);
  }

  PyValue value() {
    skip();
    if (i >= s.size()) fail("unexpected end");
    char c = s[i];
    PyValue v;
    if (c == '(' || c == '[') {
      char close = c == '(' ? ')' : ']';
      ++i;
      v.kind = PyValue::Kind::Seq;
      while (!accept(close)) {
        v.items.push_back(value());
        if (!accept(',')) {
          expect(close);
          break;
        }
      }
      return v;
    }
    if (c == '\'' || c == '"') {
      size_t end = s.find(c, i + 1);
      if (end == std::string::npos) fail("unterminated string");
      v.kind = PyValue::Kind::Str;
      v.s = s.substr(i + 1, end - i - 1);
      i = end + 1;
      return v;
    }
    if (c == '-' || c == '+' || c == '.' || std::isdigit(static_cast<unsigned char>(c))) {
      size_t start = i++;
      bool is_float = c == '.';
      while (i < s.size() &&
             (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.' ||
              ((s[i] == '-' || s[i] == '+') && (s[i - 1] == 'e' || s[i - 1] == 'E')))) {
        if (s[i] == '.' || s[i] == 'e' || s[i] == 'E') is_float = true;
        ++i;
      }
      std::string tok = s.substr(start, i - start);
      size_t used = 0;
      try {
        if (is_float) {
          v.kind = PyValue::Kind::Float;
          v.f = std::stod(tok, &used);
        } else {
          v.kind = PyValue::Kind::Int;
          v.i = std::stoll(tok, &used);
          v.f = static_cast<double>(v.i);
        }
      } catch (const std::exception&) {
        fail("bad number '" + tok + "'");
      }
      if (used != tok.size()) fail("bad number '" + tok + "'");
      return v;
    }
    std::string name = identifier();
    if (name == "True" || name == "False") {
      v.kind = PyValue::Kind::Bool;
      v.i = name == "True";
    } else if (name == "None") {
      v.kind = PyValue::Kind::None;
    } else {
      v.kind = PyValue::Kind::Name;
      v.s = name;
    }
    return v;
  }
};

}  // namespace

std::string PyValue::to_string() const {
  switch (kind) {
    case Kind::Int:
      return std::to_string(i);
    case Kind::Float:
      return std::to_string(f);
    case Kind::Str:
      return "'" + s + "'";
    case Kind::Bool:
      return i ? "True" : "False";
    case Kind::None:
      return "None";
    case Kind::Name:
      return s;
    case Kind::Seq: {
      std::string out = "(";
      for (size_t k = 0; k < items.size(); ++k) out += (k ? ", " : "") + items[k].to_string();
      return out + ")";
    }
  }
  return "?";
}

const PyValue* PyCall::find(size_t position, const std::string& name) const {
  for (const auto& [key, v] : kwargs)
    if (key == name) return &v;
  return position < args.size() ? &args[position] : nullptr;
}

const PyValue& PyCall::get(size_t position, const std::string& name) const {
  const PyValue* v = find(position, name);
  if (!v) throw ValueError("\"" + text + "\": missing argument `" + name + "`");
  return *v;
}

PyCall parse_py_call(const std::string& text) {
  Parser p{text};
  PyCall call;
  call.text = text;
  std::string module = p.identifier();
  p.expect('.');
  call.func = p.identifier();
  if (module != "ops") p.fail("expected a call of ops.<name>, got module '" + module + "'");
  p.expect('(');
  while (!p.accept(')')) {
    // A keyword argument is `name=`; anything else is positional (keywords come last).
    size_t save = p.i;
    p.skip();
    bool keyword = false;
    if (p.i < text.size() &&
        (std::isalpha(static_cast<unsigned char>(text[p.i])) || text[p.i] == '_')) {
      std::string name = p.identifier();
      if (p.accept('=')) {
        call.kwargs.emplace_back(name, p.value());
        keyword = true;
      }
    }
    if (!keyword) {
      if (!call.kwargs.empty()) p.fail("positional argument after a keyword argument");
      p.i = save;
      call.args.push_back(p.value());
    }
    if (!p.accept(',')) {
      p.expect(')');
      break;
    }
  }
  if (p.accept('[')) {
    PyValue idx = p.value();
    if (idx.kind != PyValue::Kind::Int) p.fail("expected an integer subscript");
    call.subscript = idx.i;
    p.expect(']');
  }
  // What follows is a comment for people ("-> (values, indices)", "(values only)").
  return call;
}

}  // namespace keras::testing
