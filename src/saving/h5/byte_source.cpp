#include "saving/h5/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "keras/core/errors.hpp"

namespace keras::saving::h5 {

namespace {

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string bytes) : ByteSource(bytes.size()), bytes_(std::move(bytes)) {}

 private:
  void read_raw(uint64_t offset, void* dst, size_t n) const override {
    std::memcpy(dst, bytes_.data() + offset, n);
  }
  std::string bytes_;
};

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, uint64_t size, std::string path)
      : ByteSource(size), fd_(fd), path_(std::move(path)) {}
  ~FileSource() override { ::close(fd_); }

 private:
  void read_raw(uint64_t offset, void* dst, size_t n) const override {
    auto* out = static_cast<char*>(dst);
    while (n > 0) {
      ssize_t got = ::pread(fd_, out, n, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw OSError("Cannot read '" + path_ + "': " + std::strerror(errno));
      // The file shrank after it was opened.
      if (got == 0) throw ValueError("Invalid H5 file '" + path_ + "': the file was truncated");
      out += got;
      offset += static_cast<uint64_t>(got);
      n -= static_cast<size_t>(got);
    }
  }
  int fd_;
  std::string path_;
};

}  // namespace

std::shared_ptr<ByteSource> ByteSource::file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused as not regular below).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw OSError("Cannot open '" + path + "': " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throw OSError("Cannot open '" + path + "': " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw OSError("Cannot open '" + path + "': not a regular file");
  }
  return std::make_shared<FileSource>(fd, static_cast<uint64_t>(st.st_size), path);
}

std::shared_ptr<ByteSource> ByteSource::memory(std::string bytes) {
  return std::make_shared<MemorySource>(std::move(bytes));
}

void ByteSource::read(uint64_t offset, void* dst, size_t n, const std::string& what) const {
  if (!contains(offset, n))
    throw ValueError("Invalid H5 file: " + what + " (" + std::to_string(n) + " bytes at offset " +
                     std::to_string(offset) + ") lies outside the file of " +
                     std::to_string(size_) + " bytes");
  if (n > 0) read_raw(offset, dst, n);
}

std::vector<uint8_t> ByteSource::read(uint64_t offset, uint64_t n, const std::string& what) const {
  if (!contains(offset, n))
    throw ValueError("Invalid H5 file: " + what + " (" + std::to_string(n) + " bytes at offset " +
                     std::to_string(offset) + ") lies outside the file of " +
                     std::to_string(size_) + " bytes");
  std::vector<uint8_t> out(static_cast<size_t>(n));
  if (n > 0) read_raw(offset, out.data(), out.size());
  return out;
}

void Cursor::fail(const std::string& what) const {
  throw ValueError("Invalid H5 file: " + context_ + ": " + what);
}

void Cursor::need(size_t n) const {
  if (n > remaining())
    fail("truncated (needs " + std::to_string(n) + " more bytes at byte " + std::to_string(pos_) +
         " of " + std::to_string(size_) + ")");
}

uint64_t Cursor::uint(int bytes) {
  need(static_cast<size_t>(bytes));
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | data_[pos_ + static_cast<size_t>(i)];
  pos_ += static_cast<size_t>(bytes);
  return v;
}

bool Cursor::is_undefined(uint64_t address) const {
  return offset_size_ >= 8 ? address == ~uint64_t{0}
                           : address == (uint64_t{1} << (8 * offset_size_)) - 1;
}

void Cursor::skip(size_t n) {
  need(n);
  pos_ += n;
}

void Cursor::align(size_t alignment) {
  size_t rem = pos_ % alignment;
  if (rem != 0) skip(alignment - rem);
}

std::vector<uint8_t> Cursor::bytes(size_t n) {
  need(n);
  std::vector<uint8_t> out(data_ + pos_, data_ + pos_ + n);
  pos_ += n;
  return out;
}

std::string Cursor::cstring(size_t n) {
  need(n);
  const char* p = reinterpret_cast<const char*>(data_ + pos_);
  size_t len = strnlen(p, n);
  pos_ += n;
  return std::string(p, len);
}

}  // namespace keras::saving::h5
