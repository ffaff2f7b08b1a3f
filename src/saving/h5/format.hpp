#pragma once
// The on-disk structures of HDF5 (HDF5 File Format Specification, version 3) that the reader
// understands: the superblock (versions 0-3), object headers (versions 1 and 2, with
// continuation chunks and checksums), the messages a weights file uses (dataspace, datatype,
// data layout, fill value, attribute, link, link info, symbol table), old-style groups (v1
// B-tree, symbol table nodes, local heap) and the global heap that holds variable-length strings.
//
// Everything is decoded from bytes read through ByteSource with every offset, size and count
// checked against the file before use; malformed input throws keras::ValueError. Addresses in
// these structs are relative to the superblock's base address, as stored in the file.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "saving/h5/byte_source.hpp"
#include "saving/h5/h5_types.hpp"

namespace keras::saving::h5::format {

// Bob Jenkins's lookup3 hashlittle() with initval 0: the checksum of version 2 structures.
uint32_t lookup3(const uint8_t* data, size_t size);

struct Superblock {
  int version = 0;
  int offset_size = 8;  // bytes of a file address
  int length_size = 8;  // bytes of a length
  uint64_t base = 0;    // absolute position of address 0
  uint64_t root_address = 0;
  uint64_t extension_address = 0;  // version 2+: superblock extension object header
  bool has_extension = false;
};

// A file being read: its bytes, its name for messages, its superblock and a cache of the object
// headers already decoded.
class FileContext;

struct Message {
  uint16_t type = 0;
  uint8_t flags = 0;
  std::vector<uint8_t> data;
};

// Message types used here.
enum MessageType : uint16_t {
  kNil = 0x0000,
  kDataspace = 0x0001,
  kLinkInfo = 0x0002,
  kDatatype = 0x0003,
  kFillValueOld = 0x0004,
  kFillValue = 0x0005,
  kLink = 0x0006,
  kExternalFiles = 0x0007,
  kLayout = 0x0008,
  kFilterPipeline = 0x000B,
  kAttribute = 0x000C,
  kSharedMessageTable = 0x000F,
  kContinuation = 0x0010,
  kSymbolTable = 0x0011,
  kAttributeInfo = 0x0015,
};
// Message flag: the message is stored elsewhere (a shared / committed object).
constexpr uint8_t kMessageShared = 0x02;

struct ObjectHeader {
  uint64_t address = 0;
  std::vector<Message> messages;
  // The first message of `type`, or null.
  const Message* find(uint16_t type) const;
  std::vector<const Message*> all(uint16_t type) const;
};

class FileContext {
 public:
  FileContext(std::shared_ptr<ByteSource> source, std::string name);
  const std::string& name() const { return name_; }
  const Superblock& superblock() const { return superblock_; }
  const ByteSource& source() const { return *source_; }
  // Reads `size` bytes at file address `address` (relative to the base address).
  std::vector<uint8_t> read(uint64_t address, uint64_t size, const std::string& what) const;
  void read(uint64_t address, void* dst, size_t size, const std::string& what) const;
  // A cursor with this file's offset and length sizes.
  Cursor cursor(const std::vector<uint8_t>& block, std::string context) const;
  bool is_undefined(uint64_t address) const;
  // The object header at `address`, decoded once and cached.
  std::shared_ptr<const ObjectHeader> object_header(uint64_t address,
                                                    const std::string& what) const;
  // An object stored in the global heap (variable-length data): `index` in the collection at
  // `collection`, at most `max_size` bytes.
  std::string global_heap_object(uint64_t collection, uint32_t index, uint64_t length,
                                 const std::string& what) const;

 private:
  std::shared_ptr<ByteSource> source_;
  std::string name_;
  Superblock superblock_;
  mutable std::mutex mutex_;
  mutable std::map<uint64_t, std::shared_ptr<const ObjectHeader>> headers_;
};

// ---- messages ----

struct Dataspace {
  enum class Kind { Scalar, Simple, Null };
  Kind kind = Kind::Scalar;
  std::vector<uint64_t> dims;
  // Number of elements (ValueError on overflow); 0 for a null dataspace.
  uint64_t elements(const std::string& what) const;
};
Dataspace parse_dataspace(Cursor& c);

struct Datatype {
  enum Class {
    kFixed = 0,
    kFloat = 1,
    kTime = 2,
    kString = 3,
    kBitfield = 4,
    kOpaque = 5,
    kCompound = 6,
    kReference = 7,
    kEnum = 8,
    kVarLen = 9,
    kArray = 10
  };
  int cls = kFixed;
  uint32_t size = 0;
  bool big_endian = false;
  bool is_signed = false;          // fixed-point
  bool standard = false;           // fixed: full precision; float: IEEE 754 half/single/double
  bool vlen_string = false;        // variable-length: a string (not a sequence)
  int string_padding = 0;          // strings: 0 NUL-terminated, 1 NUL-padded, 2 space-padded
  std::shared_ptr<Datatype> base;  // enum / variable-length base type
  std::string describe() const;
};
Datatype parse_datatype(Cursor& c, int depth = 0);

struct Layout {
  enum class Kind { Compact, Contiguous, Chunked, Virtual };
  Kind kind = Kind::Contiguous;
  uint64_t address = 0;   // contiguous
  bool has_size = false;  // contiguous, layout versions 3+
  uint64_t size = 0;      // contiguous (versions 3+) or compact
  std::vector<uint8_t> compact;
};
Layout parse_layout(Cursor& c);

struct FillValue {
  bool defined = false;
  std::vector<uint8_t> value;
};
FillValue parse_fill_value(Cursor& c, bool old_message);

struct Attribute {
  std::string name;
  Datatype type;
  Dataspace space;
  std::vector<uint8_t> data;
};
Attribute parse_attribute(Cursor& c);

struct Link {
  std::string name;
  LinkKind kind = LinkKind::Hard;
  uint64_t address = 0;  // hard links
};
Link parse_link(Cursor& c);

// ---- groups ----

// Every link of the group whose object header is `header` (old-style symbol table or new-style
// compact link messages), sorted by name. `what` names the group for messages.
std::vector<Link> read_group_links(const FileContext& file, const ObjectHeader& header,
                                   const std::string& what);
bool is_group(const ObjectHeader& header);
bool is_dataset(const ObjectHeader& header);

}  // namespace keras::saving::h5::format
