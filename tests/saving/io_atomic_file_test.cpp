// AtomicFile / write_file_atomically (keras/saving/atomic_file.hpp).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "keras/core/errors.hpp"
#include "keras/saving/atomic_file.hpp"
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
  EXPECT_THROW_MESSAGE(file.commit(), OSError, "already committed");
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
  EXPECT_THROW_MESSAGE(write_file_atomically("/nonexistent-dir/x.npy", "x"), OSError,
                       "/nonexistent-dir", "No such file");
  ScratchDir dir;
  EXPECT_THROW_MESSAGE(AtomicFile{dir.path()}, OSError, "is a directory");
  EXPECT_THROW_MESSAGE(AtomicFile{""}, OSError, "empty file path");
  // A commit whose temporary file was removed underneath fails cleanly.
  AtomicFile file(dir.file("gone.bin"));
  std::filesystem::remove(file.temp_path());
  EXPECT_THROW_MESSAGE(file.commit(), OSError, "gone.bin");
}

}  // namespace
}  // namespace keras::saving
