#include "keras/serialization/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "keras/core/errors.hpp"

namespace keras::saving {
namespace {

std::string sys_error() { return std::strerror(errno); }

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void fsync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), O_RDONLY | (directory ? O_DIRECTORY : 0) | O_CLOEXEC);
  if (fd < 0) {
    if (directory) return;  // some file systems do not allow opening directories; best effort
    throw OSError("cannot open \"" + path + "\" to flush it: " + sys_error());
  }
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  // EINVAL: the file system does not support fsync on this object (e.g. a directory on some).
  if (rc != 0 && !(directory && (saved == EINVAL || saved == EBADF))) {
    errno = saved;
    throw OSError("cannot flush \"" + path + "\" to disk: " + sys_error());
  }
}

// The kind of a non-regular file, for messages.
const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

// What is at `path` now: nothing (mode 0) or a regular file we may replace. Anything else is an
// OSError naming the path, because rename() would replace it: a symlink (with a regular file,
// not the link's target), a device node such as /dev/null, a FIFO, a read-only file. Checked
// when the temporary file is made and again just before the rename.
struct stat check_target(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    throw OSError("cannot write \"" + path + "\": " + sys_error());
  }
  auto refuse = [&](const std::string& why) {
    throw OSError("cannot write \"" + path + "\": " + why);
  };
  if (S_ISDIR(st.st_mode)) refuse("it is a directory");
  if (S_ISLNK(st.st_mode))
    refuse(
        "it is a symbolic link (Keras files are written only over regular files; give the "
        "path of the link's target to replace it)");
  if (!S_ISREG(st.st_mode))
    refuse(std::string("it is not a regular file (it is ") + kind_of(st.st_mode) + ")");
  // The mode bits, not access(): root may write anything, yet a 0444 file is meant to be kept.
  bool read_only = (st.st_mode & 0222) == 0 ||
                   (::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) != 0 && errno == EACCES);
  if (read_only) refuse("it is read-only");
  return st;
}

// The longest file name the directory takes (NAME_MAX unless the file system says otherwise).
size_t name_max(const std::string& dir) {
  long n = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  return n > 0 ? static_cast<size_t>(n) : NAME_MAX;
}

// ".<name>.tmp-" for a name that leaves room for the random suffix and for the ".XXXXXX" that
// libzip appends to its own temporary file (zip_writer.cpp); a longer name is cut and a hash of
// the whole name keeps temporaries of different long names apart.
std::string temp_prefix(const std::string& base, size_t limit) {
  constexpr size_t kReserved = 1 + 5 + 8 + 8;  // ".", ".tmp-", 8 random characters, libzip's 7+1
  if (base.size() + kReserved <= limit) return "." + base + ".tmp-";
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : base) h = (h ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  size_t keep = limit > kReserved + 17 ? std::min(base.size(), limit - kReserved - 17) : 0;
  return "." + base.substr(0, keep) + "~" + hex + ".tmp-";
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw OSError("AtomicFile: empty file path");
  if (path_.back() == '/') throw OSError("AtomicFile: \"" + path_ + "\" names a directory");
  struct stat st = check_target(path_);
  std::string dir = dir_of(path_);
  std::string prefix = (dir == "/" ? "" : dir) + "/" + temp_prefix(base_of(path_), name_max(dir));
  // open(O_EXCL) with mode 0666 rather than mkstemp(): the kernel then applies the umask, so the
  // file gets the mode a plain creat() would give it, without touching the process's umask.
  static std::atomic<uint64_t> counter{0};
  static const uint64_t seed = std::random_device{}() ^ (uint64_t(::getpid()) << 32);
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  for (int attempt = 0; attempt < 100; ++attempt) {
    uint64_t r = seed ^ (++counter * 0x9e3779b97f4a7c15ull);
    std::string name = prefix;
    for (int k = 0; k < 8; ++k, r /= 36) name += digits[r % 36];
    int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      // Replacing a file keeps its permissions, as rewriting it in place would.
      if (S_ISREG(st.st_mode)) ::fchmod(fd, st.st_mode & 07777);
      ::close(fd);
      temp_path_ = name;
      return;
    }
    if (errno != EEXIST) break;
  }
  throw OSError("cannot create a temporary file in \"" + dir + "\" to write \"" + path_ +
                "\": " + sys_error());
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      committed_(other.committed_) {
  other.temp_path_.clear();
  other.committed_ = true;
}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    discard();
    path_ = std::move(other.path_);
    temp_path_ = std::move(other.temp_path_);
    committed_ = other.committed_;
    other.temp_path_.clear();
    other.committed_ = true;
  }
  return *this;
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard() noexcept {
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
  temp_path_.clear();
}

void AtomicFile::commit() {
  if (committed_) throw OSError("AtomicFile: \"" + path_ + "\" was already committed");
  fsync_path(temp_path_, false);
  check_target(path_);  // what is there may have changed since the constructor looked
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0)
    throw OSError("cannot rename \"" + temp_path_ + "\" onto \"" + path_ + "\": " + sys_error());
  committed_ = true;
  fsync_path(dir_of(path_), true);
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  AtomicFile file(path);
  int fd = ::open(file.temp_path().c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) throw OSError("cannot open \"" + file.temp_path() + "\": " + sys_error());
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = sys_error();
      ::close(fd);
      throw OSError("cannot write \"" + path + "\": " + why);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0) throw OSError("cannot write \"" + path + "\": " + sys_error());
  file.commit();
}

}  // namespace keras::saving
