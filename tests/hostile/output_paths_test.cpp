// Output paths: an atomic save (temporary file + rename, src/serialization/atomic_file.cpp) writes
// only over regular files it may write, with temporary names that fit NAME_MAX, and never leaves a
// temporary file behind. Run through `keras-cpp predict -o`, the way a user hands a path over.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

namespace fs = std::filesystem;

class OutputPaths : public ::testing::Test {
 protected:
  std::string dir = test_dir();

  RunResult predict_to(const std::string& output) {
    return run_process({cli(), "predict", fixture("dense_mlp", ".keras"),
                        fixture("dense_mlp", ".npz"), "-o", output, "--backend", "cpu"});
  }
  // The directory's entries, so a test can see that no temporary file was left behind.
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  static mode_t lmode(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return 0;
    return st.st_mode;
  }
};

TEST_F(OutputPaths, FifoIsRefusedAndKept) {
  std::string fifo = dir + "/out.npz";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  RunResult r = predict_to(fifo);
  expect_clean_error(r, 1, {fifo, "not a regular file"});
  EXPECT_TRUE(S_ISFIFO(lmode(fifo))) << "the FIFO was replaced";
  EXPECT_EQ(entries(), std::vector<std::string>{"out.npz"});
}

TEST_F(OutputPaths, SymlinkIsRefusedAndItsTargetKept) {
  std::string target = write_file(dir + "/target.npz", "keep me");
  std::string link = dir + "/link.npz";
  fs::create_symlink(target, link);
  RunResult r = predict_to(link);
  expect_clean_error(r, 1, {link, "symbolic link"});
  EXPECT_TRUE(S_ISLNK(lmode(link))) << "the symlink was replaced";
  EXPECT_EQ(read_file(target), "keep me");
  EXPECT_EQ(entries(), (std::vector<std::string>{"link.npz", "target.npz"}));
  // A dangling symlink is refused too (rename would replace the link, not create its target).
  std::string dangling = dir + "/dangling.npz";
  fs::create_symlink(dir + "/nowhere.npz", dangling);
  expect_clean_error(predict_to(dangling), 1, {dangling, "symbolic link"});
  EXPECT_TRUE(S_ISLNK(lmode(dangling)));
  EXPECT_FALSE(fs::exists(dir + "/nowhere.npz"));
}

TEST_F(OutputPaths, DevNullIsNeverReplaced) {
  // First a symlink to /dev/null in our directory: harmless even where it would be replaced.
  std::string link = dir + "/null.npz";
  fs::create_symlink("/dev/null", link);
  expect_clean_error(predict_to(link), 1, {link});
  ASSERT_TRUE(S_ISLNK(lmode(link))) << "the symlink to /dev/null was replaced";
  // A character device of our own is out of reach without privileges; /dev/null itself is only
  // tried once the symlink case is refused (the old code renamed its temporary file over it).
  ASSERT_TRUE(S_ISCHR(lmode("/dev/null")));
  RunResult r = predict_to("/dev/null");
  expect_clean_error(r, 1, {"/dev/null", "not a regular file"});
  EXPECT_TRUE(S_ISCHR(lmode("/dev/null"))) << "/dev/null is no longer a character device";
}

TEST_F(OutputPaths, ReadOnlyFileIsRefusedAndKept) {
  // Root may write a 0444 file: the refusal reads the mode bits, not access().
  std::string path = write_file(dir + "/ro.npz", "read-only content");
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  RunResult r = predict_to(path);
  expect_clean_error(r, 1, {path, "read-only"});
  EXPECT_EQ(read_file(path), "read-only content");
  EXPECT_EQ(lmode(path) & 07777, 0444u);
  EXPECT_EQ(entries(), std::vector<std::string>{"ro.npz"});
}

TEST_F(OutputPaths, ReplacedFileKeepsItsMode) {
  std::string path = write_file(dir + "/out.npz", "old");
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  RunResult r = predict_to(path);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(S_ISREG(lmode(path)));
  EXPECT_EQ(lmode(path) & 07777, 0640u);
  EXPECT_NE(read_file(path), "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.npz"});
}

TEST_F(OutputPaths, LongFileNamesFitNameMax) {
  // 250 and 255 bytes: legal names whose ".<name>.tmp-XXXXXXXX" temporary would not be.
  for (size_t length : {250, 255}) {
    std::string name = std::string(length - 4, 'n') + ".npz";
    RunResult r = predict_to(dir + "/" + name);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(fs::is_regular_file(dir + "/" + name));
    EXPECT_EQ(entries(), std::vector<std::string>{name});
    fs::remove(dir + "/" + name);
  }
  // A name over NAME_MAX is the system's error, naming the path, and leaves nothing behind.
  std::string too_long = dir + "/" + std::string(300, 'x') + ".npz";
  expect_clean_error(predict_to(too_long), 1, {"File name too long"});
  EXPECT_TRUE(entries().empty());
}

TEST_F(OutputPaths, UnwritablePlacesLeaveNothingBehind) {
  expect_clean_error(predict_to(dir + "/missing/out.npz"), 1, {dir + "/missing/out.npz"});
  fs::create_directory(dir + "/sub");
  expect_clean_error(predict_to(dir + "/sub"), 1, {dir + "/sub", "is a directory"});
  expect_clean_error(predict_to(dir + "/sub/"), 1, {dir + "/sub/"});
  EXPECT_EQ(entries(), std::vector<std::string>{"sub"});
  EXPECT_TRUE(fs::is_empty(dir + "/sub"));
}

}  // namespace
}  // namespace keras::hostile
