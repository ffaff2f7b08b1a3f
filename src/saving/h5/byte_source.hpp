#pragma once
// Bounds-checked access to the bytes of an HDF5 file for the reader (reader.hpp): a file on disk
// (read with pread, never mapped, so a file truncated while it is read gives an error rather than
// SIGBUS) or an image in memory, and a cursor that decodes little-endian fields from a block and
// throws instead of reading past its end.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace keras::saving::h5 {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // A file on disk, opened read-only (OSError when it cannot be opened).
  static std::shared_ptr<ByteSource> file(const std::string& path);
  // Bytes in memory (moved in).
  static std::shared_ptr<ByteSource> memory(std::string bytes);

  uint64_t size() const { return size_; }
  // True when [offset, offset + n) lies inside the source.
  bool contains(uint64_t offset, uint64_t n) const {
    return offset <= size_ && n <= size_ - offset;
  }
  // Copies [offset, offset + n) to `dst`; ValueError "<what> ... lies outside the file" when the
  // range does not fit (checked before anything is allocated or read).
  void read(uint64_t offset, void* dst, size_t n, const std::string& what) const;
  std::vector<uint8_t> read(uint64_t offset, uint64_t n, const std::string& what) const;

 protected:
  explicit ByteSource(uint64_t size) : size_(size) {}
  virtual void read_raw(uint64_t offset, void* dst, size_t n) const = 0;

 private:
  uint64_t size_;
};

// Decodes fields from a block of bytes. Every read checks the remaining length and throws
// ValueError("Invalid H5 file <context>: <what> is truncated").
class Cursor {
 public:
  Cursor(const uint8_t* data, size_t size, std::string context, int offset_size = 8,
         int length_size = 8)
      : data_(data),
        size_(size),
        context_(std::move(context)),
        offset_size_(offset_size),
        length_size_(length_size) {}
  Cursor(const std::vector<uint8_t>& block, std::string context, int offset_size = 8,
         int length_size = 8)
      : Cursor(block.data(), block.size(), std::move(context), offset_size, length_size) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  const uint8_t* here() const { return data_ + pos_; }

  uint8_t u8() { return static_cast<uint8_t>(uint(1)); }
  uint16_t u16() { return static_cast<uint16_t>(uint(2)); }
  uint32_t u32() { return static_cast<uint32_t>(uint(4)); }
  uint64_t u64() { return uint(8); }
  // A little-endian unsigned integer of `bytes` (1..8) bytes.
  uint64_t uint(int bytes);
  // A file address (the superblock's "size of offsets" bytes); all ones is "undefined".
  uint64_t address() { return uint(offset_size_); }
  // A length (the superblock's "size of lengths" bytes).
  uint64_t length() { return uint(length_size_); }
  bool is_undefined(uint64_t address) const;
  void skip(size_t n);
  // Moves to the next multiple of `alignment` from the start of the block.
  void align(size_t alignment);
  std::vector<uint8_t> bytes(size_t n);
  // `n` bytes as a string, cut at the first NUL.
  std::string cstring(size_t n);
  // Checks that `n` more bytes are there (throws otherwise).
  void need(size_t n) const;
  int offset_size() const { return offset_size_; }
  int length_size() const { return length_size_; }
  const std::string& context() const { return context_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::string context_;
  int offset_size_;
  int length_size_;
};

}  // namespace keras::saving::h5
