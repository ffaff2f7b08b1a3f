// AtomicFile / write_file_atomically (keras/serialization/atomic_file.hpp).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "keras/core/errors.hpp"
#include "keras/serialization/atomic_file.hpp"
#include "saving/io_test_util.hpp"

namespace keras::saving {
namespace {

using testing::io::read_bytes;
using testing::io::ScratchDir;
using testing::io::write_bytes;

TEST(AtomicFileTest, WriteFileAtomicallyCreatesAndReplaces) {
  ScratchDir dir;
  std::string path = dir.file("a.bin");
  write_file_atomically(path, std::string("first\0bytes", 11));
  EXPECT_EQ(read_bytes(path), std::string("first\0bytes", 11));
  write_file_atomically(path, "second");
  EXPECT_EQ(read_bytes(path), "second");
  write_file_atomically(path, "");
  EXPECT_EQ(read_bytes(path), "");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"a.bin"});
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

TEST(AtomicFileTest, NewFilesFollowTheUmaskReplacedFilesKeepTheirMode) {
  ScratchDir dir;
  mode_t mask = ::umask(022);
  write_file_atomically(dir.file("new.bin"), "x");
  EXPECT_EQ(mode_of(dir.file("new.bin")), 0644u);
  ::umask(077);
  write_file_atomically(dir.file("private.bin"), "x");
  EXPECT_EQ(mode_of(dir.file("private.bin")), 0600u);
  ::umask(mask);
  ::chmod(dir.file("new.bin").c_str(), 0640);
  write_file_atomically(dir.file("new.bin"), "y");
  EXPECT_EQ(mode_of(dir.file("new.bin")), 0640u);
  EXPECT_EQ(read_bytes(dir.file("new.bin")), "y");
}

TEST(AtomicFileTest, TempFileIsInTheSameDirectoryUntilCommit) {
  ScratchDir dir;
  std::string path = dir.file("model.weights.h5");
  write_bytes(path, "old");
  AtomicFile file(path);
  EXPECT_EQ(file.path(), path);
  EXPECT_EQ(std::filesystem::path(file.temp_path()).parent_path(),
            std::filesystem::path(path).parent_path());
  EXPECT_TRUE(std::filesystem::exists(file.temp_path()));
  write_bytes(file.temp_path(), "new");
  EXPECT_EQ(read_bytes(path), "old");
  EXPECT_FALSE(file.committed());
  file.commit();
  EXPECT_TRUE(file.committed());
  EXPECT_EQ(read_bytes(path), "new");
  EXPECT_FALSE(std::filesystem::exists(file.temp_path()));
  EXPECT_THROW_ALL(file.commit(), OSError, "already committed");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"model.weights.h5"});
}

TEST(AtomicFileTest, DestructorWithoutCommitRemovesTheTempAndKeepsTheOldFile) {
  ScratchDir dir;
  std::string path = dir.file("x.npy");
  write_bytes(path, "old");
  std::string temp;
  {
    AtomicFile file(path);
    temp = file.temp_path();
    write_bytes(temp, "half-written");
  }
  EXPECT_FALSE(std::filesystem::exists(temp));
  EXPECT_EQ(read_bytes(path), "old");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"x.npy"});
}

TEST(AtomicFileTest, MoveTransfersOwnership) {
  ScratchDir dir;
  AtomicFile a(dir.file("m.bin"));
  std::string temp = a.temp_path();
  AtomicFile b = std::move(a);
  EXPECT_EQ(b.temp_path(), temp);
  write_bytes(temp, "moved");
  b.commit();
  EXPECT_EQ(read_bytes(dir.file("m.bin")), "moved");
}

TEST(AtomicFileTest, RelativePathsWork) {
  ScratchDir dir;
  auto old = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  write_file_atomically("rel.txt", "r");
  std::filesystem::current_path(old);
  EXPECT_EQ(read_bytes(dir.file("rel.txt")), "r");
}

TEST(AtomicFileTest, Errors) {
  EXPECT_THROW_ALL(write_file_atomically("/nonexistent-dir/x.npy", "x"), OSError,
                   "/nonexistent-dir", "No such file");
  ScratchDir dir;
  EXPECT_THROW_ALL(AtomicFile{dir.path()}, OSError, "is a directory");
  EXPECT_THROW_ALL(AtomicFile{""}, OSError, "empty file path");
  // A commit whose temporary file was removed underneath fails cleanly.
  AtomicFile file(dir.file("gone.bin"));
  std::filesystem::remove(file.temp_path());
  EXPECT_THROW_ALL(file.commit(), OSError, "gone.bin");
}

TEST(AtomicFileTest, OnlyRegularWritableFilesAreReplaced) {
  ScratchDir dir;
  // A FIFO, a symlink (to a file, to /dev/null, dangling): refused, left as they are.
  std::string fifo = dir.file("fifo.npy");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_THROW_ALL(write_file_atomically(fifo, "x"), OSError, fifo, "not a regular file", "FIFO");
  write_bytes(dir.file("target.bin"), "target");
  std::filesystem::create_symlink(dir.file("target.bin"), dir.file("link.bin"));
  std::filesystem::create_symlink("/dev/null", dir.file("null.bin"));
  std::filesystem::create_symlink(dir.file("nowhere"), dir.file("dangling.bin"));
  for (const char* name : {"link.bin", "null.bin", "dangling.bin"})
    EXPECT_THROW_ALL(AtomicFile{dir.file(name)}, OSError, dir.file(name), "symbolic link");
  EXPECT_EQ(read_bytes(dir.file("target.bin")), "target");
  EXPECT_TRUE(std::filesystem::is_symlink(dir.file("link.bin")));
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  // A read-only file (the mode bits decide, so this holds for root too).
  write_bytes(dir.file("ro.bin"), "keep");
  ::chmod(dir.file("ro.bin").c_str(), 0444);
  EXPECT_THROW_ALL(write_file_atomically(dir.file("ro.bin"), "x"), OSError, "ro.bin",
                   "is read-only");
  EXPECT_EQ(read_bytes(dir.file("ro.bin")), "keep");
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"dangling.bin", "fifo.npy", "link.bin",
                                                     "null.bin", "ro.bin", "target.bin"}));
}

TEST(AtomicFileTest, TargetReplacedByASymlinkBeforeCommitIsRefused) {
  ScratchDir dir;
  std::string path = dir.file("out.bin");
  write_bytes(dir.file("victim.bin"), "victim");
  AtomicFile file(path);
  write_bytes(file.temp_path(), "new");
  std::filesystem::create_symlink(dir.file("victim.bin"), path);
  EXPECT_THROW_ALL(file.commit(), OSError, path, "symbolic link");
  EXPECT_TRUE(std::filesystem::is_symlink(path));
  EXPECT_EQ(read_bytes(dir.file("victim.bin")), "victim");
}

TEST(AtomicFileTest, TemporaryNamesFitNameMax) {
  ScratchDir dir;
  for (size_t length : {200, 240, 250, 255}) {
    std::string name(length, 'a');
    name[0] = static_cast<char>('a' + length % 26);
    AtomicFile file(dir.file(name));
    EXPECT_LE(std::filesystem::path(file.temp_path()).filename().string().size(), 255u - 7);
    write_bytes(file.temp_path(), "long");
    file.commit();
    EXPECT_EQ(read_bytes(dir.file(name)), "long");
  }
  // Two long names with the same first 200 bytes get different temporaries.
  AtomicFile a(dir.file(std::string(250, 'x') + "1")), b(dir.file(std::string(250, 'x') + "2"));
  EXPECT_NE(a.temp_path().substr(0, a.temp_path().size() - 8),
            b.temp_path().substr(0, b.temp_path().size() - 8));
  EXPECT_THROW_ALL(AtomicFile{dir.file(std::string(256, 'z'))}, OSError, "File name too long");
}

}  // namespace
}  // namespace keras::saving
