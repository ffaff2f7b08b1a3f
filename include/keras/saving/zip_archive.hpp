#pragma once
// ZIP archives as Keras and NumPy use them (.keras files, .npz files), on top of libzip.
//
//   auto zip = keras::saving::ZipReader::open("model.keras");
//   std::string config = zip.read("config.json");
//
//   keras::saving::ZipWriter out("model.keras");
//   out.add("metadata.json", meta, /*compress=*/false);   // Keras stores every member
//   out.commit();                                          // atomic rename onto the path
//
// The reader is defensive (spec §9): member names that could escape a directory ("../x", "/x",
// "C:x", backslashes, control characters) and duplicate names make open() fail (libzip turns NUL
// bytes inside stored names into spaces, so a NUL cannot cut a name short); read() enforces
// ZipLimits on the bytes it actually inflates, so a member that lies about its size is caught
// too, and checks the CRC. Errors: keras::OSError when the file cannot be opened,
// keras::ValueError for everything about the content; every message names the archive (and the
// member). A ZipReader may be read from several threads at once.
//
// This header and zip_archive.cpp depend only on the standard library, libzip and errors.hpp, so
// the fuzz targets (fuzz/) compile them without the rest of the library.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace keras::saving {

struct ZipLimits {
  uint64_t max_member_bytes = 8ull << 30;  // inflated size of one member
  uint64_t max_total_bytes = 16ull << 30;  // inflated bytes over all read() calls of one reader
  uint64_t max_members = 65536;
  // Inflated / compressed size. Deflate tops out near 1032:1, so only a member that is also
  // larger than ratio_min_bytes is judged by its ratio (a small all-zeros array compresses
  // legitimately to ~1000:1).
  double max_compression_ratio = 1000.0;
  uint64_t ratio_min_bytes = 64ull << 20;
};

// The limits load_model and load_weights read `.keras` archives with. Keras stores their members
// uncompressed, so a member inflating more than 100:1 past 16 MiB is refused: a 3 MB archive can
// make keras-cpp inflate at most ~300 MB (docs/security.md). `.npz` files keep the defaults
// (np.savez_compressed of zeros legitimately reaches ~1000:1).
inline ZipLimits keras_archive_limits() {
  ZipLimits limits;
  limits.max_compression_ratio = 100.0;
  limits.ratio_min_bytes = 16ull << 20;
  return limits;
}

class ZipReader {
 public:
  // Opens an archive on disk. OSError if it cannot be read; ValueError if it is not a valid zip.
  static ZipReader open(const std::string& path, ZipLimits limits = {});
  // An archive held in memory; `label` names it in error messages.
  static ZipReader from_bytes(std::string bytes, ZipLimits limits = {},
                              std::string label = "<in-memory zip archive>");

  ZipReader(ZipReader&&) noexcept;
  ZipReader& operator=(ZipReader&&) noexcept;
  ~ZipReader();

  // The path given to open() (or the label of from_bytes()).
  const std::string& path() const;
  // Member names in archive (central directory) order.
  const std::vector<std::string>& names() const;
  bool contains(const std::string& name) const;
  // Declared (uncompressed) size of a member; ValueError if it is missing.
  uint64_t size(const std::string& name) const;
  // The whole member, inflated and CRC-checked. ValueError if it is missing (the message lists
  // the members), too large, suspiciously compressed, encrypted or corrupt.
  std::string read(const std::string& name) const;

 private:
  struct Impl;
  explicit ZipReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class ZipWriter {
 public:
  // Nothing is written to `path` before commit(); the archive is built in a temporary file in the
  // same directory.
  explicit ZipWriter(std::string path);
  ZipWriter(ZipWriter&&) noexcept;
  ZipWriter& operator=(ZipWriter&&) noexcept;
  ~ZipWriter();  // without commit(): the temporary file is removed, `path` is untouched

  // Adds a member (bytes are copied). Members keep the order of the add() calls. `compress`:
  // deflate (true) or store (false; what Keras writes). ValueError for an invalid or duplicate
  // name, or after commit().
  void add(const std::string& name, std::string_view bytes, bool compress = true);
  // Adds a member whose content is the file at `file_path`, read at commit() (so it must still
  // exist then); large weights files do not have to be held in memory.
  void add_file(const std::string& name, const std::string& file_path, bool compress = true);
  // Writes the archive, fsyncs it and renames it atomically onto `path`. OSError on failure.
  void commit();

  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Why `name` is not acceptable as a member name, or "" if it is: empty, absolute ("/x", "C:x"),
// with a ".." component, a backslash, a NUL or another control character.
std::string invalid_member_name_reason(std::string_view name);
// `name` in double quotes for messages, control bytes shown as \xNN.
std::string quote_member_name(std::string_view name);

}  // namespace keras::saving
