#include "keras/datasets/idx.hpp"

#include <zlib.h>

#include <cstdint>
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
  // gzopen reads plain files transparently, so one path handles both.
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw OSError("load_idx: cannot open \"" + path + "\"");
  unsigned char magic[4];
  if (!read_exact(f.get(), magic, 4, path))
    throw ValueError("load_idx(\"" + path + "\"): file is shorter than the IDX header");
  if (magic[0] != 0 || magic[1] != 0)
    throw ValueError("load_idx(\"" + path + "\"): not an IDX file (bad magic number)");
  DType dtype = idx_dtype(magic[2], path);
  int rank = magic[3];
  if (rank == 0 || rank > 8)
    throw ValueError("load_idx(\"" + path + "\"): unsupported rank " + std::to_string(rank));
  Shape shape;
  uint64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    unsigned char b[4];
    if (!read_exact(f.get(), b, 4, path))
      throw ValueError("load_idx(\"" + path + "\"): truncated header");
    uint32_t d = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
    shape.push_back(d);
    count *= d;
    // Refuse absurd sizes before allocating: no IDX data set comes near 2^34 bytes.
    if (count * dtype_size(dtype) > (uint64_t{1} << 34))
      throw ValueError("load_idx(\"" + path + "\"): declared size " + shape.to_string() +
                       " is too large");
  }
  size_t item = dtype_size(dtype);
  std::vector<unsigned char> data(count * item);
  if (!read_exact(f.get(), data.data(), data.size(), path))
    throw ValueError("load_idx(\"" + path + "\"): file holds fewer values than its header " +
                     shape.to_string() + " declares");
  unsigned char extra;
  if (read_exact(f.get(), &extra, 1, path))
    throw ValueError("load_idx(\"" + path + "\"): trailing data after " + shape.to_string() +
                     " values");
  // IDX is big-endian; swap multi-byte values to the host's little-endian order.
  if (item > 1)
    for (size_t i = 0; i < data.size(); i += item)
      for (size_t a = 0, b = item - 1; a < b; ++a, --b) std::swap(data[i + a], data[i + b]);
  return ops::from_buffer(data.data(), shape, dtype, backend);
}

}  // namespace keras::datasets
