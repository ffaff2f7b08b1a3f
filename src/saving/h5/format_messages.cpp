// Decoding of the object header messages a weights file uses.
#include <limits>

#include "keras/core/errors.hpp"
#include "saving/h5/format.hpp"

namespace keras::saving::h5::format {

namespace {

// NUL padding of v1 attribute fields: each is padded to a multiple of 8 bytes.
size_t pad8(size_t n) { return (n + 7) / 8 * 8; }

}  // namespace

uint64_t Dataspace::elements(const std::string& what) const {
  if (kind == Kind::Null) return 0;
  uint64_t n = 1;
  for (uint64_t d : dims) {
    if (d != 0 && n > std::numeric_limits<uint64_t>::max() / d)
      throw ValueError("Not allowed: H5 " + what + " declares an impossibly large shape");
    n *= d;
  }
  return n;
}

Dataspace parse_dataspace(Cursor& c) {
  Dataspace s;
  int version = c.u8();
  if (version != 1 && version != 2) c.fail("unknown dataspace version " + std::to_string(version));
  int rank = c.u8();
  int flags = c.u8();
  if (rank > kMaxRank) c.fail("a dataspace of rank " + std::to_string(rank));
  if (version == 1) {
    c.skip(5);
    s.kind = rank == 0 ? Dataspace::Kind::Scalar : Dataspace::Kind::Simple;
  } else {
    int type = c.u8();
    if (type > 2) c.fail("unknown dataspace type " + std::to_string(type));
    s.kind = type == 0 ? Dataspace::Kind::Scalar
                       : (type == 1 ? Dataspace::Kind::Simple : Dataspace::Kind::Null);
    if (s.kind != Dataspace::Kind::Simple && rank != 0) c.fail("a scalar dataspace with a rank");
  }
  for (int i = 0; i < rank; ++i) s.dims.push_back(c.length());
  if (flags & 0x01)
    for (int i = 0; i < rank; ++i) c.length();  // maximum dimensions
  return s;
}

std::string Datatype::describe() const {
  static const char* names[] = {"integer",  "float",           "time",     "string",
                                "bitfield", "opaque",          "compound", "reference",
                                "enum",     "variable-length", "array"};
  std::string out = cls >= 0 && cls <= 10 ? names[cls] : "unknown";
  return out + " of " + std::to_string(size) + " bytes";
}

Datatype parse_datatype(Cursor& c, int depth) {
  if (depth > 4) c.fail("datatypes nested too deeply");
  Datatype t;
  uint8_t class_version = c.u8();
  t.cls = class_version & 0x0f;
  int version = class_version >> 4;
  if (version < 1 || version > 4) c.fail("unknown datatype version " + std::to_string(version));
  uint32_t bits = c.u8();
  bits |= uint32_t{c.u8()} << 8;
  bits |= uint32_t{c.u8()} << 16;
  t.size = c.u32();
  switch (t.cls) {
    case Datatype::kFixed: {
      t.big_endian = bits & 0x01;
      t.is_signed = bits & 0x08;
      uint16_t offset = c.u16();
      uint16_t precision = c.u16();
      t.standard = offset == 0 && precision == 8 * t.size;
      break;
    }
    case Datatype::kFloat: {
      bool vax = bits & 0x40;
      t.big_endian = bits & 0x01;
      int sign = static_cast<int>((bits >> 8) & 0xff);
      uint16_t offset = c.u16();
      uint16_t precision = c.u16();
      int exp_loc = c.u8(), exp_size = c.u8(), mant_loc = c.u8(), mant_size = c.u8();
      uint32_t bias = c.u32();
      auto ieee = [&](int bytes, int e, int m, uint32_t b) {
        return t.size == static_cast<uint32_t>(bytes) && sign == 8 * bytes - 1 && exp_loc == m &&
               exp_size == e && mant_loc == 0 && mant_size == m && bias == b;
      };
      t.standard = !vax && offset == 0 && precision == 8 * t.size &&
                   (ieee(2, 5, 10, 15) || ieee(4, 8, 23, 127) || ieee(8, 11, 52, 1023));
      break;
    }
    case Datatype::kString:
      t.string_padding = static_cast<int>(bits & 0x0f);
      break;
    case Datatype::kEnum:
      t.base = std::make_shared<Datatype>(parse_datatype(c, depth + 1));
      break;  // member names and values are not needed
    case Datatype::kVarLen:
      t.vlen_string = (bits & 0x0f) == 1;
      t.string_padding = static_cast<int>((bits >> 4) & 0x0f);
      t.base = std::make_shared<Datatype>(parse_datatype(c, depth + 1));
      break;
    default:
      break;  // properties of other classes are not needed
  }
  return t;
}

Layout parse_layout(Cursor& c) {
  Layout l;
  int version = c.u8();
  if (version == 1 || version == 2) {
    int rank = c.u8();
    int cls = c.u8();
    c.skip(5);
    if (cls > 2) c.fail("unknown layout class " + std::to_string(cls));
    l.kind = cls == 0 ? Layout::Kind::Compact
                      : (cls == 1 ? Layout::Kind::Contiguous : Layout::Kind::Chunked);
    if (cls != 0) l.address = c.address();
    c.skip(static_cast<size_t>(rank) * 4);  // dimension sizes
    if (cls == 0) {
      l.size = c.u32();
      l.compact = c.bytes(static_cast<size_t>(l.size));
    }
  } else if (version == 3 || version == 4) {
    int cls = c.u8();
    switch (cls) {
      case 0:
        l.kind = Layout::Kind::Compact;
        l.size = c.u16();
        l.compact = c.bytes(static_cast<size_t>(l.size));
        break;
      case 1:
        l.kind = Layout::Kind::Contiguous;
        l.address = c.address();
        l.size = c.length();
        l.has_size = true;
        break;
      case 2:
        l.kind = Layout::Kind::Chunked;
        break;
      case 3:
        if (version < 4) c.fail("layout class 3 in a version 3 layout");
        l.kind = Layout::Kind::Virtual;
        break;
      default:
        c.fail("unknown layout class " + std::to_string(cls));
    }
  } else {
    c.fail("unknown layout version " + std::to_string(version));
  }
  return l;
}

FillValue parse_fill_value(Cursor& c, bool old_message) {
  FillValue f;
  auto value = [&] {
    uint32_t size = c.u32();
    f.value = c.bytes(size);
    f.defined = size > 0;
  };
  if (old_message) {
    value();
    return f;
  }
  int version = c.u8();
  if (version == 1 || version == 2) {
    c.skip(2);  // allocation and write times
    bool defined = c.u8();
    if (version == 1 || defined) value();
    if (!defined) f = FillValue{};
  } else if (version == 3) {
    uint8_t flags = c.u8();
    if (flags & 0x20) value();
  } else {
    c.fail("unknown fill value version " + std::to_string(version));
  }
  return f;
}

Attribute parse_attribute(Cursor& c) {
  Attribute a;
  int version = c.u8();
  if (version < 1 || version > 3) c.fail("unknown attribute version " + std::to_string(version));
  int flags = c.u8();
  if (version >= 2 && (flags & 0x03))
    c.fail("shared attribute datatypes or dataspaces are not supported");
  size_t name_size = c.u16();
  size_t type_size = c.u16();
  size_t space_size = c.u16();
  if (version == 3) c.skip(1);  // name character set
  auto field = [&](size_t n) { return version == 1 ? pad8(n) : n; };
  c.need(field(name_size));
  a.name = c.cstring(field(name_size));
  c.need(field(type_size));
  {
    Cursor tc(c.here(), type_size, c.context() + ", attribute '" + a.name + "'", c.offset_size(),
              c.length_size());
    a.type = parse_datatype(tc);
    c.skip(field(type_size));
  }
  c.need(field(space_size));
  {
    Cursor sc(c.here(), space_size, c.context() + ", attribute '" + a.name + "'", c.offset_size(),
              c.length_size());
    a.space = parse_dataspace(sc);
    c.skip(field(space_size));
  }
  uint64_t n = a.space.elements("attribute '" + a.name + "'");
  if (a.type.size != 0 && n > c.remaining() / a.type.size)
    c.fail("attribute '" + a.name + "' holds less data than its shape and type need");
  a.data = c.bytes(static_cast<size_t>(n * a.type.size));
  return a;
}

Link parse_link(Cursor& c) {
  Link l;
  if (c.u8() != 1) c.fail("unknown link message version");
  uint8_t flags = c.u8();
  int type = (flags & 0x08) ? c.u8() : 0;
  if (flags & 0x04) c.skip(8);  // creation order
  if (flags & 0x10) c.skip(1);  // character set
  uint64_t name_length = c.uint(1 << (flags & 0x03));
  if (name_length == 0 || name_length > c.remaining()) c.fail("a link name of bad length");
  std::vector<uint8_t> name = c.bytes(static_cast<size_t>(name_length));
  l.name.assign(name.begin(), name.end());
  if (type == 0) {
    l.kind = LinkKind::Hard;
    l.address = c.address();
  } else {
    l.kind = type == 1 ? LinkKind::Soft : (type == 64 ? LinkKind::External : LinkKind::Other);
    c.skip(c.u16());
  }
  return l;
}

}  // namespace keras::saving::h5::format
