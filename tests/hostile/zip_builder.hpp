#pragma once
// A zip writer for crafting hostile archives: members streamed from a generator (so a 1 GB
// member never sits in memory), stored or deflated, with a size the directory may lie about.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace keras::hostile {

struct ZipEntry {
  std::string name;
  // Appends the next chunk to `chunk` (cleared before each call); returns false when done.
  std::function<bool(std::string& chunk)> next;
  bool deflate = false;
  // The uncompressed size written in both headers instead of the true one (a lie).
  std::optional<uint32_t> declared_size;
};

// A generator yielding `bytes` once.
std::function<bool(std::string&)> bytes_of(std::string bytes);
// Writes the archive (no zip64: every member under 4 GiB).
void write_zip(const std::string& path, std::vector<ZipEntry> entries);

}  // namespace keras::hostile
