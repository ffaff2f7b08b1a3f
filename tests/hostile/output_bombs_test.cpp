// Class "output-size bombs" of docs/security.md: layers without weights (or with tiny ones) whose
// outputs are enormous pass the variable budget; the activation budget
// (src/serialization/activation_budget.hpp) refuses them at load_model (batch size 1) and before
// the first batch of predict (the real batch size), allocating nothing. Each case is bounded at 256
// MiB of peak RSS over `keras-cpp info`.
#include <gtest/gtest.h>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"
#include "keras/ops/ops.hpp"
#include "keras/saving/numpy.hpp"

namespace keras::hostile {
namespace {

constexpr uint64_t kMemoryBound = 256ull << 20;

Config layer(const std::string& class_name, Config config) {
  Config e = Config::object();
  e["module"] = "keras.layers";
  e["class_name"] = class_name;
  e["config"] = std::move(config);
  e["registered_name"] = nullptr;
  return e;
}

Config input_layer(std::vector<int64_t> shape) {
  Config batch = Config::array({nullptr});
  for (int64_t d : shape) batch.push_back(d);
  Config c = Config::object();
  c["batch_shape"] = batch;
  c["dtype"] = "float32";
  c["name"] = "input_layer";
  return layer("InputLayer", c);
}

Config named(const std::string& name, Config c) {
  c["name"] = name;
  return c;
}

class OutputBombs : public ::testing::Test {
 protected:
  std::string dir = test_dir();
  // A Sequential of an Input of `shape` and `bomb` (dense_mlp's weights file: loading fails first).
  std::string sequential(const std::string& file, std::vector<int64_t> shape, const Config& bomb) {
    return edited_fixture("dense_mlp", dir + "/" + file, [&](Config& c) {
      c["config"]["layers"] = Config::array({input_layer(shape), bomb});
    });
  }
};

struct Bomb {
  const char* name;
  std::vector<int64_t> input_shape;
  Config layer;
  const char* output_shape;  // as the message writes it
};

TEST_F(OutputBombs, LoadModelRefusesHugeOutputsOfWeightlessLayers) {
  Config pairs_2d =
      Config::array({Config::array({100000, 100000}), Config::array({100000, 100000})});
  std::vector<Bomb> bombs = {
      {"RepeatVector",
       {10},
       layer("RepeatVector", named("bomb", {{"n", 1000000000}})),
       "(None, 1000000000, 10)"},
      {"UpSampling1D",
       {10, 3},
       layer("UpSampling1D", named("bomb", {{"size", 1000000000}})),
       "(None, 10000000000, 3)"},
      {"UpSampling2D",
       {8, 8, 3},
       layer("UpSampling2D", named("bomb", {{"size", 5000}})),
       "(None, 40000, 40000, 3)"},
      {"UpSampling3D",
       {4, 4, 4, 1},
       layer("UpSampling3D", named("bomb", {{"size", 2000}})),
       "(None, 8000, 8000, 8000, 1)"},
      {"ZeroPadding1D",
       {10, 3},
       layer("ZeroPadding1D", named("bomb", {{"padding", 1000000000}})),
       "(None, 2000000010, 3)"},
      {"ZeroPadding2D",
       {8, 8, 3},
       layer("ZeroPadding2D", named("bomb", {{"padding", pairs_2d}})),
       "(None, 200008, 200008, 3)"},
      {"ZeroPadding3D",
       {4, 4, 4, 1},
       layer("ZeroPadding3D", named("bomb", {{"padding", 2000}})),
       "(None, 4004, 4004, 4004, 1)"},
      {"Conv2DTranspose",
       {4, 4, 1},
       layer("Conv2DTranspose",
             named("bomb", {{"filters", 1}, {"kernel_size", 1}, {"strides", 100000}})),
       "(None, 400000, 400000, 1)"},
      {"Embedding",
       {100000},
       layer("Embedding", named("bomb", {{"input_dim", 10}, {"output_dim", 100000}})),
       "(None, 100000, 100000)"},
  };
  for (const Bomb& b : bombs) {
    SCOPED_TRACE(b.name);
    std::string path = sequential(std::string(b.name) + ".keras", b.input_shape, b.layer);
    RunResult r = run_process({driver(), "load_model", path});
    expect_clean_error(r, 4,
                       {std::string(b.name) + " 'bomb'", b.output_shape, "at batch size 1",
                        "4294967296 bytes", "KERAS_MAX_ACTIVATION_BYTES"});
    expect_memory_under(r, kMemoryBound);
  }
}

TEST_F(OutputBombs, ShapesPastInt64AreValueErrorsNamingTheLayer) {
  std::string path = sequential(
      "m.keras", {8, 8, 3}, layer("UpSampling2D", named("bomb", {{"size", 4000000000000000000}})));
  RunResult r = run_process({driver(), "load_model", path});
  expect_clean_error(r, 4, {"UpSampling2D 'bomb'", "does not fit in 64 bits"});
  expect_memory_under(r, kMemoryBound);
  path = sequential("p.keras", {8, 3},
                    layer("ZeroPadding1D", named("bomb", {{"padding", 4611686018427387904}})));
  r = run_process({driver(), "load_model", path});
  expect_clean_error(r, 4, {"ZeroPadding1D 'bomb'", "does not fit in 64 bits"});
}

TEST_F(OutputBombs, TheLimitComesFromTheEnvironment) {
  // 10 * 1000 float32 = 40000 bytes per sample: loads by default, not under a 1000-byte limit.
  std::string path =
      sequential("m.keras", {10}, layer("RepeatVector", named("small", {{"n", 1000}})));
  RunResult r = run_process({driver(), "load_model", path},
                            {.env = {{"KERAS_MAX_ACTIVATION_BYTES", "1000"}}});
  expect_clean_error(r, 4, {"RepeatVector 'small'", "40000 bytes", "limit of 1000 bytes"});
  r = run_process({driver(), "load_model", path},
                  {.env = {{"KERAS_MAX_ACTIVATION_BYTES", "12abc"}}});
  expect_clean_error(r, 4, {"KERAS_MAX_ACTIVATION_BYTES", "12abc"});
}

// 4 * 10**8 bytes per sample pass load_model; 32 samples do not pass predict.
std::string batch_bomb(const std::string& dir) {
  return edited_fixture("dense_mlp", dir + "/m.keras", [](Config& c) {
    Config& layers = c["config"]["layers"];
    layers.insert(layers.begin() + 1, layer("RepeatVector", named("repeat", {{"n", 10000000}})));
  });
}

TEST_F(OutputBombs, PredictChecksTheActualBatchSize) {
  std::string path = batch_bomb(dir);
  RunResult r = run_process({driver(), "load_model", path});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = run_process({driver(), "predict", path, "32"});
  expect_clean_error(r, 4, {"RepeatVector 'repeat'", "at batch size 32 (predict)", "12800000000"});
  expect_memory_under(r, kMemoryBound);
}

TEST_F(OutputBombs, CliPredictRefusesTheBatch) {
  std::string path = batch_bomb(dir);
  std::string in = dir + "/in.npz";
  saving::save_npz(in, std::vector<std::pair<std::string, Tensor>>{
                           {"input_0", ops::zeros(Shape{32, 10}, DType::Float32)}});
  RunResult r = run_process({cli(), "predict", path, in, "-o", dir + "/out.npz"});
  expect_clean_error(r, 5, {"RepeatVector 'repeat'", "at batch size 32", "max_activation_bytes"});
  expect_memory_under(r, kMemoryBound);
}

}  // namespace
}  // namespace keras::hostile
