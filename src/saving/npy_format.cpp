#include "saving/npy_format.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "keras/core/errors.hpp"

namespace keras::saving::npy {
namespace {

[[noreturn]] void bad(const std::string& what, const std::string& problem) {
  throw ValueError(what + ": " + problem);
}

// The header is a Python dict literal, e.g. "{'descr': '<f4', 'fortran_order': False,
// 'shape': (3, 4), }" followed by spaces and '\n'. NumPy evaluates it with ast.literal_eval; this
// accepts the subset NumPy writes (and older writers: "3L" dimensions, either quote).
class DictParser {
 public:
  DictParser(std::string_view text, const std::string& what) : s_(text), what_(what) {}

  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool accept(char c) {
    skip();
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  void expect(char c, const char* where) {
    if (!accept(c)) fail(std::string("expected '") + c + "' " + where);
  }
  bool at(char c) {
    skip();
    return i_ < s_.size() && s_[i_] == c;
  }
  bool done() {
    skip();
    return i_ == s_.size();
  }
  std::string string_literal(const char* where) {
    skip();
    if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"'))
      fail(std::string("expected a quoted string ") + where);
    char q = s_[i_++];
    size_t end = s_.find(q, i_);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string_view body = s_.substr(i_, end - i_);
    if (body.find('\\') != std::string_view::npos) fail("escape sequences are not supported");
    i_ = end + 1;
    return std::string(body);
  }
  bool boolean() {
    skip();
    if (s_.substr(i_, 4) == "True") return i_ += 4, true;
    if (s_.substr(i_, 5) == "False") return i_ += 5, false;
    fail("'fortran_order' must be True or False");
  }
  std::vector<int64_t> tuple() {
    expect('(', "for 'shape'");
    std::vector<int64_t> dims;
    while (!accept(')')) {
      skip();
      if (i_ < s_.size() && s_[i_] == '-') fail("negative dimension in 'shape'");
      size_t start = i_;
      uint64_t v = 0;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
        if (i_ - start >= 18) fail("dimension too large in 'shape'");
        v = v * 10 + static_cast<uint64_t>(s_[i_] - '0');
        ++i_;
      }
      if (start == i_) fail("expected an integer in 'shape'");
      if (i_ < s_.size() && s_[i_] == 'L') ++i_;  // Python 2 long
      if (dims.size() >= static_cast<size_t>(kMaxDims))
        fail("'shape' has more than " + std::to_string(kMaxDims) + " dimensions");
      dims.push_back(static_cast<int64_t>(v));
      if (!accept(',')) {
        expect(')', "to close 'shape'");
        break;
      }
    }
    return dims;
  }
  [[noreturn]] void fail(const std::string& problem) {
    bad(what_, "malformed .npy header (" + problem + "): " + preview());
  }

 private:
  std::string preview() const {
    std::string out;
    for (char c : s_.substr(0, 200))
      out += (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) ? c : '?';
    return s_.size() > 200 ? out + "..." : out;
  }
  std::string_view s_;
  const std::string& what_;
  size_t i_ = 0;
};

uint64_t read_le(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | p[k];
  return v;
}

}  // namespace

bool host_is_little_endian() {
  const uint16_t one = 1;
  unsigned char first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

uint64_t Descr::swap_unit() const {
  switch (kind) {
    case 'U':
      return 4;
    case 'c':
      return itemsize / 2;
    case 'S':
    case 'b':
      return 0;
    default:
      return itemsize > 1 ? itemsize : 0;
  }
}

bool Descr::needs_swap() const {
  if (swap_unit() <= 1 || byteorder == '|') return false;
  return (byteorder == '<') != host_is_little_endian();
}

std::string native_descr(char kind, uint64_t itemsize) {
  bool no_order = kind == 'b' || kind == 'S' || itemsize == 1;
  if (kind == 'U') no_order = false;
  char order = no_order ? '|' : (host_is_little_endian() ? '<' : '>');
  return std::string(1, order) + kind + std::to_string(kind == 'U' ? itemsize / 4 : itemsize);
}

Descr parse_descr(std::string_view text, const std::string& what) {
  auto unsupported = [&](const std::string& why) -> void {
    bad(what,
        "unsupported dtype '" + std::string(text) + "'" + (why.empty() ? "" : " (" + why + ")"));
  };
  if (text.empty()) unsupported("empty");
  Descr d;
  size_t pos = 0;
  if (text[0] == '<' || text[0] == '>' || text[0] == '|' || text[0] == '=') {
    d.byteorder = text[0] == '=' ? (host_is_little_endian() ? '<' : '>') : text[0];
    pos = 1;
  } else {
    d.byteorder = host_is_little_endian() ? '<' : '>';
  }
  if (pos >= text.size()) unsupported("");
  d.kind = text[pos++];
  if (d.kind == 'O')
    bad(what,
        "object arrays ('" + std::string(text) +
            "') hold pickled Python objects; they cannot be loaded (NumPy's allow_pickle=False)");
  if (d.kind == 'V') unsupported("structured or void data");
  if (d.kind == 'M' || d.kind == 'm') unsupported("datetime/timedelta");
  if (d.kind == '?') d.kind = 'b';
  if (std::string_view("biufcUS").find(d.kind) == std::string_view::npos) unsupported("");
  std::string_view digits = text.substr(pos);
  if (digits.empty() || digits.size() > 12) unsupported("");
  uint64_t n = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) unsupported("");
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  d.itemsize = d.kind == 'U' ? n * 4 : n;
  bool ok = false;
  switch (d.kind) {
    case 'b':
      ok = n == 1;
      break;
    case 'i':
    case 'u':
      ok = n == 1 || n == 2 || n == 4 || n == 8;
      break;
    case 'f':
      ok = n == 2 || n == 4 || n == 8;
      break;
    case 'c':
      ok = n == 8 || n == 16;
      break;
    default:  // 'U', 'S'
      ok = n >= 1 && n <= (uint64_t{1} << 28);
  }
  if (!ok) unsupported("");
  return d;
}

std::string shape_repr(const std::vector<int64_t>& shape) {
  if (shape.empty()) return "()";
  std::string out = "(";
  for (size_t k = 0; k < shape.size(); ++k) out += (k ? ", " : "") + std::to_string(shape[k]);
  return out + (shape.size() == 1 ? ",)" : ")");
}

Header parse(std::string_view file, const std::string& what) {
  static const unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (file.size() >= 1 && static_cast<unsigned char>(file[0]) == 0x80)
    bad(what, "this is a Python pickle, not a .npy file; pickles are never loaded");
  if (file.size() < 10 || std::memcmp(file.data(), magic, 6) != 0)
    bad(what, "not a .npy file (bad magic; a .npy file starts with \"\\x93NUMPY\")");
  const auto* u = reinterpret_cast<const unsigned char*>(file.data());
  Header h;
  h.major = u[6];
  h.minor = u[7];
  if (h.major < 1 || h.major > 3 || h.minor != 0)
    bad(what, "unsupported .npy format version " + std::to_string(h.major) + "." +
                  std::to_string(h.minor) + " (1.0, 2.0 and 3.0 are supported)");
  int len_bytes = h.major == 1 ? 2 : 4;
  if (file.size() < static_cast<size_t>(8 + len_bytes)) bad(what, "truncated .npy header");
  uint64_t header_len = read_le(u + 8, len_bytes);
  uint64_t start = 8 + static_cast<uint64_t>(len_bytes);
  if (header_len > file.size() - start)
    bad(what, "truncated .npy file: the header declares " + std::to_string(header_len) +
                  " bytes, the file has " + std::to_string(file.size() - start) + " after it");
  h.data_offset = start + header_len;
  std::string_view text = file.substr(start, header_len);
  if (h.major < 3)  // latin-1 headers; NumPy's own are ASCII
    for (char c : text)
      if (static_cast<unsigned char>(c) >= 0x80) bad(what, "non-ASCII byte in a .npy header");

  DictParser p(text, what);
  bool have_descr = false, have_order = false, have_shape = false;
  p.expect('{', "at the start");
  while (!p.accept('}')) {
    std::string key = p.string_literal("as a key");
    p.expect(':', "after a key");
    if (key == "descr" && !have_descr) {
      if (p.at('[')) bad(what, "structured dtypes (a list 'descr') are not supported");
      h.descr_text = p.string_literal("for 'descr'");
      have_descr = true;
    } else if (key == "fortran_order" && !have_order) {
      h.fortran_order = p.boolean();
      have_order = true;
    } else if (key == "shape" && !have_shape) {
      h.shape = p.tuple();
      have_shape = true;
    } else {
      p.fail("unexpected or repeated key '" + key + "'");
    }
    if (!p.accept(',')) {
      p.expect('}', "to close the dictionary");
      break;
    }
  }
  if (!p.done()) p.fail("text after the dictionary");
  if (!have_descr || !have_order || !have_shape)
    p.fail("the keys must be 'descr', 'fortran_order' and 'shape'");

  h.descr = parse_descr(h.descr_text, what);
  h.count = 1;
  for (int64_t d : h.shape) {
    auto ud = static_cast<uint64_t>(d);
    if (ud > kMaxElements || (ud != 0 && h.count > kMaxElements / ud))
      bad(what, "shape " + shape_repr(h.shape) + " is absurdly large (more than 2^40 elements)");
    h.count *= ud;
  }
  // count <= 2^40 and itemsize <= 2^30, so this cannot overflow.
  h.data_bytes = h.count * h.descr.itemsize;
  uint64_t have = file.size() - h.data_offset;
  if (have < h.data_bytes)
    bad(what, "truncated .npy data: shape " + shape_repr(h.shape) + " of '" + h.descr_text +
                  "' needs " + std::to_string(h.data_bytes) + " bytes, the file has " +
                  std::to_string(have));
  if (have > h.data_bytes)
    bad(what, std::to_string(have - h.data_bytes) + " unexpected bytes after the data (shape " +
                  shape_repr(h.shape) + " of '" + h.descr_text + "' needs " +
                  std::to_string(h.data_bytes) + ")");
  return h;
}

std::string make_header(const std::string& descr, bool fortran_order,
                        const std::vector<int64_t>& shape) {
  // Keys sorted, as numpy.lib.format._write_array_header writes them, plus its growth padding.
  std::string dict = "{'descr': '" + descr +
                     "', 'fortran_order': " + (fortran_order ? "True" : "False") +
                     ", 'shape': " + shape_repr(shape) + ", }";
  if (!shape.empty()) {
    size_t digits = std::to_string(fortran_order ? shape.back() : shape.front()).size();
    if (digits < 21) dict.append(21 - digits, ' ');  // GROWTH_AXIS_MAX_DIGITS
  }
  auto wrap = [&](int major) {
    int len_bytes = major == 1 ? 2 : 4;
    uint64_t hlen = dict.size() + 1;
    uint64_t pad = 64 - ((6 + 2 + static_cast<uint64_t>(len_bytes) + hlen) % 64);
    uint64_t total = hlen + pad;
    std::string out = "\x93NUMPY";
    out += static_cast<char>(major);
    out += '\0';
    for (int k = 0; k < len_bytes; ++k) out += static_cast<char>((total >> (8 * k)) & 0xff);
    out += dict;
    out.append(pad, ' ');
    out += '\n';
    return out;
  };
  return dict.size() + 1 + 64 <= 65535 ? wrap(1) : wrap(2);
}

void swap_bytes(char* data, uint64_t bytes, uint64_t unit) {
  if (unit <= 1) return;
  for (uint64_t off = 0; off + unit <= bytes; off += unit)
    std::reverse(data + off, data + off + unit);
}

std::string fortran_to_c(std::string_view data, const std::vector<int64_t>& shape,
                         uint64_t itemsize) {
  std::string out(data.size(), '\0');
  size_t rank = shape.size();
  uint64_t count = itemsize ? data.size() / itemsize : 0;
  if (rank <= 1 || count == 0) return std::string(data);
  // Fortran strides (in elements) of each axis; walk the C-order index with a counter.
  std::vector<uint64_t> fstride(rank);
  uint64_t s = 1;
  for (size_t k = 0; k < rank; ++k) fstride[k] = s, s *= static_cast<uint64_t>(shape[k]);
  std::vector<int64_t> idx(rank, 0);
  uint64_t src = 0;
  for (uint64_t dst = 0; dst < count; ++dst) {
    std::memcpy(&out[dst * itemsize], &data[src * itemsize], itemsize);
    for (size_t k = rank; k-- > 0;) {
      if (++idx[k] < shape[k]) {
        src += fstride[k];
        break;
      }
      src -= fstride[k] * static_cast<uint64_t>(shape[k] - 1);
      idx[k] = 0;
    }
  }
  return out;
}

std::string utf32_to_utf8(const char* data, uint64_t chars, const std::string& what) {
  std::string out;
  for (uint64_t c = 0; c < chars; ++c) {
    uint32_t cp;
    std::memcpy(&cp, data + 4 * c, 4);
    if (cp == 0) break;  // NumPy pads with NULs (a string cannot end in NUL)
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      bad(what, "invalid unicode code point " + std::to_string(cp) + " in string data");
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  return out;
}

std::u32string utf8_to_utf32(std::string_view text, const std::string& what) {
  std::u32string out;
  auto u = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  for (size_t i = 0; i < text.size();) {
    unsigned char b = u(i);
    int extra = b < 0x80           ? 0
                : (b >> 5) == 0x6  ? 1
                : (b >> 4) == 0xe  ? 2
                : (b >> 3) == 0x1e ? 3
                                   : -1;
    if (extra < 0 || i + static_cast<size_t>(extra) >= text.size())
      bad(what, "invalid UTF-8 in a string");
    uint32_t cp = extra == 0 ? b : b & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k) {
      if ((u(i + k) & 0xc0) != 0x80) bad(what, "invalid UTF-8 in a string");
      cp = (cp << 6) | (u(i + k) & 0x3f);
    }
    static const uint32_t min_cp[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      bad(what, "invalid UTF-8 in a string");
    out += static_cast<char32_t>(cp);
    i += static_cast<size_t>(extra) + 1;
  }
  return out;
}

}  // namespace keras::saving::npy
