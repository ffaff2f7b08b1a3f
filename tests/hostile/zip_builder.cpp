#include "zip_builder.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

namespace keras::hostile {
namespace {

void put16(std::string& s, uint16_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>(v >> 8);
}
void put32(std::string& s, uint32_t v) {
  put16(s, static_cast<uint16_t>(v & 0xffff));
  put16(s, static_cast<uint16_t>(v >> 16));
}

// Local header (30 bytes + name) or central directory entry (46 bytes + name).
std::string header(bool central, const std::string& name, uint16_t method, uint32_t crc,
                   uint32_t csize, uint32_t usize, uint32_t offset) {
  std::string h;
  put32(h, central ? 0x02014b50 : 0x04034b50);
  if (central) put16(h, 20);  // version made by
  put16(h, 20);               // version needed
  put16(h, 0);                // flags
  put16(h, method);
  put16(h, 0);     // time
  put16(h, 0x21);  // date: 1980-01-01
  put32(h, crc);
  put32(h, csize);
  put32(h, usize);
  put16(h, static_cast<uint16_t>(name.size()));
  put16(h, 0);  // extra
  if (central) {
    put16(h, 0);  // comment
    put16(h, 0);  // disk
    put16(h, 0);  // internal attributes
    put32(h, 0);  // external attributes
    put32(h, offset);
  }
  return h + name;
}

}  // namespace

std::function<bool(std::string&)> bytes_of(std::string bytes) {
  auto done = std::make_shared<bool>(false);
  auto data = std::make_shared<std::string>(std::move(bytes));
  return [done, data](std::string& chunk) {
    if (*done) return false;
    chunk = *data;
    *done = true;
    return true;
  };
}

void write_zip(const std::string& path, std::vector<ZipEntry> entries) {
  std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out | std::ios::trunc);
  ASSERT_TRUE(out) << path;
  std::string central;
  for (ZipEntry& e : entries) {
    uint32_t offset = static_cast<uint32_t>(out.tellp());
    uint16_t method = e.deflate ? 8 : 0;
    std::string placeholder = header(false, e.name, method, 0, 0, 0, 0);
    out.write(placeholder.data(), static_cast<std::streamsize>(placeholder.size()));
    uLong crc = crc32(0, nullptr, 0);
    uint64_t usize = 0, csize = 0;
    z_stream z{};
    if (e.deflate) {
      ASSERT_EQ(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    }
    std::string chunk, buf(1 << 16, '\0');
    auto write = [&](const char* p, size_t n) {
      out.write(p, static_cast<std::streamsize>(n));
      csize += n;
    };
    auto pump = [&](const std::string& in, int flush) {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      z.avail_in = static_cast<uInt>(in.size());
      do {
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = static_cast<uInt>(buf.size());
        deflate(&z, flush);
        write(buf.data(), buf.size() - z.avail_out);
      } while (z.avail_out == 0);
    };
    for (;;) {
      chunk.clear();
      if (!e.next(chunk)) break;
      crc =
          crc32(crc, reinterpret_cast<const Bytef*>(chunk.data()), static_cast<uInt>(chunk.size()));
      usize += chunk.size();
      if (e.deflate)
        pump(chunk, Z_NO_FLUSH);
      else
        write(chunk.data(), chunk.size());
    }
    if (e.deflate) {
      pump(std::string(), Z_FINISH);
      deflateEnd(&z);
    }
    ASSERT_LT(usize, uint64_t{1} << 32) << "write_zip has no zip64";
    uint32_t declared = e.declared_size.value_or(static_cast<uint32_t>(usize));
    std::string local = header(false, e.name, method, static_cast<uint32_t>(crc),
                               static_cast<uint32_t>(csize), declared, 0);
    auto end = out.tellp();
    out.seekp(offset);
    out.write(local.data(), static_cast<std::streamsize>(local.size()));
    out.seekp(end);
    central += header(true, e.name, method, static_cast<uint32_t>(crc),
                      static_cast<uint32_t>(csize), declared, offset);
  }
  uint32_t cd_offset = static_cast<uint32_t>(out.tellp());
  std::string eocd;
  put32(eocd, 0x06054b50);
  put16(eocd, 0);
  put16(eocd, 0);
  put16(eocd, static_cast<uint16_t>(entries.size()));
  put16(eocd, static_cast<uint16_t>(entries.size()));
  put32(eocd, static_cast<uint32_t>(central.size()));
  put32(eocd, cd_offset);
  put16(eocd, 0);
  out.write(central.data(), static_cast<std::streamsize>(central.size()));
  out.write(eocd.data(), static_cast<std::streamsize>(eocd.size()));
  ASSERT_TRUE(out.good()) << path;
}

}  // namespace keras::hostile
