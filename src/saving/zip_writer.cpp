// ZipWriter on libzip. Members are written the way Python's zipfile writes Keras's members
// (`ZipFile.open(name, "w")`): DOS time 1980-01-01 00:00, Unix mode 0600, stored or deflated,
// no data descriptor, no extra fields (zip64 records only where sizes need them).
#include <sys/stat.h>
#include <zip.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_set>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/saving/zip_archive.hpp"
#include "keras/serialization/atomic_file.hpp"

namespace keras::saving {
namespace {

struct Member {
  std::string name;
  std::string bytes;      // add()
  std::string file_path;  // add_file()
  bool from_file = false;
  bool compress = true;
};

std::string quoted(const std::string& s) { return quote_member_name(s); }

}  // namespace

struct ZipWriter::Impl {
  std::string path;
  std::vector<Member> members;
  std::unordered_set<std::string> names;
  bool committed = false;

  void check_new(const std::string& name) {
    if (committed)
      throw ValueError("ZipWriter " + quoted(path) + ": add() after commit() (member " +
                       quoted(name) + ")");
    std::string why = invalid_member_name_reason(name);
    if (!why.empty())
      throw ValueError("ZipWriter " + quoted(path) + ": member name " + quoted(name) + " " + why);
    if (!names.insert(name).second)
      throw ValueError("ZipWriter " + quoted(path) + ": duplicate member name " + quoted(name));
  }
};

ZipWriter::ZipWriter(std::string path) : impl_(std::make_unique<Impl>()) {
  impl_->path = std::move(path);
  if (impl_->path.empty()) throw OSError("ZipWriter: empty file path");
}
ZipWriter::ZipWriter(ZipWriter&&) noexcept = default;
ZipWriter& ZipWriter::operator=(ZipWriter&&) noexcept = default;
ZipWriter::~ZipWriter() = default;  // the temporary file only exists inside commit()

const std::string& ZipWriter::path() const { return impl_->path; }

void ZipWriter::add(const std::string& name, std::string_view bytes, bool compress) {
  impl_->check_new(name);
  impl_->members.push_back({name, std::string(bytes), "", false, compress});
}

void ZipWriter::add_file(const std::string& name, const std::string& file_path, bool compress) {
  impl_->check_new(name);
  struct stat st {};
  if (::stat(file_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    impl_->names.erase(name);
    throw OSError("ZipWriter " + quoted(impl_->path) + ": cannot add member " + quoted(name) +
                  " from " + quoted(file_path) + ": " +
                  (errno ? std::strerror(errno) : "not a regular file"));
  }
  impl_->members.push_back({name, "", file_path, true, compress});
}

void ZipWriter::commit() {
  Impl& m = *impl_;
  if (m.committed) throw ValueError("ZipWriter " + quoted(m.path) + ": commit() called twice");
  AtomicFile out(m.path);
  auto fail = [&](const std::string& what) -> void {
    throw OSError("cannot write zip archive " + quoted(m.path) + ": " + what);
  };

  if (m.members.empty()) {
    // libzip deletes an archive left without members; write the 22-byte empty archive ourselves.
    static const char empty[22] = {0x50, 0x4b, 0x05, 0x06};
    FILE* f = std::fopen(out.temp_path().c_str(), "wb");
    if (!f || std::fwrite(empty, 1, sizeof empty, f) != sizeof empty || std::fclose(f) != 0)
      fail(std::strerror(errno));
    out.commit();
    m.committed = true;
    return;
  }

  int code = 0;
  zip_t* za = zip_open(out.temp_path().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (!za) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    fail(message);
  }
  auto abandon = [&](const std::string& what) {
    std::string message = what + ": " + zip_strerror(za);
    zip_discard(za);
    fail(message);
  };
  for (const Member& member : m.members) {
    zip_source_t* src = member.from_file
                            ? zip_source_file(za, member.file_path.c_str(), 0, -1)
                            : zip_source_buffer(za, member.bytes.data(), member.bytes.size(), 0);
    if (!src) abandon("member " + quoted(member.name));
    zip_int64_t idx = zip_file_add(za, member.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(src);
      abandon("member " + quoted(member.name));
    }
    auto i = static_cast<zip_uint64_t>(idx);
    if (zip_set_file_compression(za, i, member.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) != 0 ||
        zip_file_set_dostime(za, i, 0, (1 << 5) | 1, 0) != 0 ||  // 1980-01-01 00:00:00
        zip_file_set_external_attributes(za, i, 0, ZIP_OPSYS_UNIX, 0600u << 16) != 0)
      abandon("member " + quoted(member.name));
  }
  if (zip_close(za) != 0) abandon("finishing the archive");
  out.commit();
  m.committed = true;
  // The copies are no longer needed.
  m.members.clear();
}

}  // namespace keras::saving
