// Class 7 of docs/security.md, weights files: a sharded index names files in its own folder only
// (a symlink there may not lead outside), and nothing waits on a FIFO given as a weights file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

namespace fs = std::filesystem;

class WeightsFiles : public ::testing::Test {
 protected:
  std::string dir = test_dir();
  std::string model = fixture("dense_mlp", ".keras");
  std::string index(const std::string& shard) {
    return write_file(
        dir + "/m.weights.json",
        "{\"metadata\": {}, \"weight_map\": {\"/layers/dense/vars\": \"" + shard + "\"}}");
  }
};

TEST_F(WeightsFiles, SymlinkedShardLeadingOutsideIsRefused) {
  std::string outside = temp_dir("outside_of_index_folder");
  fs::copy_file(fixture("dense_mlp", ".weights.h5"), outside + "/real.weights.h5");
  for (const std::string& target :
       {outside + "/real.weights.h5", std::string("/etc/passwd"), std::string("../x.weights.h5")}) {
    fs::remove(dir + "/a.weights.h5");
    fs::create_symlink(target, dir + "/a.weights.h5");
    RunResult r = run_process({driver(), "load_weights", model, index("a.weights.h5")});
    expect_clean_error(r, 4, {"a.weights.h5", "symbolic link", "outside"});
  }
}

TEST_F(WeightsFiles, SymlinkInsideTheFolderStillLoads) {
  fs::copy_file(fixture("dense_mlp", ".weights.h5"), dir + "/real.weights.h5");
  std::string json = index("a.weights.h5");
  fs::create_symlink("real.weights.h5", dir + "/a.weights.h5");
  RunResult r = run_process({driver(), "load_weights", model, json});
  // The shard has the wrong layout for a one-entry index, but it is opened and read: the error
  // (if any) is about the weights, not the link.
  EXPECT_EQ(r.signal, 0) << r.describe();
  EXPECT_EQ(r.err.find("symbolic link"), std::string::npos) << r.describe();
}

TEST_F(WeightsFiles, FifosAreRefusedWithoutWaiting) {
  ASSERT_EQ(mkfifo((dir + "/f.weights.h5").c_str(), 0600), 0);
  RunResult r =
      run_process({driver(), "load_weights", model, dir + "/f.weights.h5"}, {.timeout_s = 20});
  expect_clean_error(r, 4, {"f.weights.h5", "not a regular file"});
  r = run_process({driver(), "load_weights", model, index("f.weights.h5")}, {.timeout_s = 20});
  expect_clean_error(r, 4, {"f.weights.h5", "not a regular file"});
  ASSERT_EQ(mkfifo((dir + "/f.keras").c_str(), 0600), 0);
  r = run_process({driver(), "load_model", dir + "/f.keras"}, {.timeout_s = 20});
  expect_clean_error(r, 4, {"f.keras"});
  ASSERT_EQ(mkfifo((dir + "/g.weights.json").c_str(), 0600), 0);
  r = run_process({driver(), "load_weights", model, dir + "/g.weights.json"}, {.timeout_s = 20});
  expect_clean_error(r, 4, {"g.weights.json"});
}

}  // namespace
}  // namespace keras::hostile
