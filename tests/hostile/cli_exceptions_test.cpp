// keras-cpp and the examples never reach std::terminate: JSON of the wrong type, exceptions that
// are not keras errors and allocation failures end in a message naming the command and the file,
// with a documented exit code (src/tools/model_commands.hpp).
#include <gtest/gtest.h>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"
#include "keras/keras.hpp"
#include "keras/saving/numpy.hpp"

namespace keras::hostile {
namespace {

class CliExceptions : public ::testing::Test {
 protected:
  std::string dir = test_dir();
  std::string with_member(const std::string& member, const std::string& text) {
    return fixture_with_member("dense_mlp", dir + "/m.keras", member, text);
  }
};

TEST_F(CliExceptions, MetadataJsonOfTheWrongType) {
  for (std::string text :
       {"[1, 2]", "\"a string\"", "5", "null", "true", "{\"keras_version\": [1, {\"a\": 2}]}"}) {
    std::string path = with_member("metadata.json", text);
    RunResult r = run_process({cli(), "inspect", path});
    SCOPED_TRACE(text);
    if (text[0] == '{') {  // an object: listed, whatever its values
      EXPECT_EQ(r.exit_code, 0) << r.describe();
      expect_clean_error(r, 0, {});
    } else {
      expect_clean_error(r, 4, {path, "metadata.json", "object"});
    }
    r = run_process({cli(), "inspect", "--json", path});
    if (text[0] == '{')
      expect_clean_error(r, 0, {});
    else
      expect_clean_error(r, 4, {path, "metadata.json", "object"});
  }
}

TEST_F(CliExceptions, ConfigJsonOfTheWrongType) {
  std::vector<std::function<void(Config&)>> edits = {
      [](Config& c) { c["class_name"] = 5; },
      [](Config& c) { c["class_name"] = Config::array(); },
      [](Config& c) { c["config"] = "layers"; },
      [](Config& c) { c["config"]["layers"] = 7; },
      [](Config& c) { c["config"]["layers"][1] = "dense"; },
      [](Config& c) { c["config"]["layers"][1]["class_name"] = 5; },
      [](Config& c) { c["config"]["layers"][1]["config"] = Config::array(); },
      [](Config& c) { c["config"]["layers"][1]["config"]["name"] = 12; },
  };
  // Only inspect reads these (summary and predict load without compiling).
  std::vector<std::function<void(Config&)>> inspect_only = {
      [](Config& c) { c["compile_config"] = Config::array({1}); },
      [](Config& c) {
        c["compile_config"] = {{"optimizer", {{"class_name", 3}}}};
      },
      [](Config& c) {
        c["compile_config"] = {{"optimizer", Config::array()}, {"loss", 5}};
      },
  };
  size_t loading = edits.size();
  edits.insert(edits.end(), inspect_only.begin(), inspect_only.end());
  for (size_t i = 0; i < edits.size(); ++i) {
    std::string path = edited_fixture("dense_mlp", dir + "/m.keras", edits[i]);
    SCOPED_TRACE("edit " + std::to_string(i));
    int load_exit = i < loading ? 4 : 0;
    RunResult summary = run_process({cli(), "summary", path});
    expect_clean_error(summary, load_exit, {i < loading ? path : ""});
    // inspect lists what it can read of a config without loading the model.
    for (bool as_json : {false, true}) {
      std::vector<std::string> argv = {cli(), "inspect", path};
      if (as_json) argv.push_back("--json");
      RunResult r = run_process(argv);
      EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 4) << r.describe();
      expect_clean_error(r, r.exit_code, {});
    }
    RunResult p = run_process({cli(), "predict", path, fixture("dense_mlp", ".npz"), "-o",
                               dir + "/out.npz", "--backend", "cpu"});
    expect_clean_error(p, load_exit, {i < loading ? path : ""});
  }
}

TEST_F(CliExceptions, InvalidUtf8InMetadataIsABadModelFile) {
  // The JSON parser rejects ill-formed UTF-8: an invalid model file, not an abort.
  std::string path = with_member("metadata.json", "{\"keras_version\": \"\xc3\x28\"}");
  for (const char* flag : {"", "--json"}) {
    std::vector<std::string> argv = {cli(), "inspect", path};
    if (*flag) argv.push_back(flag);
    expect_clean_error(run_process(argv), 4, {path, "metadata.json"});
  }
}

// The smallest address-space limit under which `argv` succeeds, to 16 MiB (0: none up to 6 GiB).
uint64_t smallest_working_limit(const std::vector<std::string>& argv) {
  uint64_t lo = 16ull << 20, hi = kAddressSpaceLimit;
  if (run_process(argv, {.address_space_limit = hi}).exit_code != 0) return 0;
  while (hi - lo > (16ull << 20)) {
    uint64_t mid = lo + (hi - lo) / 2;
    (run_process(argv, {.address_space_limit = mid}).exit_code == 0 ? hi : lo) = mid;
  }
  return hi;
}

TEST_F(CliExceptions, OutOfMemoryIsReportedAsAnError) {
  if (!kAddressSpaceLimited) GTEST_SKIP() << "RLIMIT_AS is not applied under AddressSanitizer";
  std::string model = fixture("dense_mlp", ".keras");
  int64_t features = 0;
  for (auto& [name, array] : saving::load_npz(fixture("dense_mlp", ".npz")))
    if (name == "input_0") features = array.shape[1];
  ASSERT_GT(features, 0);
  std::string small = dir + "/small.npz", large = dir + "/large.npz";
  saving::save_npz(small, {{"input_0", ops::zeros({8, features})}});
  // 128 MiB of inputs: far more than the 16-32 MiB of headroom left below.
  saving::save_npz(large, {{"input_0", ops::zeros({(int64_t{32} << 20) / features, features})}});
  std::vector<std::string> argv = {cli(), "predict",        model,       small,
                                   "-o",  dir + "/out.npz", "--backend", "cpu"};
  uint64_t limit = smallest_working_limit(argv);
  ASSERT_GT(limit, 0u);
  argv[3] = large;
  RunResult r = run_process(argv, {.address_space_limit = limit + (16ull << 20)});
  expect_clean_error(r, 1, {"out of memory", "predict"});
  EXPECT_TRUE(r.err.find(large) != std::string::npos || r.err.find(model) != std::string::npos)
      << r.describe();
  std::error_code ec;
  std::filesystem::remove(large, ec);
}

TEST_F(CliExceptions, ExamplesReportEveryError) {
  if (example("fashion_mnist_convnet").empty()) GTEST_SKIP() << "examples not built";
  // A data file that is a directory: the dataset loader's error, printed, exit 1.
  std::filesystem::create_directory(dir + "/train-images-idx3-ubyte.gz");
  for (const char* program :
       {"fashion_mnist_convnet", "fashion_mnist_lstm", "transformer_encoder"}) {
    RunResult r = run_process({example(program), "--epochs", "1"},
                              {.timeout_s = 30, .env = {{"KERAS_FASHION_MNIST_DIR", dir}}});
    expect_clean_error(r, 1, {"train-images-idx3-ubyte.gz"});
  }
}

}  // namespace
}  // namespace keras::hostile
