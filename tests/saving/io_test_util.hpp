#pragma once
// Helpers for the saving_io_tests: a scratch directory per test, whole-file reads, and a tiny raw
// zip builder that can write what ZipWriter refuses to (bad names, lying sizes, bad CRCs), so
// the reader's defences can be tested.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "testing/expect_error.hpp"
#include "testing/temp_dir.hpp"

#define KERAS_IO_DATA_DIR KERAS_SOURCE_DIR "/tests/saving/data"

namespace keras::testing::io {

// A scratch directory per test (see testing/temp_dir.hpp).
class ScratchDir : public TempDir {
 public:
  ScratchDir() : TempDir("keras-io-") {}
};

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string raw_deflate(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct RawMember {
  std::string name;
  std::string data;  // uncompressed content
  bool deflate = false;
  int64_t declared_size = -1;  // overrides the uncompressed size in both headers
  bool bad_crc = false;
  uint16_t flags = 0;
};

// A plain (non-zip64) archive with exactly these members, local headers then central directory.
inline std::string make_raw_zip(const std::vector<RawMember>& members) {
  auto put = [](std::string& s, uint64_t v, int bytes) {
    for (int k = 0; k < bytes; ++k) s += static_cast<char>((v >> (8 * k)) & 0xff);
  };
  std::string out, central;
  for (const RawMember& m : members) {
    std::string payload = m.deflate ? raw_deflate(m.data) : m.data;
    uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size())));
    if (m.bad_crc) crc ^= 0xdeadbeef;
    uint64_t size = m.declared_size >= 0 ? static_cast<uint64_t>(m.declared_size) : m.data.size();
    uint64_t offset = out.size();
    auto common = [&](std::string& s) {
      put(s, 20, 2);  // version needed
      put(s, m.flags, 2);
      put(s, m.deflate ? 8 : 0, 2);
      put(s, 0, 2);     // time
      put(s, 0x21, 2);  // date 1980-01-01
      put(s, crc, 4);
      put(s, payload.size(), 4);
      put(s, size, 4);
      put(s, m.name.size(), 2);
      put(s, 0, 2);  // extra
    };
    put(out, 0x04034b50, 4);
    common(out);
    out += m.name + payload;
    put(central, 0x02014b50, 4);
    put(central, 0x0314, 2);  // made by: Unix, 2.0
    common(central);
    put(central, 0, 2);  // comment
    put(central, 0, 2);  // disk
    put(central, 0, 2);  // internal attributes
    put(central, 0600u << 16, 4);
    put(central, offset, 4);
    central += m.name;
  }
  uint64_t cd_offset = out.size();
  out += central;
  put(out, 0x06054b50, 4);
  put(out, 0, 2);
  put(out, 0, 2);
  put(out, members.size(), 2);
  put(out, members.size(), 2);
  put(out, central.size(), 4);
  put(out, cd_offset, 4);
  put(out, 0, 2);
  return out;
}

}  // namespace keras::testing::io
