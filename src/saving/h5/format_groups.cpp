// Group members: old-style groups (symbol table message -> v1 B-tree of symbol table nodes,
// names in a local heap) and new-style compact groups (link messages in the object header).
#include <algorithm>
#include <cstring>
#include <set>

#include "keras/core/errors.hpp"
#include "saving/h5/format.hpp"

namespace keras::saving::h5::format {

namespace {

// B-tree depth and member count limits (far above anything Keras writes).
constexpr int kMaxTreeLevel = 32;
constexpr size_t kMaxLinks = size_t{1} << 20;

struct LocalHeap {
  std::vector<uint8_t> data;
  std::string name_at(uint64_t offset, const Cursor& c) const {
    if (offset >= data.size()) c.fail("a member name lies outside the group's local heap");
    const char* p = reinterpret_cast<const char*>(data.data() + offset);
    size_t n = strnlen(p, data.size() - static_cast<size_t>(offset));
    if (n == data.size() - offset) c.fail("a member name in the local heap is not terminated");
    return std::string(p, n);
  }
};

LocalHeap read_local_heap(const FileContext& f, uint64_t address, const std::string& what) {
  std::string context = "the local heap of " + what;
  const uint64_t header = 8 + 2 * static_cast<uint64_t>(f.superblock().length_size) +
                          static_cast<uint64_t>(f.superblock().offset_size);
  std::vector<uint8_t> head = f.read(address, header, context);
  Cursor c = f.cursor(head, context);
  if (std::memcmp(head.data(), "HEAP", 4) != 0) c.fail("no HEAP signature");
  c.skip(4);
  if (c.u8() != 0) c.fail("unknown local heap version");
  c.skip(3);
  uint64_t size = c.length();
  c.length();  // free list head
  uint64_t data = c.address();
  return LocalHeap{f.read(data, size, context + " (data)")};
}

class SymbolTableWalker {
 public:
  SymbolTableWalker(const FileContext& f, const std::string& what, std::vector<Link>& out)
      : f_(f), what_(what), out_(out) {}

  void walk(uint64_t btree, uint64_t heap) {
    heap_ = read_local_heap(f_, heap, what_);
    node(btree, -1);
  }

 private:
  void node(uint64_t address, int expected_level) {
    std::string context = "the B-tree of " + what_;
    if (!visited_.insert(address).second) repeated(context);
    const int O = f_.superblock().offset_size, L = f_.superblock().length_size;
    std::vector<uint8_t> head = f_.read(address, 8 + 2 * static_cast<uint64_t>(O), context);
    Cursor c = f_.cursor(head, context);
    if (std::memcmp(head.data(), "TREE", 4) != 0) c.fail("no TREE signature");
    c.skip(4);
    if (c.u8() != 0) c.fail("a B-tree node that does not index a group");
    int level = c.u8();
    uint64_t entries = c.u16();
    if (level > kMaxTreeLevel || (expected_level >= 0 && level != expected_level))
      c.fail("a B-tree node at level " + std::to_string(level));
    std::vector<uint8_t> body =
        f_.read(address + head.size(), entries * static_cast<uint64_t>(O + L) + L, context);
    Cursor b = f_.cursor(body, context);
    for (uint64_t i = 0; i < entries; ++i) {
      b.length();  // key: the name of the child's first (or last) member, by heap offset
      uint64_t child = b.address();
      if (level > 0)
        node(child, level - 1);
      else
        symbol_node(child);
    }
  }

  void symbol_node(uint64_t address) {
    std::string context = "a symbol table node of " + what_;
    if (!visited_.insert(address).second) repeated(context);
    const int O = f_.superblock().offset_size;
    std::vector<uint8_t> head = f_.read(address, 8, context);
    Cursor c = f_.cursor(head, context);
    if (std::memcmp(head.data(), "SNOD", 4) != 0) c.fail("no SNOD signature");
    c.skip(4);
    if (c.u8() != 1) c.fail("unknown symbol table node version");
    c.skip(1);
    uint64_t count = c.u16();
    const uint64_t entry = 2 * static_cast<uint64_t>(O) + 24;
    std::vector<uint8_t> body = f_.read(address + 8, count * entry, context);
    Cursor b = f_.cursor(body, context);
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t name_offset = b.address();
      uint64_t object = b.address();
      uint32_t cache = b.u32();
      b.skip(4 + 16);  // reserved, scratch pad
      Link l;
      l.name = heap_.name_at(name_offset, b);
      if (cache == 2) {
        l.kind = LinkKind::Soft;
      } else {
        l.kind = LinkKind::Hard;
        l.address = object;
        if (f_.is_undefined(object)) b.fail("member '" + l.name + "' has no object");
      }
      if (out_.size() >= kMaxLinks) b.fail("too many members");
      out_.push_back(std::move(l));
    }
  }

  [[noreturn]] void repeated(const std::string& context) const {
    throw ValueError("Invalid H5 file '" + f_.name() + "': " + context + " reaches a node twice");
  }

  const FileContext& f_;
  const std::string& what_;
  std::vector<Link>& out_;
  LocalHeap heap_;
  std::set<uint64_t> visited_;
};

}  // namespace

bool is_group(const ObjectHeader& h) {
  return h.find(kSymbolTable) || h.find(kLinkInfo) || h.find(kLink);
}

bool is_dataset(const ObjectHeader& h) { return !is_group(h) && h.find(kLayout); }

std::vector<Link> read_group_links(const FileContext& f, const ObjectHeader& h,
                                   const std::string& what) {
  std::vector<Link> out;
  if (const Message* st = h.find(kSymbolTable)) {
    Cursor c = f.cursor(st->data, "the symbol table message of " + what);
    uint64_t btree = c.address();
    uint64_t heap = c.address();
    SymbolTableWalker(f, what, out).walk(btree, heap);
  } else {
    if (const Message* info = h.find(kLinkInfo)) {
      Cursor c = f.cursor(info->data, "the link info message of " + what);
      if (c.u8() != 0) c.fail("unknown link info version");
      uint8_t flags = c.u8();
      if (flags & 0x01) c.skip(8);
      uint64_t heap = c.address();
      if (!f.is_undefined(heap))
        throw ValueError("Unsupported H5 file '" + f.name() + "': group " + what +
                         " keeps its links in dense storage (a fractal heap, written for "
                         "groups of more than 8 members with libver='latest'); keras-cpp reads "
                         "the compact and symbol-table groups that Keras and h5py write");
    }
    for (const Message* m : h.all(kLink)) {
      Cursor c = f.cursor(m->data, "a link message of " + what);
      out.push_back(parse_link(c));
    }
  }
  std::sort(out.begin(), out.end(), [](const Link& a, const Link& b) { return a.name < b.name; });
  for (size_t i = 0; i < out.size(); ++i) {
    const std::string& n = out[i].name;
    if (n.empty() || n == "." || n.find('/') != std::string::npos ||
        n.find('\0') != std::string::npos)
      throw ValueError("Invalid H5 file '" + f.name() + "': group " + what +
                       " has a member with an invalid name");
    if (i > 0 && out[i - 1].name == n)
      throw ValueError("Invalid H5 file '" + f.name() + "': group " + what +
                       " has two members named '" + n + "'");
  }
  return out;
}

}  // namespace keras::saving::h5::format
