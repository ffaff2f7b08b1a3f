// Models with very many layers load in linear time: a Sequential of 20,000 layers used to take
// minutes (every add() re-ran the whole stack symbolically and compared the new name with every
// earlier one).
#include <gtest/gtest.h>

#include <chrono>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

// dense_mlp with `n` Activation layers (no weights, so its weights file still fits) after its
// first Dense layer.
std::string many_layers(const std::string& path, int n, const std::string& activation) {
  return edited_fixture("dense_mlp", path, [&](Config& c) {
    Config& layers = c["config"]["layers"];
    Config added = Config::array();
    for (int i = 0; i < n; ++i) {
      Config config = Config::object();
      config["name"] = "act_" + std::to_string(i);
      config["trainable"] = true;
      config["dtype"] = "float32";
      config["activation"] = activation;
      Config e = Config::object();
      e["module"] = "keras.layers";
      e["class_name"] = "Activation";
      e["config"] = config;
      e["registered_name"] = nullptr;
      added.push_back(e);
    }
    layers.insert(layers.begin() + 2, added.begin(), added.end());
  });
}

TEST(BigModels, SequentialOf20000LayersLoadsInSeconds) {
  std::string dir = temp_dir("SequentialOf20000LayersLoadsInSeconds");
  std::string path = many_layers(dir + "/m.keras", 20000, "linear");
  auto start = std::chrono::steady_clock::now();
  // 30 s leaves room for a loaded 2-core machine; the load takes a few seconds (the quadratic
  // version took minutes and is killed here).
  RunResult r = run_process({driver(), "predict", path, "4"}, {.timeout_s = 30});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(r.timed_out) << r.describe();
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  std::cerr << "20,000-layer Sequential: load_model + predict in " << seconds << " s, peak RSS "
            << r.peak_rss_kib / 1024 << " MiB\n";
}

// The symbolic graph of a deep model is a chain of histories, nodes and tensors; freeing it must
// not recurse once per layer (100,000 layers overflowed the 8 MiB stack; under ASan 20,000 did).
TEST(BigModels, DeepModelsAreFreedWithoutRecursion) {
  std::string dir = temp_dir("DeepModelsAreFreedWithoutRecursion");
  std::string path = many_layers(dir + "/m.keras", 100000, "linear");
  RunResult r = run_process({driver(), "predict", path, "2"}, {.timeout_s = 120});
  EXPECT_FALSE(r.timed_out) << r.describe();
  EXPECT_EQ(r.signal, 0) << r.describe();
  EXPECT_EQ(r.exit_code, 0) << r.describe();
}

TEST(BigModels, DuplicateNamesAmongManyLayersAreStillRefused) {
  std::string dir = temp_dir("DuplicateNamesAmongManyLayersAreStillRefused");
  std::string path = edited_fixture("dense_mlp", dir + "/m.keras", [](Config& c) {
    c["config"]["layers"][3]["config"]["name"] = "dense";
  });
  RunResult r = run_process({driver(), "load_model", path});
  expect_clean_error(r, 4, {"unique names", "'dense'"});
}

}  // namespace
}  // namespace keras::hostile
