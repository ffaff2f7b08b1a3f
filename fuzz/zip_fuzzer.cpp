// libFuzzer target: ZipReader (src/saving/zip_archive.cpp, on libzip) on arbitrary bytes: list the
// members and read each, with small limits so that inflating stays fast; members named *.npy go on
// to the .npy parser, as load_npz() does. Only keras::Error may escape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "keras/core/errors.hpp"
#include "keras/saving/zip_archive.hpp"
#include "saving/npy_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using keras::saving::ZipLimits;
  using keras::saving::ZipReader;
  ZipLimits limits{.max_member_bytes = 16u << 20,
                   .max_total_bytes = 64u << 20,
                   .max_members = 4096,
                   .max_compression_ratio = 1000.0,
                   .ratio_min_bytes = 1u << 20};
  try {
    ZipReader zip =
        ZipReader::from_bytes(std::string(reinterpret_cast<const char*>(data), size), limits);
    for (const std::string& name : zip.names()) {
      if (!zip.contains(name)) __builtin_trap();
      try {
        std::string member = zip.read(name);
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
          keras::saving::npy::parse(member, name);
      } catch (const keras::Error&) {
      }
    }
  } catch (const keras::Error&) {
  }
  return 0;
}
