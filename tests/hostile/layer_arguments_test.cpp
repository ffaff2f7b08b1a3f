// Window arguments (pool_size, strides, kernel_size, dilation_rate) near 2**63 are refused by the
// layer that declares them, with a ValueError naming the layer, the argument and the value, instead
// of reaching oneDNN (whose message names neither) when the model first runs.
#include <gtest/gtest.h>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

constexpr int64_t kHuge = 1000000000000000000;  // 1e18

class LayerArguments : public ::testing::Test {
 protected:
  std::string dir = test_dir();
  // Runs predict on a batch of 1 of fixture `name` with layer `layer_name`'s `arg` set to `value`.
  RunResult predict(const std::string& name, const std::string& layer_name, const char* arg,
                    const Config& value) {
    std::string path = edited_fixture(name, dir + "/m.keras", [&](Config& c) {
      bool found = false;
      for (Config& l : c["config"]["layers"])
        if (l["config"].value("name", "") == layer_name) {
          l["config"][arg] = value;
          found = true;
        }
      ASSERT_TRUE(found) << layer_name;
    });
    return run_process({driver(), "predict", path, "1"});
  }
};

TEST_F(LayerArguments, PoolingWindows) {
  struct Case {
    const char* layer;
    const char* class_name;
    const char* arg;
    Config value;
    const char* as_written;
  };
  std::vector<Case> cases = {
      {"max_pooling2d_2", "MaxPooling2D", "strides", Config::array({kHuge, kHuge}),
       "(1000000000000000000, 1000000000000000000)"},
      {"max_pooling2d_5", "MaxPooling2D", "strides", Config::array({1, kHuge}),
       "(1, 1000000000000000000)"},
      {"max_pooling2d_2", "MaxPooling2D", "pool_size", Config::array({kHuge, 2}),
       "(1000000000000000000, 2)"},
      {"max_pooling1d_2", "MaxPooling1D", "strides", Config::array({kHuge}),
       "(1000000000000000000,)"},
      {"average_pooling3d_2", "AveragePooling3D", "strides", Config::array({2, 2, kHuge}),
       "(2, 2, 1000000000000000000)"},
      {"average_pooling1d_5", "AveragePooling1D", "pool_size", Config::array({4294967296}),
       "(4294967296,)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.layer) + "." + c.arg);
    RunResult r = predict("pooling", c.layer, c.arg, c.value);
    expect_clean_error(r, 4,
                       {std::string(c.class_name) + " '" + c.layer + "'",
                        "`" + std::string(c.arg) + "`", c.as_written, "at most 2147483647"});
  }
}

TEST_F(LayerArguments, ConvolutionWindows) {
  RunResult r = predict("conv2d", "conv2d", "strides", Config::array({kHuge, kHuge}));
  expect_clean_error(r, 4, {"Conv2D 'conv2d'", "`strides`", "1000000000000000000"});
  r = predict("conv2d", "conv2d_1", "kernel_size", Config::array({3, kHuge}));
  expect_clean_error(r, 4, {"Conv2D 'conv2d_1'", "`kernel_size`", "1000000000000000000"});
  r = predict("conv2d", "conv2d", "dilation_rate", Config::array({kHuge, 1}));
  expect_clean_error(r, 4, {"Conv2D 'conv2d'", "`dilation_rate`", "1000000000000000000"});
  r = predict("conv2d_transpose", "conv2d_transpose_2", "strides", Config::array({kHuge, kHuge}));
  expect_clean_error(r, 4,
                     {"Conv2DTranspose 'conv2d_transpose_2'", "`strides`", "1000000000000000000"});
}

TEST_F(LayerArguments, LargeButSaneStridesStillRun) {
  // A stride larger than the input is valid Keras (one window); it must not be refused.
  RunResult r = predict("pooling", "max_pooling2d_2", "strides", Config::array({1000, 1000}));
  EXPECT_EQ(r.exit_code, 0) << r.describe();
}

}  // namespace
}  // namespace keras::hostile
