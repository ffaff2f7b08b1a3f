#include "keras/datasets/idx.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "keras/ops/core.hpp"

namespace keras::datasets {
namespace {

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// Reads exactly n bytes; false at end of file.
bool read_exact(gzFile f, void* dst, size_t n, const std::string& path) {
  auto* p = static_cast<unsigned char*>(dst);
  while (n > 0) {
    unsigned chunk = static_cast<unsigned>(std::min<size_t>(n, 1u << 30));
    int got = gzread(f, p, chunk);
    if (got < 0) {
      int err = 0;
      const char* msg = gzerror(f, &err);
      throw ValueError("load_idx(\"" + path + "\"): corrupt compressed data: " + msg);
    }
    if (got == 0) return false;
    p += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

DType idx_dtype(uint8_t code, const std::string& path) {
  switch (code) {
    case 0x08:
      return DType::UInt8;
    case 0x09:
      return DType::Int8;
    case 0x0B:
      return DType::Int16;
    case 0x0C:
      return DType::Int32;
    case 0x0D:
      return DType::Float32;
    case 0x0E:
      return DType::Float64;
  }
  throw ValueError("load_idx(\"" + path + "\"): unknown IDX type code " + std::to_string(code));
}

}  // namespace

Tensor load_idx(const std::string& path, const std::string& backend) {
  auto fail = [&](const std::string& what) -> ValueError {
    return ValueError("load_idx(\"" + path + "\"): " + what);
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw OSError("load_idx: cannot open \"" + path + "\": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw OSError("load_idx: cannot read \"" + path + "\": " +
                  (S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file"));
  }
  // gzdopen reads plain files transparently, so one path handles both.
  GzFile f(gzdopen(fd, "rb"));
  if (!f) {
    ::close(fd);
    throw OSError("load_idx: cannot open \"" + path + "\"");
  }
  unsigned char magic[4];
  if (!read_exact(f.get(), magic, 4, path)) throw fail("file is shorter than the IDX header");
  if (magic[0] != 0 || magic[1] != 0) throw fail("not an IDX file (bad magic number)");
  DType dtype = idx_dtype(magic[2], path);
  int rank = magic[3];
  if (rank == 0 || rank > 8) throw fail("unsupported rank " + std::to_string(rank));
  Shape shape;
  uint64_t bytes = dtype_size(dtype);
  bool too_large = false;
  for (int i = 0; i < rank; ++i) {
    unsigned char b[4];
    if (!read_exact(f.get(), b, 4, path)) throw fail("truncated header");
    uint32_t d = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
    shape.push_back(d);
    too_large = too_large || __builtin_mul_overflow(bytes, uint64_t{d}, &bytes);
  }
  // No IDX data set comes near 2^34 bytes.
  if (too_large || bytes > (uint64_t{1} << 34))
    throw fail("declared size " + shape.to_string() + " of " + std::string(dtype_name(dtype)) +
               " is too large");
  // Nothing is allocated for the header's word: a plain file must hold exactly the declared bytes
  // (known from its size), and a compressed one is read in pieces, so memory follows the bytes
  // actually inflated, not what a 57-byte file claims.
  const uint64_t header = 4 + 4 * static_cast<uint64_t>(rank);
  if (gzdirect(f.get())) {
    uint64_t present = static_cast<uint64_t>(st.st_size) - std::min<uint64_t>(header, st.st_size);
    if (present < bytes)
      throw fail("file holds fewer values than its header " + shape.to_string() +
                 " declares (the header declares " + std::to_string(bytes) +
                 " bytes of values, the file holds " + std::to_string(present) + ")");
    if (present > bytes) throw fail("trailing data after " + shape.to_string() + " values");
  }
  std::vector<unsigned char> data;
  if (gzdirect(f.get())) data.reserve(bytes);  // checked against the file's size above
  constexpr uint64_t kPiece = uint64_t{16} << 20;
  while (data.size() < bytes) {
    size_t have = data.size();
    size_t piece = static_cast<size_t>(std::min<uint64_t>(kPiece, bytes - have));
    data.resize(have + piece);
    if (!read_exact(f.get(), data.data() + have, piece, path))
      throw fail("file holds fewer values than its header " + shape.to_string() + " declares");
  }
  unsigned char extra;
  if (read_exact(f.get(), &extra, 1, path))
    throw fail("trailing data after " + shape.to_string() + " values");
  // IDX is big-endian; swap multi-byte values to the host's little-endian order.
  size_t item = dtype_size(dtype);
  if (item > 1)
    for (size_t i = 0; i < data.size(); i += item)
      for (size_t a = 0, b = item - 1; a < b; ++a, --b) std::swap(data[i + a], data[i + b]);
  return ops::from_buffer(data.data(), shape, dtype, backend);
}

}  // namespace keras::datasets
