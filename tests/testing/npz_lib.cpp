// .npy / .npz reader (see npz.hpp). The zip container is parsed here (central directory, zip64
// records) and deflated members are inflated with zlib; NumPy writes npz members with zip64
// local headers, so sizes are always taken from the central directory.
#include "testing/npz.hpp"

#include <zlib.h>

#include <cctype>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <iterator>

#include "keras/ops/core.hpp"

namespace keras::testing {
namespace {

[[noreturn]] void bad(const std::string& what, const std::string& reason) {
  throw ValueError(what + ": " + reason);
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw OSError("cannot open \"" + path + "\"");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

uint64_t le(const std::vector<uint8_t>& b, uint64_t pos, int bytes, const std::string& what) {
  if (pos > b.size() || b.size() - pos < static_cast<uint64_t>(bytes))
    bad(what, "truncated (needs byte " + std::to_string(pos + bytes) + ", file has " +
                  std::to_string(b.size()) + ")");
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | b[pos + i];
  return v;
}

// ---- .npy header: a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
struct HeaderParser {
  const std::string& s;
  const std::string& what;
  size_t i = 0;

  void skip() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool accept(char c) {
    skip();
    if (i < s.size() && s[i] == c) return ++i, true;
    return false;
  }
  void expect(char c) {
    if (!accept(c)) bad(what, std::string("malformed header, expected '") + c + "' in " + s);
  }
  std::string quoted() {
    skip();
    if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) bad(what, "malformed header " + s);
    char q = s[i++];
    size_t end = s.find(q, i);
    if (end == std::string::npos) bad(what, "unterminated string in header " + s);
    std::string out = s.substr(i, end - i);
    i = end + 1;
    return out;
  }
  bool boolean() {
    skip();
    if (s.compare(i, 4, "True") == 0) return i += 4, true;
    if (s.compare(i, 5, "False") == 0) return i += 5, false;
    bad(what, "malformed header, expected True or False in " + s);
  }
  Shape tuple() {
    expect('(');
    Shape shape;
    while (!accept(')')) {
      skip();
      size_t start = i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      if (start == i || i - start > 15) bad(what, "malformed shape in header " + s);
      shape.push_back(std::stoll(s.substr(start, i - start)));
      if (!accept(',')) {
        expect(')');
        break;
      }
    }
    return shape;
  }
};

std::optional<DType> dtype_from_descr(const std::string& descr, const std::string& what,
                                      size_t* unicode_chars) {
  if (descr.size() < 3) bad(what, "unsupported dtype '" + descr + "'");
  char order = descr[0];
  std::string kind = descr.substr(1);
  if (order == '>' && kind != "i1" && kind != "u1" && kind != "b1")
    bad(what, "big-endian dtype '" + descr + "' is not supported");
  if (order != '<' && order != '|' && order != '=' && order != '>')
    bad(what, "unsupported dtype '" + descr + "'");
  if (kind[0] == 'U') {
    size_t n = 0;
    for (size_t k = 1; k < kind.size(); ++k) {
      if (!std::isdigit(static_cast<unsigned char>(kind[k])) || n > (1u << 24))
        bad(what, "unsupported dtype '" + descr + "'");
      n = n * 10 + static_cast<size_t>(kind[k] - '0');
    }
    *unicode_chars = n;
    return std::nullopt;
  }
  static const std::map<std::string, DType> kinds = {
      {"f2", DType::Float16}, {"f4", DType::Float32}, {"f8", DType::Float64}, {"i1", DType::Int8},
      {"i2", DType::Int16},   {"i4", DType::Int32},   {"i8", DType::Int64},   {"u1", DType::UInt8},
      {"u2", DType::UInt16},  {"u4", DType::UInt32},  {"u8", DType::UInt64},  {"b1", DType::Bool}};
  auto it = kinds.find(kind);
  if (it == kinds.end()) bad(what, "unsupported dtype '" + descr + "'");
  return it->second;
}

void append_utf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

// ---- zip ----
struct Member {
  std::string name;
  uint16_t method = 0;
  uint16_t flags = 0;
  uint32_t crc = 0;
  uint64_t compressed = 0, uncompressed = 0, local_offset = 0;
};

std::vector<Member> central_directory(const std::vector<uint8_t>& b, const std::string& what) {
  if (b.size() < 22)
    bad(what, "not a zip archive (file is " + std::to_string(b.size()) + " bytes)");
  size_t eocd = std::string::npos;
  size_t lowest = b.size() >= 22 + 65535 ? b.size() - 22 - 65535 : 0;
  for (size_t p = b.size() - 22 + 1; p-- > lowest;)
    if (le(b, p, 4, what) == 0x06054b50) {
      eocd = p;
      break;
    }
  if (eocd == std::string::npos) bad(what, "not a zip archive (no end of central directory)");
  uint64_t count = le(b, eocd + 10, 2, what);
  uint64_t cd_offset = le(b, eocd + 16, 4, what);
  if ((count == 0xffff || cd_offset == 0xffffffff) && eocd >= 20 &&
      le(b, eocd - 20, 4, what) == 0x07064b50) {
    uint64_t rec = le(b, eocd - 20 + 8, 8, what);
    if (le(b, rec, 4, what) != 0x06064b50) bad(what, "bad zip64 end of central directory");
    count = le(b, rec + 32, 8, what);
    cd_offset = le(b, rec + 48, 8, what);
  }
  std::vector<Member> members;
  uint64_t p = cd_offset;
  for (uint64_t k = 0; k < count; ++k) {
    if (le(b, p, 4, what) != 0x02014b50)
      bad(what, "corrupt zip central directory entry " + std::to_string(k));
    Member m;
    m.flags = static_cast<uint16_t>(le(b, p + 8, 2, what));
    m.method = static_cast<uint16_t>(le(b, p + 10, 2, what));
    m.crc = static_cast<uint32_t>(le(b, p + 16, 4, what));
    m.compressed = le(b, p + 20, 4, what);
    m.uncompressed = le(b, p + 24, 4, what);
    uint64_t name_len = le(b, p + 28, 2, what), extra_len = le(b, p + 30, 2, what);
    uint64_t comment_len = le(b, p + 32, 2, what);
    m.local_offset = le(b, p + 42, 4, what);
    if (b.size() - (p + 46) < name_len + extra_len) bad(what, "truncated zip central directory");
    m.name.assign(reinterpret_cast<const char*>(&b[p + 46]), name_len);
    // zip64 extra field: 64-bit values for exactly the fields stored as 0xffffffff.
    for (uint64_t e = p + 46 + name_len; e + 4 <= p + 46 + name_len + extra_len;) {
      uint64_t id = le(b, e, 2, what), len = le(b, e + 2, 2, what);
      if (id == 1) {
        uint64_t q = e + 4;
        if (m.uncompressed == 0xffffffff) m.uncompressed = le(b, q, 8, what), q += 8;
        if (m.compressed == 0xffffffff) m.compressed = le(b, q, 8, what), q += 8;
        if (m.local_offset == 0xffffffff) m.local_offset = le(b, q, 8, what);
      }
      e += 4 + len;
    }
    members.push_back(std::move(m));
    p += 46 + name_len + extra_len + comment_len;
  }
  return members;
}

std::vector<uint8_t> extract(const std::vector<uint8_t>& b, const Member& m,
                             const std::string& what) {
  std::string where = what + " member \"" + m.name + "\"";
  if (m.flags & 1) bad(where, "is encrypted");
  if (le(b, m.local_offset, 4, where) != 0x04034b50) bad(where, "bad local header");
  uint64_t start = m.local_offset + 30 + le(b, m.local_offset + 26, 2, where) +
                   le(b, m.local_offset + 28, 2, where);
  if (start > b.size() || b.size() - start < m.compressed) bad(where, "data runs past the end");
  if (m.uncompressed > (uint64_t{1} << 34)) bad(where, "is implausibly large");
  std::vector<uint8_t> out(static_cast<size_t>(m.uncompressed));
  if (m.method == 0) {
    if (m.compressed != m.uncompressed) bad(where, "stored sizes disagree");
    if (!out.empty()) std::memcpy(out.data(), &b[start], out.size());
  } else if (m.method == 8) {
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) bad(where, "zlib inflateInit2 failed");
    zs.next_in = const_cast<Bytef*>(&b[start]);
    zs.avail_in = static_cast<uInt>(m.compressed);
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&zs, Z_FINISH);
    uint64_t produced = zs.total_out;
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || produced != m.uncompressed)
      bad(where, "corrupt deflate data (zlib code " + std::to_string(rc) + ")");
  } else {
    bad(where, "unsupported compression method " + std::to_string(m.method));
  }
  uint32_t crc = static_cast<uint32_t>(crc32(0L, out.data(), static_cast<uInt>(out.size())));
  if (crc != m.crc) bad(where, "CRC-32 mismatch");
  return out;
}

}  // namespace

int64_t NpyArray::size() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

const std::string& NpyArray::str() const {
  if (!is_string() || strings.size() != 1)
    throw ValueError("NpyArray::str: array '" + descr + "' of shape " + shape.to_string() +
                     " is not a single string");
  return strings[0];
}

std::vector<double> NpyArray::to_doubles() const {
  if (is_string()) throw ValueError("NpyArray::to_doubles: array is a unicode string array");
  std::vector<double> out(static_cast<size_t>(size()));
  detail::convert_elements(data.data(), *dtype, out.data(), DType::Float64, size());
  return out;
}

NpyArray parse_npy(const std::vector<uint8_t>& b, const std::string& what) {
  static const uint8_t magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (b.size() < 10 || std::memcmp(b.data(), magic, 6) != 0)
    bad(what, "not a .npy file (bad magic)");
  int major = b[6];
  if (major < 1 || major > 3) bad(what, "unsupported .npy format version " + std::to_string(major));
  uint64_t hlen = le(b, 8, major == 1 ? 2 : 4, what);
  uint64_t data_start = (major == 1 ? 10 : 12) + hlen;
  if (data_start > b.size()) bad(what, "header runs past the end of the file");
  std::string header(reinterpret_cast<const char*>(&b[major == 1 ? 10 : 12]), hlen);

  NpyArray a;
  bool fortran = false, have_descr = false, have_shape = false;
  HeaderParser p{header, what};
  p.expect('{');
  while (!p.accept('}')) {
    std::string key = p.quoted();
    p.expect(':');
    if (key == "descr")
      a.descr = p.quoted(), have_descr = true;
    else if (key == "fortran_order")
      fortran = p.boolean();
    else if (key == "shape")
      a.shape = p.tuple(), have_shape = true;
    else
      bad(what, "unexpected header key '" + key + "'");
    if (!p.accept(',')) {
      p.expect('}');
      break;
    }
  }
  if (!have_descr || !have_shape) bad(what, "header lacks 'descr' or 'shape': " + header);
  if (fortran) bad(what, "Fortran-order arrays are not supported");
  size_t chars = 0;
  a.dtype = dtype_from_descr(a.descr, what, &chars);
  uint64_t n = 1;
  for (int64_t d : a.shape) {
    if (d > (int64_t{1} << 40) || (d > 0 && n > (uint64_t{1} << 40) / static_cast<uint64_t>(d)))
      bad(what, "shape " + a.shape.to_string() + " is too large");
    n *= static_cast<uint64_t>(d);
  }
  uint64_t item = a.dtype ? dtype_size(*a.dtype) : 4 * chars;
  uint64_t need = n * item;
  if (b.size() - data_start != need)
    bad(what, "data is " + std::to_string(b.size() - data_start) + " bytes, shape " +
                  a.shape.to_string() + " of '" + a.descr + "' needs " + std::to_string(need));
  if (a.dtype) {
    a.data.assign(b.begin() + static_cast<ptrdiff_t>(data_start), b.end());
    if (*a.dtype == DType::Bool)
      for (uint8_t v : a.data)
        if (v > 1) bad(what, "bool array holds a byte other than 0 or 1");
    return a;
  }
  for (uint64_t k = 0; k < n; ++k) {
    std::string s;
    for (size_t c = 0; c < chars; ++c) {
      uint32_t cp = static_cast<uint32_t>(le(b, data_start + (k * chars + c) * 4, 4, what));
      if (cp == 0) break;
      if (cp > 0x10ffff) bad(what, "invalid unicode code point in string data");
      append_utf8(s, cp);
    }
    a.strings.push_back(std::move(s));
  }
  return a;
}

NpyArray load_npy(const std::string& path) { return parse_npy(read_file(path), path); }

std::map<std::string, NpyArray> load_npz(const std::string& path) {
  std::vector<uint8_t> bytes = read_file(path);
  std::map<std::string, NpyArray> out;
  for (const Member& m : central_directory(bytes, path)) {
    std::string name = m.name;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
      name.resize(name.size() - 4);
    if (out.count(name)) bad(path, "duplicate member \"" + m.name + "\"");
    out.emplace(name, parse_npy(extract(bytes, m, path), path + " member \"" + m.name + "\""));
  }
  return out;
}

Tensor to_tensor(const NpyArray& array, const std::string& backend) {
  if (array.is_string())
    throw ValueError("to_tensor: a unicode ('" + array.descr + "') array cannot become a tensor");
  return ops::from_buffer(array.data.data(), array.shape, *array.dtype, backend);
}

}  // namespace keras::testing
