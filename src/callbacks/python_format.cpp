#include "callbacks/python_format.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "keras/core/errors.hpp"

namespace keras::callbacks::detail {

void print_msg(const std::string& message) { std::cout << message << "\n" << std::flush; }

void warn(const std::string& message) { std::cerr << "UserWarning: " << message << "\n"; }

}  // namespace keras::callbacks::detail

namespace keras::callbacks::detail {
namespace {

struct Spec {
  char fill = ' ';
  char align = 0;  // '<', '>', '^', '=' or 0 (default: numbers right-aligned)
  char sign = '-';
  int width = 0;
  int precision = -1;
  char type = 0;
};

Spec parse_spec(const std::string& text, const std::string& pattern) {
  Spec s;
  size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (text.size() >= 2 && is_align(text[1])) {
    s.fill = text[0];
    s.align = text[1];
    i = 2;
  } else if (!text.empty() && is_align(text[0])) {
    s.align = text[0];
    i = 1;
  }
  if (i < text.size() && (text[i] == '+' || text[i] == '-' || text[i] == ' ')) s.sign = text[i++];
  if (i < text.size() && text[i] == '0') {
    if (!s.align) {
      s.fill = '0';
      s.align = '=';
    }
    ++i;
  }
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
    s.width = s.width * 10 + (text[i++] - '0');
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i])))
      throw ValueError("Format specifier missing precision in '" + pattern + "'");
    s.precision = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
      s.precision = s.precision * 10 + (text[i++] - '0');
  }
  if (i < text.size()) s.type = text[i++];
  if (i != text.size())
    throw ValueError("Invalid format specifier '" + text + "' in '" + pattern + "'");
  return s;
}

std::string format_number(const FormatValue& v, const Spec& s, const std::string& pattern) {
  std::string body;
  double x = v.value;
  bool negative = std::signbit(x) && !std::isnan(x);
  double mag = std::fabs(x);
  char type = s.type;
  if (type == 'd') {
    if (!v.is_int)
      throw ValueError("Unknown format code 'd' for object of type 'float' in '" + pattern + "'");
    body = std::to_string(static_cast<long long>(mag));
  } else if (type == 0 && v.is_int && s.precision >= 0) {
    throw ValueError("Precision not allowed in integer format specifier in '" + pattern + "'");
  } else if (type == 0 && s.precision < 0) {
    body = v.is_int ? std::to_string(static_cast<long long>(mag)) : python_float(mag);
  } else if (std::isnan(mag) || std::isinf(mag)) {
    body = std::isnan(mag) ? "nan" : "inf";
    if (type == 'F' || type == 'E' || type == 'G') {
      for (char& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  } else {
    int prec = s.precision < 0 ? 6 : s.precision;
    std::string fmt;
    std::string suffix;
    switch (type) {
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
        fmt = std::string("%.*") + type;
        break;
      case '%':
        mag *= 100;
        fmt = "%.*f";
        suffix = "%";
        break;
      case 0:  // precision without a type: like 'g' but at least one digit after the point
        fmt = "%.*g";
        break;
      default:
        throw ValueError(std::string("Unknown format code '") + type + "' in '" + pattern + "'");
    }
    char buf[512];
    std::snprintf(buf, sizeof buf, fmt.c_str(), prec, mag);
    body = buf + suffix;
    if (type == 0 && body.find_first_of(".e") == std::string::npos) body += ".0";
  }
  std::string sign = negative ? "-" : (s.sign == '+' ? "+" : s.sign == ' ' ? " " : "");
  size_t len = sign.size() + body.size();
  if (static_cast<size_t>(s.width) <= len) return sign + body;
  size_t pad = static_cast<size_t>(s.width) - len;
  char align = s.align ? s.align : '>';
  if (align == '=') return sign + std::string(pad, s.fill) + body;
  if (align == '<') return sign + body + std::string(pad, s.fill);
  if (align == '^')
    return std::string(pad / 2, s.fill) + sign + body + std::string(pad - pad / 2, s.fill);
  return std::string(pad, s.fill) + sign + body;
}

}  // namespace

std::string python_format(const std::string& pattern,
                          const std::map<std::string, FormatValue>& values) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '}') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      throw ValueError("Single '}' encountered in format string '" + pattern + "'");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < pattern.size() && pattern[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    size_t close = pattern.find('}', i);
    if (close == std::string::npos)
      throw ValueError("Single '{' encountered in format string '" + pattern + "'");
    std::string field = pattern.substr(i + 1, close - i - 1);
    size_t colon = field.find(':');
    std::string name = field.substr(0, colon);
    std::string spec = colon == std::string::npos ? "" : field.substr(colon + 1);
    auto it = values.find(name);
    if (it == values.end())
      throw ValueError("no value for the placeholder '" + name + "' in '" + pattern + "'");
    out += format_number(it->second, parse_spec(spec, pattern), pattern);
    i = close;
  }
  return out;
}

}  // namespace keras::callbacks::detail
