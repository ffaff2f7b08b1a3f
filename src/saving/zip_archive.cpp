// ZipReader on libzip, plus the member-name rules shared with ZipWriter (zip_writer.cpp).
// Depends only on the standard library, libzip and errors.hpp (the fuzz targets compile it alone).
#include "keras/saving/zip_archive.hpp"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "keras/core/errors.hpp"

namespace keras::saving {

std::string invalid_member_name_reason(std::string_view name) {
  if (name.empty()) return "is empty";
  for (char c : name) {
    if (c == '\0') return "contains a NUL byte";
    if (c == '\\') return "contains a backslash";
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "contains a control character";
  }
  if (name.front() == '/') return "is an absolute path";
  if (name.size() >= 2 && std::isalpha(static_cast<unsigned char>(name[0])) && name[1] == ':')
    return "starts with a drive letter";
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part == "..") return "has a '..' component (path traversal)";
    // "a//b" is an empty component; a trailing "/" marks a directory entry and is fine.
    if (part.empty() && end != name.size()) return "has an empty path component";
    start = end + 1;
  }
  return "";
}

namespace {}  // namespace

std::string quote_member_name(std::string_view s) {
  // Control bytes (a NUL would cut the message short) are shown as \xNN.
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

namespace {

std::string quoted(const std::string& s) { return quote_member_name(s); }

std::string list_names(const std::vector<std::string>& names) {
  if (names.empty()) return "the archive is empty";
  std::string out = "it has ";
  size_t shown = std::min<size_t>(names.size(), 20);
  for (size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + quoted(names[i]);
  if (shown < names.size()) out += ", ... (" + std::to_string(names.size()) + " members)";
  return out;
}

std::string libzip_message(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string message = zip_error_strerror(&error);
  zip_error_fini(&error);
  return message;
}

}  // namespace

struct ZipReader::Impl {
  std::string path;
  ZipLimits limits;
  std::string bytes;  // from_bytes(): the archive itself (libzip reads it in place)
  bool from_memory = false;
  zip_t* archive = nullptr;
  std::vector<std::string> names;
  std::unordered_map<std::string, zip_uint64_t> index;
  mutable std::mutex mutex;  // libzip handles are not thread-safe
  mutable uint64_t total_read = 0;

  ~Impl() {
    if (archive) zip_discard(archive);
  }

  [[noreturn]] void fail(const std::string& problem) const {
    throw ValueError("zip archive " + quoted(path) + ": " + problem);
  }
  [[noreturn]] void fail_member(const std::string& name, const std::string& problem) const {
    throw ValueError("zip archive " + quoted(path) + ", member " + quoted(name) + ": " + problem);
  }

  // Opens path or bytes with libzip; 0 or the libzip error code.
  int open_archive(int flags, zip_t** out) const {
    *out = nullptr;
    if (!from_memory) {
      int code = 0;
      errno = 0;
      *out = zip_open(path.c_str(), flags, &code);
      return *out ? 0 : code;
    }
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source) {
      *out = zip_open_from_source(source, flags, &error);
      if (!*out) zip_source_free(source);
    }
    int code = *out ? 0 : zip_error_code_zip(&error);
    if (!*out && code == 0) code = ZIP_ER_MEMORY;
    zip_error_fini(&error);
    return code;
  }

  void open() {
    int code = open_archive(ZIP_RDONLY | ZIP_CHECKCONS, &archive);
    if (code == ZIP_ER_EXISTS) {
      // libzip's consistency check found two members with one name; find it for the message.
      zip_t* lax = nullptr;
      if (open_archive(ZIP_RDONLY, &lax) == 0) {
        std::unordered_set<std::string> seen;
        std::string dup;
        zip_int64_t n = zip_get_num_entries(lax, 0);
        for (zip_int64_t i = 0; i < n && dup.empty(); ++i) {
          const char* name = zip_get_name(lax, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
          if (name && !seen.insert(name).second) dup = name;
        }
        zip_discard(lax);
        if (!dup.empty()) fail("duplicate member name " + quoted(dup));
      }
      fail("duplicate member names");
    }
    if (code != 0) fail_open(code);
    scan();
  }

  [[noreturn]] void fail_open(int code) const {
    // ZIP_ER_NOENT is not "no such file" here: open() has stat()ed a regular file, and libzip also
    // answers it for a directory entry it cannot find (a size of 0xFFFFFFFF without zip64 data).
    if (code == ZIP_ER_OPEN || code == ZIP_ER_READ || code == ZIP_ER_SEEK)
      throw OSError("cannot read zip archive " + quoted(path) + ": " + libzip_message(code) +
                    (errno ? std::string(" (") + std::strerror(errno) + ")" : ""));
    if (code == ZIP_ER_NOZIP) fail("not a zip archive (or truncated: no end of central directory)");
    if (code == ZIP_ER_NOENT)
      fail(
          "not a valid zip archive (its directory refers to entries or data that are not there, "
          "e.g. zip64 sizes without zip64 records)");
    fail("not a valid zip archive (" + libzip_message(code) + ")");
  }

  // Lists the members, validating their names.
  void scan() {
    zip_int64_t n = zip_get_num_entries(archive, 0);
    if (n < 0) fail("cannot list the members");
    if (static_cast<uint64_t>(n) > limits.max_members)
      fail("has " + std::to_string(n) + " members, more than the limit of " +
           std::to_string(limits.max_members) + " (ZipLimits::max_members)");
    names.reserve(static_cast<size_t>(n));
    for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(n); ++i) {
      // libzip turns NUL bytes inside stored names into spaces, so they cannot truncate a name.
      const char* raw = zip_get_name(archive, i, ZIP_FL_ENC_GUESS);
      if (!raw) fail("cannot read the name of member " + std::to_string(i));
      std::string name = raw;
      // The raw bytes too: libzip re-encodes CP437 names, where 0x01 becomes a smiley.
      const char* stored = zip_get_name(archive, i, ZIP_FL_ENC_RAW);
      std::string why = invalid_member_name_reason(stored ? stored : "");
      if (!why.empty() && stored) name = stored;
      if (why.empty()) why = invalid_member_name_reason(name);
      if (!why.empty()) fail("member name " + quoted(name) + " " + why + "; refusing to read it");
      if (!index.emplace(name, i).second) fail("duplicate member name " + quoted(name));
      names.push_back(std::move(name));
    }
  }

  std::string read(const std::string& name) const {
    auto it = index.find(name);
    if (it == index.end()) fail("has no member " + quoted(name) + "; " + list_names(names));
    std::lock_guard<std::mutex> lock(mutex);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive, it->second, 0, &st) != 0)
      fail_member(name, std::string("cannot stat: ") + zip_strerror(archive));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
      fail_member(name, "is encrypted, which is not supported");
    uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    check_size(name, declared, compressed, "declares");
    if ((st.valid & ZIP_STAT_COMP_METHOD) && !zip_compression_method_supported(st.comp_method, 0))
      fail_member(name, "uses unsupported compression method " + std::to_string(st.comp_method));

    zip_file_t* file = zip_fopen_index(archive, it->second, 0);
    if (!file) fail_member(name, std::string("cannot open: ") + zip_strerror(archive));
    struct Closer {
      zip_file_t* f;
      ~Closer() { zip_fclose(f); }
    } closer{file};

    std::string out;
    // Deflate cannot exceed ~1032:1, so an honest member fits this; a liar cannot make us
    // reserve more than the ratio limit allows.
    out.reserve(static_cast<size_t>(std::min<uint64_t>(declared, compressed * 1032 + 65536)));
    std::vector<char> chunk(1 << 16);
    for (;;) {
      zip_int64_t got = zip_fread(file, chunk.data(), chunk.size());
      if (got < 0) fail_member(name, std::string("corrupt data: ") + zip_file_strerror(file));
      if (got == 0) break;
      out.append(chunk.data(), static_cast<size_t>(got));
      if (out.size() > declared)
        fail_member(name, "inflates to more than its declared " + std::to_string(declared) +
                              " bytes (corrupt or malicious archive)");
      check_size(name, out.size(), compressed, "inflates to");
    }
    if (out.size() != declared)
      fail_member(name, "is truncated: " + std::to_string(out.size()) + " of its declared " +
                            std::to_string(declared) + " bytes");
    total_read += out.size();
    return out;
  }

  // Size checks of ZipLimits, on a declared size or on the bytes inflated so far.
  void check_size(const std::string& name, uint64_t bytes, uint64_t compressed,
                  const char* verb) const {
    if (bytes > limits.max_member_bytes)
      fail_member(name, std::string(verb) + " " + std::to_string(bytes) +
                            " bytes, more than the limit of " +
                            std::to_string(limits.max_member_bytes) +
                            " (ZipLimits::max_member_bytes)");
    if (bytes > limits.ratio_min_bytes &&
        static_cast<double>(bytes) >
            limits.max_compression_ratio * static_cast<double>(std::max<uint64_t>(compressed, 1)))
      fail_member(name, std::string(verb) + " " + std::to_string(bytes) + " bytes from " +
                            std::to_string(compressed) +
                            " compressed bytes, a suspicious compression ratio (more than " +
                            std::to_string(static_cast<uint64_t>(limits.max_compression_ratio)) +
                            ":1; zip bomb?)");
    if (total_read + bytes > limits.max_total_bytes)
      fail_member(name, "reading it would take the archive's inflated total to " +
                            std::to_string(total_read + bytes) + " bytes, more than the limit of " +
                            std::to_string(limits.max_total_bytes) +
                            " (ZipLimits::max_total_bytes)");
  }
};

ZipReader::ZipReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipReader::ZipReader(ZipReader&&) noexcept = default;
ZipReader& ZipReader::operator=(ZipReader&&) noexcept = default;
ZipReader::~ZipReader() = default;

ZipReader ZipReader::open(const std::string& path, ZipLimits limits) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->limits = limits;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw OSError("cannot open zip archive " + quoted(path) + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    throw OSError("cannot open zip archive " + quoted(path) + ": it is a directory");
  if (!S_ISREG(st.st_mode))
    throw OSError("cannot open zip archive " + quoted(path) + ": not a regular file");
  // libzip opens an empty file as an empty archive; Python's zipfile (and we) do not.
  if (S_ISREG(st.st_mode) && st.st_size == 0) impl->fail("not a zip archive (the file is empty)");
  impl->open();
  return ZipReader(std::move(impl));
}

ZipReader ZipReader::from_bytes(std::string bytes, ZipLimits limits, std::string label) {
  auto impl = std::make_unique<Impl>();
  impl->path = std::move(label);
  impl->limits = limits;
  impl->bytes = std::move(bytes);
  if (impl->bytes.empty()) impl->fail("not a zip archive (no data)");
  impl->from_memory = true;
  impl->open();
  return ZipReader(std::move(impl));
}

const std::string& ZipReader::path() const { return impl_->path; }
const std::vector<std::string>& ZipReader::names() const { return impl_->names; }
bool ZipReader::contains(const std::string& name) const { return impl_->index.count(name) > 0; }

uint64_t ZipReader::size(const std::string& name) const {
  auto it = impl_->index.find(name);
  if (it == impl_->index.end())
    impl_->fail("has no member " + quoted(name) + "; " + list_names(impl_->names));
  std::lock_guard<std::mutex> lock(impl_->mutex);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(impl_->archive, it->second, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    impl_->fail_member(name, "cannot stat");
  return st.size;
}

std::string ZipReader::read(const std::string& name) const { return impl_->read(name); }

}  // namespace keras::saving
