// Integer flags of keras-cpp and of the examples: parsed exactly (no overflow, no trailing junk,
// no silent truncation), and extreme values that are legal do not overflow inside predict.
#include <gtest/gtest.h>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"
#include "keras/keras.hpp"
#include "keras/saving/numpy.hpp"

namespace keras::hostile {
namespace {

class IntegerFlags : public ::testing::Test {
 protected:
  std::string dir = test_dir();

  RunResult predict(const std::string& inputs, const std::string& output,
                    const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {
        cli(), "predict", fixture("dense_mlp", ".keras"), inputs, "-o", output, "--backend", "cpu"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv);
  }
  static std::string output_0(const std::string& npz) {
    for (auto& [name, array] : saving::load_npz(npz))
      if (name == "output_0") return array.descr + array.shape.to_string() + array.data;
    return "";
  }
};

TEST_F(IntegerFlags, HugeBatchSizesPredictLikeTheDefault) {
  std::string inputs = fixture("dense_mlp", ".npz");
  RunResult r = predict(inputs, dir + "/ref.npz");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::string ref = output_0(dir + "/ref.npz");
  ASSERT_FALSE(ref.empty());
  for (const char* batch_size :
       {"9223372036854775807", "9223372036854775806", "4611686018427387905", "2147483648", "1"}) {
    std::string out = dir + "/out.npz";
    r = predict(inputs, out, {"--batch-size", batch_size});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(output_0(out), ref) << "--batch-size " << batch_size;
  }
}

TEST_F(IntegerFlags, BadBatchSizesAreUsageErrors) {
  for (const char* bad : {"9223372036854775808", "99999999999999999999", "-1", "0", "3x", "", " 4",
                          "1e3", "0x10", "+-3"}) {
    RunResult r = predict(fixture("dense_mlp", ".npz"), dir + "/out.npz", {"--batch-size", bad});
    expect_clean_error(r, 2, {"--batch-size", std::string("'") + bad + "'"});
  }
}

TEST_F(IntegerFlags, PredictOnZeroSamplesIsAnInputError) {
  // Keras 3 cannot predict on an empty input either; an empty output file would hide the mistake.
  int64_t features = 0;
  for (auto& [name, array] : saving::load_npz(fixture("dense_mlp", ".npz")))
    if (name == "input_0") features = array.shape[1];
  ASSERT_GT(features, 0);
  std::string inputs = dir + "/empty.npz";
  saving::save_npz(inputs, {{"input_0", ops::zeros({0, features})}});
  RunResult r = predict(inputs, dir + "/out.npz");
  expect_clean_error(r, 5, {inputs, "0 samples"});
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.npz"));
  r = predict(inputs, dir + "/out.npz", {"--batch-size", "9223372036854775807"});
  expect_clean_error(r, 5, {inputs, "0 samples"});
}

TEST_F(IntegerFlags, ExampleFlagsParseExactly) {
  if (example("fashion_mnist_convnet").empty()) GTEST_SKIP() << "examples not built";
  // An empty data directory: were a flag accepted, the example would stop at the data (exit 1).
  std::map<std::string, std::string> env = {{"KERAS_FASHION_MNIST_DIR", dir}};
  struct Case {
    std::string program, flag, value;
  };
  std::vector<Case> cases;
  // Every bad value on one program; the three share examples/example_args.hpp, so the others get
  // one value per flag (each run starts a process: this keeps the test at ~20 s).
  for (const char* flag : {"--epochs", "--batch-size", "--limit", "--verbose"})
    for (const char* value :
         {"99999999999999999999", "9223372036854775808", "-1", "12abc", "", "1.5", " 3", "0x10"})
      cases.push_back({"fashion_mnist_convnet", flag, value});
  for (const char* program : {"fashion_mnist_lstm", "transformer_encoder"})
    for (const char* flag : {"--epochs", "--batch-size", "--limit", "--verbose"})
      cases.push_back({program, flag, "9223372036854775808"});
  for (const char* program :
       {"fashion_mnist_convnet", "fashion_mnist_lstm", "transformer_encoder"}) {
    // Values that fit an int64 but not the int the example keeps (silently truncated before).
    cases.push_back({program, "--epochs", "4294967297"});
    cases.push_back({program, "--epochs", "2147483648"});
    cases.push_back({program, "--verbose", "3"});
    cases.push_back({program, "--batch-size", "0"});
  }
  cases.push_back({"transformer_encoder", "--heads", "99999999999999999999"});
  cases.push_back({"transformer_encoder", "--heads", "0"});
  cases.push_back({"transformer_encoder", "--dim", "-8"});
  for (const Case& c : cases) {
    RunResult r = run_process({example(c.program), c.flag, c.value}, {.timeout_s = 30, .env = env});
    SCOPED_TRACE(c.program + " " + c.flag + " '" + c.value + "'");
    expect_clean_error(r, 2, {c.flag, "'" + c.value + "'"});
  }
}

}  // namespace
}  // namespace keras::hostile
