// keras::config: environment, keras.json and set_* calls, with the errors for bad input.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "keras/keras.hpp"

namespace keras {
namespace {

namespace fs = std::filesystem;

// Points KERAS_HOME at a fresh directory and restores the environment afterwards.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("keras_config_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    save("KERAS_HOME", old_home_, had_home_);
    save("KERAS_BACKEND", old_backend_, had_backend_);
    ::setenv("KERAS_HOME", dir_.c_str(), 1);
    ::unsetenv("KERAS_BACKEND");
    config::reload();
  }
  void TearDown() override {
    restore("KERAS_HOME", old_home_, had_home_);
    restore("KERAS_BACKEND", old_backend_, had_backend_);
    fs::remove_all(dir_);
    config::reload();
  }
  void write_json(const std::string& text) {
    std::ofstream(dir_ / "keras.json") << text;
    config::reload();
  }
  static void save(const char* name, std::string& value, bool& had) {
    const char* v = std::getenv(name);
    had = v != nullptr;
    value = v ? v : "";
  }
  static void restore(const char* name, const std::string& value, bool had) {
    if (had)
      ::setenv(name, value.c_str(), 1);
    else
      ::unsetenv(name);
  }
  fs::path dir_;
  std::string old_home_, old_backend_;
  bool had_home_ = false, had_backend_ = false;
};

TEST_F(ConfigTest, DefaultsMatchKeras) {
  EXPECT_EQ(config::backend(), "cpu");
  EXPECT_EQ(config::floatx(), DType::Float32);
  EXPECT_DOUBLE_EQ(config::epsilon(), 1e-7);
  EXPECT_EQ(config::image_data_format(), "channels_last");
  EXPECT_EQ(config::keras_json_path(), (dir_ / "keras.json").string());
}

TEST_F(ConfigTest, ReadsKerasJson) {
  write_json(R"({"floatx": "float64", "epsilon": 1e-5, "backend": "cpu",
                 "image_data_format": "channels_first"})");
  EXPECT_EQ(config::floatx(), DType::Float64);
  EXPECT_DOUBLE_EQ(config::epsilon(), 1e-5);
  EXPECT_EQ(config::image_data_format(), "channels_first");
  EXPECT_EQ(ops::zeros({2}).dtype(), DType::Float64);
}

TEST_F(ConfigTest, EnvironmentOverridesKerasJson) {
  write_json(R"({"backend": "does_not_exist"})");
  ::setenv("KERAS_BACKEND", "cpu", 1);
  config::reload();
  EXPECT_EQ(config::backend(), "cpu");
}

// The file Python Keras writes on its first import names "tensorflow": keras-cpp keeps working.
TEST_F(ConfigTest, KerasJsonFromPythonKerasFallsBackToCpu) {
  write_json(R"({"floatx": "float32", "epsilon": 1e-07, "backend": "tensorflow",
                 "image_data_format": "channels_last"})");
  EXPECT_EQ(config::backend(), "cpu");
  EXPECT_EQ(ops::ones({2}).backend_name(), "cpu");
  // Asking for it explicitly is still an error.
  ::setenv("KERAS_BACKEND", "tensorflow", 1);
  config::reload();
  EXPECT_THROW(ops::zeros({1}), ValueError);
}

TEST_F(ConfigTest, EveryBuiltBackendCanBeSelectedByEnvironment) {
  for (const std::string& name : backend::available_backends()) {
    ::setenv("KERAS_BACKEND", name.c_str(), 1);
    config::reload();
    EXPECT_EQ(config::backend(), name);
    EXPECT_EQ(ops::ones({3}).backend_name(), name);
  }
}

TEST_F(ConfigTest, InvalidJsonIsAnError) {
  write_json("{\"floatx\": ");
  try {
    config::floatx();
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("keras.json"), std::string::npos) << e.what();
  }
}

TEST_F(ConfigTest, WrongTypesInJsonAreErrors) {
  write_json(R"({"epsilon": "small"})");
  EXPECT_THROW(config::epsilon(), ValueError);
  write_json(R"({"floatx": "int32"})");
  try {
    config::floatx();
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("floatx"), std::string::npos) << e.what();
  }
  write_json(R"({"image_data_format": "channels_middle"})");
  EXPECT_THROW(config::image_data_format(), ValueError);
  write_json(R"([1, 2])");
  EXPECT_THROW(config::backend(), ValueError);
}

TEST_F(ConfigTest, UnknownBackendListsBuiltOnes) {
  try {
    config::set_backend("tensorflow");
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("Unknown backend \"tensorflow\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("\"cpu\""), std::string::npos) << msg;
  }
  ::setenv("KERAS_BACKEND", "nope", 1);
  config::reload();
  EXPECT_THROW(ops::zeros({1}), ValueError);
}

TEST_F(ConfigTest, KerasJsonMustBeARegularReadableFile) {
  fs::path json = dir_ / "keras.json";
  // A FIFO would block a plain open() forever.
  ASSERT_EQ(::mkfifo(json.c_str(), 0644), 0);
  config::reload();
  try {
    config::backend();
    FAIL() << "expected OSError";
  } catch (const OSError& e) {
    EXPECT_NE(std::string(e.what()).find("is not a regular file (it is a FIFO)"), std::string::npos)
        << e.what();
  }
  fs::remove(json);
  fs::create_directory(json);
  config::reload();
  try {
    config::floatx();
    FAIL() << "expected OSError";
  } catch (const OSError& e) {
    EXPECT_NE(std::string(e.what()).find(json.string() + ") is a directory"), std::string::npos)
        << e.what();
  }
  fs::remove(json);
  fs::create_symlink(json, json);  // ELOOP: unreadable, even for root
  config::reload();
  try {
    config::epsilon();
    FAIL() << "expected OSError";
  } catch (const OSError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot be read: Too many levels of symbolic links"),
              std::string::npos)
        << e.what();
  }
  // A dangling symlink is no keras.json at all, as before.
  fs::remove(json);
  fs::create_symlink(dir_ / "nowhere.json", json);
  config::reload();
  EXPECT_EQ(config::backend(), "cpu");
}

TEST_F(ConfigTest, UnknownKerasBackendNamesTheVariable) {
  ::setenv("KERAS_BACKEND", "nope", 1);
  config::reload();
  try {
    config::backend();
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("KERAS_BACKEND=\"nope\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("cpu"), std::string::npos) << msg;
  }
}

TEST_F(ConfigTest, SetBackendWinsOverEnvironment) {
  ::setenv("KERAS_BACKEND", "nope", 1);
  config::reload();
  config::set_backend("cpu");
  EXPECT_EQ(config::backend(), "cpu");
}

TEST_F(ConfigTest, SettersValidate) {
  EXPECT_THROW(config::set_floatx(DType::Int32), ValueError);
  EXPECT_THROW(config::set_image_data_format("nchw"), ValueError);
  config::set_floatx(DType::Float16);
  EXPECT_EQ(config::floatx(), DType::Float16);
}

}  // namespace
}  // namespace keras
