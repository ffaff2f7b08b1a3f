#pragma once
// Writing a file so that readers see either the old content or the complete new content, never a
// half-written file: write a temporary file in the same directory, fsync it, rename it onto the
// destination, fsync the directory.
//
//   keras::saving::AtomicFile out("model.weights.h5");
//   write_hdf5(out.temp_path());   // anything that writes a file by name
//   out.commit();
//
// Only a missing path or a writable regular file is replaced: the rename would put a regular
// file in place of a symlink, a device such as /dev/null or a FIFO, and past a read-only file's
// permissions, so those are refused (checked when the temporary file is made and again just
// before the rename). Errors are keras::OSError naming the file and the system's reason.
#include <string>
#include <string_view>

namespace keras::saving {

void write_file_atomically(const std::string& path, std::string_view bytes);

class AtomicFile {
 public:
  // Creates an empty temporary file next to `path` (".<name>.tmp-XXXXXXXX", with a long name cut
  // and hashed so that it fits NAME_MAX), with the mode a new file gets (0666 & ~umask), or the
  // mode of the file being replaced. OSError if the directory cannot be written or `path` is not
  // a file that may be replaced (see above).
  explicit AtomicFile(std::string path);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  // Without commit(): removes the temporary file; `path` is untouched.
  ~AtomicFile();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  bool committed() const { return committed_; }
  // Flushes the temporary file to disk and renames it onto path(). Calling it twice is an error.
  void commit();

 private:
  void discard() noexcept;
  std::string path_;
  std::string temp_path_;
  bool committed_ = false;
};

}  // namespace keras::saving
