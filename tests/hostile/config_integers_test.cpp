// Integers in configs are read exactly (src/serialization/config_ints.hpp): a value past int64, a
// non-integral number or a float out of range is a ValueError naming the layer, the argument and
// the value as written, never a wrapped or truncated number.
#include <gtest/gtest.h>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

class ConfigIntegers : public ::testing::Test {
 protected:
  std::string dir = test_dir();
  RunResult load(const std::string& fixture_name, const std::function<void(Config&)>& edit) {
    return run_process(
        {driver(), "load_model", edited_fixture(fixture_name, dir + "/m.keras", edit)});
  }
};

TEST_F(ConfigIntegers, UnitsOutOfRangeOrNotIntegral) {
  struct Case {
    Config value;
    const char* as_written;
    const char* says;
  };
  std::vector<Case> cases = {
      {Config(18446744073709551615ull), "18446744073709551615", "fits in 64 bits"},
      {Config(9223372036854775808ull), "9223372036854775808", "fits in 64 bits"},
      {Config(1e300), "1e+300", "fits in 64 bits"},
      {Config(-1e300), "-1e+300", "fits in 64 bits"},
      {Config(9.3e18), "9.3e+18", "fits in 64 bits"},
      {Config(3.5), "3.5", "must be an integer"},
      {Config(16.000001), "16.000001", "must be an integer"},
      {Config("16"), "\"16\"", "must be an integer"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.as_written);
    RunResult r = load("dense_mlp",
                       [&](Config& m) { m["config"]["layers"][1]["config"]["units"] = c.value; });
    expect_clean_error(r, 4, {"Dense 'dense'", "`units`", c.as_written, c.says});
    // The old reader wrapped 2**64-1 to -1.
    if (c.as_written[0] != '-') EXPECT_EQ(r.err.find("got -"), std::string::npos) << r.err;
  }
}

TEST_F(ConfigIntegers, IntegralFloatsAreIntegers) {
  // Python's int(16.0): JSON writers other than Python's may write 16.0.
  RunResult r =
      load("dense_mlp", [](Config& m) { m["config"]["layers"][1]["config"]["units"] = 16.0; });
  EXPECT_EQ(r.exit_code, 0) << r.describe();
}

TEST_F(ConfigIntegers, ListsOfIntegers) {
  RunResult r = load("conv2d", [](Config& m) {
    m["config"]["layers"][1]["config"]["kernel_size"] = Config::array({3, 3.5});
  });
  expect_clean_error(r, 4, {"Conv2D 'conv2d'", "`kernel_size[1]`", "3.5"});
  r = load("conv2d", [](Config& m) {
    m["config"]["layers"][2]["config"]["strides"] = Config::array({18446744073709551615ull, 2});
  });
  expect_clean_error(r, 4, {"Conv2D 'conv2d_1'", "`strides[0]`", "18446744073709551615"});
  r = load("pooling", [](Config& m) {
    for (Config& l : m["config"]["layers"])
      if (l["class_name"] == "MaxPooling2D") l["config"]["pool_size"] = Config::array({2, 1e19});
  });
  expect_clean_error(r, 4, {"MaxPooling2D", "`pool_size[1]`", "1e+19"});
}

TEST_F(ConfigIntegers, ShapesAndSeeds) {
  RunResult r = load("dense_mlp", [](Config& m) {
    m["config"]["layers"][0]["config"]["batch_shape"] = Config::array({nullptr, 10.5});
  });
  expect_clean_error(r, 4, {"InputLayer", "`batch_shape[1]`", "10.5"});
  r = load("rescaling_and_dropout", [](Config& m) {
    for (Config& l : m["config"]["layers"])
      if (l["class_name"] == "Dropout") l["config"]["seed"] = 18446744073709551615ull;
  });
  expect_clean_error(r, 4, {"Dropout", "`seed`", "18446744073709551615"});
  r = load("dense_mlp", [](Config& m) {
    m["config"]["layers"][1]["build_config"]["input_shape"] = Config::array({nullptr, 1e300});
  });
  expect_clean_error(r, 4, {"Dense 'dense'", "build_config", "1e+300"});
}

}  // namespace
}  // namespace keras::hostile
