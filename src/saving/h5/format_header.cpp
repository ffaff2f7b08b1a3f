// Superblock, object headers (with continuation chunks) and the global heap.
#include <cstring>
#include <set>

#include "keras/core/errors.hpp"
#include "saving/h5/format.hpp"

namespace keras::saving::h5::format {

namespace {

constexpr uint8_t kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
// Limits on what one object header may hold (HDF5 itself allows 2^16 messages per chunk).
constexpr size_t kMaxChunks = 4096;
constexpr size_t kMaxMessages = 65536;

uint32_t rot(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

[[noreturn]] void invalid(const std::string& file, const std::string& what) {
  throw ValueError("Invalid H5 file '" + file + "': " + what);
}

[[noreturn]] void unsupported(const std::string& file, const std::string& what) {
  throw ValueError("Unsupported H5 file '" + file + "': " + what +
                   " (keras-cpp reads the HDF5 subset that Keras and h5py write)");
}

bool valid_size(int n) { return n == 2 || n == 4 || n == 8; }

void check_checksum(const std::vector<uint8_t>& block, size_t end, const std::string& file,
                    const std::string& what) {
  if (end < 4 || end > block.size()) invalid(file, what + " is truncated");
  uint32_t stored = 0;
  for (int i = 3; i >= 0; --i) stored = (stored << 8) | block[end - 4 + static_cast<size_t>(i)];
  if (lookup3(block.data(), end - 4) != stored) invalid(file, what + " has a wrong checksum");
}

Superblock read_superblock(const ByteSource& src, const std::string& file) {
  // The signature is at 0 or after a user block of 512, 1024, 2048, ... bytes.
  uint64_t at = 0;
  bool found = false;
  for (uint64_t pos = 0; src.contains(pos, 8); pos = pos == 0 ? 512 : pos * 2) {
    uint8_t sig[8];
    src.read(pos, sig, 8, "the superblock signature");
    if (std::memcmp(sig, kSignature, 8) == 0) {
      at = pos;
      found = true;
      break;
    }
  }
  if (!found) throw ValueError("'" + file + "' is not an HDF5 file (no HDF5 signature)");

  Superblock sb;
  sb.base = at;
  size_t head = static_cast<size_t>(std::min<uint64_t>(src.size() - at, 256));
  std::vector<uint8_t> block = src.read(at, head, "the superblock");
  Cursor c(block, "'" + file + "': the superblock");
  c.skip(8);
  sb.version = c.u8();
  // Addresses count from where the signature is (libhdf5 moves the base address there when a
  // file was prepended to); the end-of-file address counts from the start of the file.
  uint64_t eof = 0, stored_base = 0;
  if (sb.version == 0 || sb.version == 1) {
    c.skip(4);  // free-space, root symbol table entry and shared message format versions
    sb.offset_size = c.u8();
    sb.length_size = c.u8();
    c.skip(1);
    if (!valid_size(sb.offset_size) || !valid_size(sb.length_size))
      invalid(file, "the superblock declares offsets of " + std::to_string(sb.offset_size) +
                        " and lengths of " + std::to_string(sb.length_size) + " bytes");
    c = Cursor(block.data(), block.size(), c.context(), sb.offset_size, sb.length_size);
    c.skip(16);
    c.skip(4 + 4);  // group leaf / internal node K, consistency flags
    if (sb.version == 1) c.skip(4);
    stored_base = c.address();
    c.address();  // free-space info
    eof = c.address();
    uint64_t driver = c.address();
    if (!c.is_undefined(driver))
      unsupported(file, "it needs a file driver (multi-file or family layouts)");
    // The root group's symbol table entry.
    c.address();  // link name offset
    sb.root_address = c.address();
  } else if (sb.version == 2 || sb.version == 3) {
    sb.offset_size = c.u8();
    sb.length_size = c.u8();
    if (!valid_size(sb.offset_size) || !valid_size(sb.length_size))
      invalid(file, "the superblock declares offsets of " + std::to_string(sb.offset_size) +
                        " and lengths of " + std::to_string(sb.length_size) + " bytes");
    c = Cursor(block.data(), block.size(), c.context(), sb.offset_size, sb.length_size);
    c.skip(11);  // signature, version, offset and length sizes
    c.skip(1);   // consistency flags
    stored_base = c.address();
    sb.extension_address = c.address();
    sb.has_extension = !c.is_undefined(sb.extension_address);
    eof = c.address();
    sb.root_address = c.address();
    c.need(4);
    check_checksum(block, c.position() + 4, file, "the superblock");
  } else {
    unsupported(file, "superblock version " + std::to_string(sb.version));
  }
  // libhdf5's own check: a file shorter than the end address it declares was truncated.
  if (stored_base > eof) invalid(file, "the superblock's base address lies past its end address");
  uint64_t end = eof - stored_base;
  if (end > src.size() - at)
    invalid(file, "the file was truncated (" + std::to_string(src.size()) + " bytes, " +
                      std::to_string(at + end) + " declared)");
  return sb;
}

// Decodes the messages of one chunk into `out`; continuation messages add (address, length)
// to `pending`.
void parse_messages(Cursor& c, size_t end, int version, bool creation_order,
                    std::vector<Message>& out,
                    std::vector<std::pair<uint64_t, uint64_t>>& pending) {
  size_t header = version == 1 ? 8 : (creation_order ? 6 : 4);
  while (c.position() + header <= end) {
    Message m;
    size_t size = 0;
    if (version == 1) {
      m.type = c.u16();
      size = c.u16();
      m.flags = c.u8();
      c.skip(3);
    } else {
      m.type = c.u8();
      size = c.u16();
      m.flags = c.u8();
      if (creation_order) c.skip(2);
    }
    if (size > end - c.position()) c.fail("a message runs past the end of its chunk");
    m.data = c.bytes(size);
    if (version == 1) c.align(8);  // harmless at the end: the chunk size is a multiple of 8
    if (m.type == kContinuation) {
      Cursor cc(m.data, c.context() + ", continuation message", c.offset_size(), c.length_size());
      uint64_t address = cc.address();
      uint64_t length = cc.length();
      pending.emplace_back(address, length);
      continue;
    }
    if (m.type == kNil) continue;
    if (out.size() >= kMaxMessages) c.fail("too many messages");
    out.push_back(std::move(m));
  }
}

}  // namespace

uint32_t lookup3(const uint8_t* k, size_t length) {
  uint32_t a, b, c;
  a = b = c = 0xdeadbeef + static_cast<uint32_t>(length);
  auto word = [](const uint8_t* p) {
    return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
  };
  while (length > 12) {
    a += word(k);
    b += word(k + 4);
    c += word(k + 8);
    a -= c;
    a ^= rot(c, 4);
    c += b;
    b -= a;
    b ^= rot(a, 6);
    a += c;
    c -= b;
    c ^= rot(b, 8);
    b += a;
    a -= c;
    a ^= rot(c, 16);
    c += b;
    b -= a;
    b ^= rot(a, 19);
    a += c;
    c -= b;
    c ^= rot(b, 4);
    b += a;
    length -= 12;
    k += 12;
  }
  if (length == 0) return c;
  uint8_t tail[12] = {};
  std::memcpy(tail, k, length);
  a += word(tail);
  b += word(tail + 4);
  c += word(tail + 8);
  c ^= b;
  c -= rot(b, 14);
  a ^= c;
  a -= rot(c, 11);
  b ^= a;
  b -= rot(a, 25);
  c ^= b;
  c -= rot(b, 16);
  a ^= c;
  a -= rot(c, 4);
  b ^= a;
  b -= rot(a, 14);
  c ^= b;
  c -= rot(b, 24);
  return c;
}

const Message* ObjectHeader::find(uint16_t type) const {
  for (const Message& m : messages)
    if (m.type == type) return &m;
  return nullptr;
}

std::vector<const Message*> ObjectHeader::all(uint16_t type) const {
  std::vector<const Message*> out;
  for (const Message& m : messages)
    if (m.type == type) out.push_back(&m);
  return out;
}

FileContext::FileContext(std::shared_ptr<ByteSource> source, std::string name)
    : source_(std::move(source)), name_(std::move(name)) {
  superblock_ = read_superblock(*source_, name_);
  if (superblock_.has_extension) {
    auto ext = object_header(superblock_.extension_address, "the superblock extension");
    if (ext->find(kSharedMessageTable)) unsupported(name_, "it uses shared object header messages");
  }
}

Cursor FileContext::cursor(const std::vector<uint8_t>& block, std::string context) const {
  return Cursor(block, "'" + name_ + "': " + context, superblock_.offset_size,
                superblock_.length_size);
}

bool FileContext::is_undefined(uint64_t address) const {
  int n = superblock_.offset_size;
  return n >= 8 ? address == ~uint64_t{0} : address == (uint64_t{1} << (8 * n)) - 1;
}

std::vector<uint8_t> FileContext::read(uint64_t address, uint64_t size,
                                       const std::string& what) const {
  if (is_undefined(address)) invalid(name_, what + " has an undefined address");
  if (address > source_->size() - superblock_.base)
    invalid(name_,
            what + " has the address " + std::to_string(address) + ", past the end of the file");
  return source_->read(superblock_.base + address, size, "'" + name_ + "': " + what);
}

void FileContext::read(uint64_t address, void* dst, size_t size, const std::string& what) const {
  if (is_undefined(address)) invalid(name_, what + " has an undefined address");
  if (address > source_->size() - superblock_.base)
    invalid(name_,
            what + " has the address " + std::to_string(address) + ", past the end of the file");
  source_->read(superblock_.base + address, dst, size, "'" + name_ + "': " + what);
}

std::shared_ptr<const ObjectHeader> FileContext::object_header(uint64_t address,
                                                               const std::string& what) const {
  {
    std::lock_guard lock(mutex_);
    if (auto it = headers_.find(address); it != headers_.end()) return it->second;
  }
  auto oh = std::make_shared<ObjectHeader>();
  oh->address = address;
  std::string context = "the object header of " + what;
  // The prefix: enough for either version.
  uint64_t avail = source_->size() - std::min(source_->size(), superblock_.base + address);
  std::vector<uint8_t> prefix = read(address, std::min<uint64_t>(avail, 64), context);
  Cursor c = cursor(prefix, context);
  std::vector<std::pair<uint64_t, uint64_t>> pending;
  std::set<uint64_t> seen{address};
  int version = 0;
  bool creation_order = false;
  if (prefix.size() >= 4 && std::memcmp(prefix.data(), "OHDR", 4) == 0) {
    version = 2;
    c.skip(4);
    if (c.u8() != 2) c.fail("unknown object header version");
    uint8_t flags = c.u8();
    creation_order = flags & 0x04;
    if (flags & 0x20) c.skip(16);  // times
    if (flags & 0x10) c.skip(4);   // attribute storage phase change
    uint64_t chunk = c.uint(1 << (flags & 0x03));
    size_t start = c.position();
    std::vector<uint8_t> block = read(address, start + chunk + 4, context);
    check_checksum(block, block.size(), name_, context);
    Cursor body = cursor(block, context);
    body.skip(start);
    parse_messages(body, start + chunk, 2, creation_order, oh->messages, pending);
  } else {
    version = c.u8();
    if (version != 1) c.fail("unknown object header version " + std::to_string(version));
    c.skip(1 + 2 + 4);  // reserved, message count, reference count
    uint64_t size = c.u32();
    std::vector<uint8_t> block = read(address, 16 + size, context);
    Cursor body = cursor(block, context);
    body.skip(16);
    parse_messages(body, block.size(), 1, false, oh->messages, pending);
  }
  size_t chunks = 1;
  while (!pending.empty()) {
    auto [at, length] = pending.back();
    pending.pop_back();
    if (!seen.insert(at).second) invalid(name_, context + " continues into itself");
    if (++chunks > kMaxChunks) invalid(name_, context + " has too many continuation chunks");
    std::vector<uint8_t> block = read(at, length, context + " (continuation)");
    Cursor body = cursor(block, context + " (continuation)");
    if (version == 2) {
      if (block.size() < 8 || std::memcmp(block.data(), "OCHK", 4) != 0)
        body.fail("a continuation chunk has no OCHK signature");
      check_checksum(block, block.size(), name_, context + " (continuation)");
      body.skip(4);
      parse_messages(body, block.size() - 4, 2, creation_order, oh->messages, pending);
    } else {
      parse_messages(body, block.size(), 1, false, oh->messages, pending);
    }
  }
  std::lock_guard lock(mutex_);
  return headers_.emplace(address, std::move(oh)).first->second;
}

std::string FileContext::global_heap_object(uint64_t collection, uint32_t index, uint64_t length,
                                            const std::string& what) const {
  std::string context = "the global heap collection of " + what;
  const int L = superblock_.length_size;
  std::vector<uint8_t> head = read(collection, 8 + static_cast<uint64_t>(L), context);
  Cursor hc = cursor(head, context);
  if (std::memcmp(head.data(), "GCOL", 4) != 0) hc.fail("no GCOL signature");
  hc.skip(4);
  if (hc.u8() != 1) hc.fail("unknown version");
  hc.skip(3);
  uint64_t size = hc.length();
  if (size < head.size()) hc.fail("its size is too small");
  std::vector<uint8_t> block = read(collection, size, context);
  Cursor c = cursor(block, context);
  c.skip(head.size());
  while (c.remaining() >= 8 + static_cast<size_t>(L)) {
    uint16_t id = c.u16();
    c.skip(2 + 4);  // reference count, reserved
    uint64_t object_size = c.length();
    if (id == 0) break;  // free space: the rest of the collection
    if (object_size > c.remaining()) c.fail("an object runs past the end of the collection");
    if (id == index) {
      if (length > object_size)
        c.fail("object " + std::to_string(index) + " holds " + std::to_string(object_size) +
               " bytes, " + std::to_string(length) + " wanted");
      return std::string(reinterpret_cast<const char*>(c.here()), static_cast<size_t>(length));
    }
    c.skip(static_cast<size_t>(object_size));
    c.align(8);
  }
  invalid(name_, context + " has no object " + std::to_string(index));
}

}  // namespace keras::saving::h5::format
