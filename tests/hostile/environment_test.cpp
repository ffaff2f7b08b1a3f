// The environment as input: keras.json ($KERAS_HOME) and KERAS_BACKEND. A bad one is an
// environment error (exit code 6) naming keras.json or KERAS_BACKEND, whatever the command, and
// a keras.json that is not a regular file is refused without being opened for a blocking read.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

namespace fs = std::filesystem;

constexpr int kExitEnvironment = 6;

class Environment : public ::testing::Test {
 protected:
  std::string dir = test_dir();
  std::string keras_json = dir + "/keras.json";

  // Every command that reads the configuration, under KERAS_HOME=dir and `env`.
  std::vector<RunResult> run_all(std::map<std::string, std::string> env = {}) {
    env["KERAS_HOME"] = dir;
    std::string model = fixture("dense_mlp", ".keras");
    std::vector<RunResult> out;
    for (std::vector<std::string> argv : std::vector<std::vector<std::string>>{
             {cli(), "info"},
             {cli(), "info", "--json"},
             {cli(), "summary", model},
             {cli(), "inspect", model},
             {cli(), "predict", model, fixture("dense_mlp", ".npz"), "-o", dir + "/out.npz"},
         })
      out.push_back(run_process(argv, {.timeout_s = 20, .env = env}));
    return out;
  }
};

TEST_F(Environment, KerasJsonFifoDoesNotBlock) {
  ASSERT_EQ(::mkfifo(keras_json.c_str(), 0644), 0);
  for (const RunResult& r : run_all())
    expect_clean_error(r, kExitEnvironment, {"keras.json", "not a regular file"});
}

TEST_F(Environment, KerasJsonDirectory) {
  fs::create_directory(keras_json);
  for (const RunResult& r : run_all())
    expect_clean_error(r, kExitEnvironment, {keras_json, "is a directory"});
}

TEST_F(Environment, KerasJsonUnreadable) {
  // A symlink loop: unreadable even for root, which a chmod 000 file is not.
  fs::create_symlink(keras_json, keras_json);
  for (const RunResult& r : run_all())
    expect_clean_error(r, kExitEnvironment,
                       {keras_json, "cannot be read", "Too many levels of symbolic links"});
}

TEST_F(Environment, KerasJsonInvalidContent) {
  for (const std::string& text :
       {std::string("[1, 2]"), std::string("\"cpu\""), std::string("{\"floatx\": 5}"),
        std::string("{\"floatx\": \"int8\"}"), std::string("{\"epsilon\": \"small\"}"),
        std::string("{\"image_data_format\": \"sideways\"}"),
        std::string("{\"backend\": [\"cpu\"]}"), std::string("{nope"), std::string("\xff\xfe{}")}) {
    write_file(keras_json, text);
    for (const RunResult& r : run_all()) expect_clean_error(r, kExitEnvironment, {keras_json});
  }
}

TEST_F(Environment, UnknownBackendInKerasJsonFallsBackToCpu) {
  // Python Keras writes "tensorflow" on first import: a warning, not an error (config.cpp).
  write_file(keras_json, "{\"backend\": \"tensorflow\"}");
  RunResult r = run_process({cli(), "info"}, {.env = {{"KERAS_HOME", dir}}});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("tensorflow"), std::string::npos) << r.describe();
}

TEST_F(Environment, BadKerasBackend) {
  for (std::string name : {"nonsense", "CPU", "cpu ", "../cpu"}) {
    for (const RunResult& r : run_all({{"KERAS_BACKEND", name}}))
      expect_clean_error(r, kExitEnvironment, {"KERAS_BACKEND", "\"" + name + "\"", "cpu"});
  }
  // --backend chooses the backend explicitly: KERAS_BACKEND is then not used.
  RunResult r =
      run_process({cli(), "predict", fixture("dense_mlp", ".keras"), fixture("dense_mlp", ".npz"),
                   "-o", dir + "/out.npz", "--backend", "cpu"},
                  {.env = {{"KERAS_HOME", dir}, {"KERAS_BACKEND", "nonsense"}}});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  // A bad --backend is a usage error, not an environment one.
  r = run_process({cli(), "predict", fixture("dense_mlp", ".keras"), fixture("dense_mlp", ".npz"),
                   "-o", dir + "/out.npz", "--backend", "nonsense"},
                  {.env = {{"KERAS_HOME", dir}}});
  expect_clean_error(r, 2, {"nonsense"});
}

TEST_F(Environment, HelpDocumentsTheExitCodes) {
  RunResult r = run_process({cli(), "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const char* part :
       {"1 runtime error", "2 usage error", "3 file not found", "4 invalid model file",
        "5 invalid or incompatible input data", "6 environment or configuration error"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
}

}  // namespace
}  // namespace keras::hostile
