// Sharded weights (Keras's save_weights(..., max_shard_size=...) / ShardedH5IOStore): the shards
// and the `.weights.json` index as Keras writes them, loading them back, and bad indexes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "keras/serialization/config.hpp"
#include "saving/weights_test_util.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/fresh_session.hpp"

namespace keras::testing::weights {
namespace {

namespace fs = std::filesystem;

// 4x32 + 32 + 32x32 + 32 + 32x2 + 2 float32 values: 5,128 bytes in six variables.
Model mlp() {
  return Sequential({Input({4}), L::Dense({.units = 32, .activation = "relu"}),
                     L::Dense({.units = 32, .activation = "relu"}), L::Dense({.units = 2})});
}

constexpr double kGB = 1024.0 * 1024.0 * 1024.0;

Config read_json(const std::string& path) {
  std::ifstream in(path);
  return Config::parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

class WeightsShardedTest : public testing::FreshSessionTest<> {
 protected:
  TempDir dir;
};

TEST_P(WeightsShardedTest, ShardsAndIndexAsKerasWritesThem) {
  auto model = mlp();
  std::string index = dir.file("model.weights.json");
  // 4.5 KB per shard: the 32x32 kernel (4 KB) cannot share a shard with the first kernel.
  saving::save_weights(*model, index, 4.5 * 1024 / kGB);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir.path()))
    files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"model.weights.json", "model_00000.weights.h5",
                                             "model_00001.weights.h5"}));
  Config json = read_json(index);
  EXPECT_EQ(json["metadata"]["total_size"].get<double>(), 5128.0);
  // dense: kernel 512 B + bias 128 B in shard 0; dense_1's kernel (4096 B) overflows into shard
  // 1, its bias fits there, and so does dense_2 (256 + 8 B: 4,488 B in shard 1). Keras turns an
  // entry into a list at an object's second variable, even within one shard.
  const Config& map = json["weight_map"];
  auto list = [](std::initializer_list<const char*> names) {
    Config out = Config::array();
    for (const char* n : names) out.push_back(n);
    return out;
  };
  EXPECT_EQ(map["/layers/dense/vars"], list({"model_00000.weights.h5"})) << map.dump();
  EXPECT_EQ(map["/layers/dense_1/vars"], list({"model_00001.weights.h5"})) << map.dump();
  EXPECT_EQ(map["/layers/dense_2/vars"], list({"model_00001.weights.h5"})) << map.dump();
  // Every object has its named group in the shard that was current when it was made.
  auto first = tree_text(tree_of_file(dir.file("model_00000.weights.h5")));
  EXPECT_NE(first.find("/layers/dense_1/vars group @name=dense_1"), std::string::npos) << first;
  auto second = tree_text(tree_of_file(dir.file("model_00001.weights.h5")));
  EXPECT_NE(second.find("/layers/dense_1/vars group\n"), std::string::npos) << second;
  EXPECT_NE(second.find("/layers/dense_1/vars/0 dataset (32, 32) float32"), std::string::npos);

  auto other = mlp();
  other.load_weights(index);
  auto a = model.get_weights(), b = other.get_weights();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i].to_vector<float>(), b[i].to_vector<float>()) << i;
}

TEST_P(WeightsShardedTest, OneObjectSplitOverShardsAndOptimizerState) {
  auto model = mlp();
  model.compile({.optimizer = "adam", .loss = "mse"});
  Tensor x = random::normal({8, 4}, {.seed = 1}), y = random::normal({8, 2}, {.seed = 2});
  model.train_on_batch(x, y);
  std::string index = dir.file("ckpt.weights.json");
  saving::save_weights(*model, index, 6.0 * 1024 / kGB);
  Config json = read_json(index);
  // Adam's slots (2 x 5,128 B) cannot fit in one 6 KB shard: the optimizer's group is listed
  // with several shards.
  const Config& opt = json["weight_map"]["/optimizer/vars"];
  ASSERT_TRUE(opt.is_array()) << json.dump();
  EXPECT_GE(opt.size(), 2u);

  auto other = mlp();
  other.compile({.optimizer = "adam", .loss = "mse"});
  other.load_weights(index);
  model.train_on_batch(x, y);
  other.train_on_batch(x, y);
  auto a = model.get_weights(), b = other.get_weights();
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i].to_vector<float>(), b[i].to_vector<float>()) << i;
}

TEST_P(WeightsShardedTest, NamesAndSizesAreChecked) {
  auto model = mlp();
  EXPECT_CONTAINS(
      error_of<ValueError>([&] { saving::save_weights(*model, dir.file("m.weights.bin"), 1.0); }),
      "must end in `.weights.json` when `max_shard_size` is specified");
  EXPECT_CONTAINS(error_of<ValueError>([&] {
                    saving::save_weights(*model, dir.file("m.weights.json"), 1024 / kGB);
                  }),
                  "exceeds the maximum shard size 1.00 KB");
  // A `.weights.h5` name becomes `.weights.json` (Keras's rename).
  saving::save_weights(*model, dir.file("r.weights.h5"), 1.0);
  EXPECT_TRUE(fs::exists(dir.file("r.weights.json")));
  EXPECT_TRUE(fs::exists(dir.file("r_00000.weights.h5")));
  EXPECT_FALSE(fs::exists(dir.file("r.weights.h5")));
}

TEST_P(WeightsShardedTest, HostileIndexesAreRefused) {
  auto model = mlp();
  std::string index = dir.file("h.weights.json");
  saving::save_weights(*model, index, 1.0);
  write_text(index, R"({"weight_map": {"/layers/dense/vars": "../../etc/passwd"}})");
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(index); }),
                  "must be the name of a `.weights.h5` file");
  write_text(index, R"({"weight_map": {"/layers/dense/vars": ["h_00000.weights.h5", 3]}})");
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(index); }), "got 3");
  write_text(index, "[1, 2");
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(index); }), "not valid JSON");
  write_text(index, R"({"weight_map": {"/layers/dense/vars": "gone_00000.weights.h5",
                         "/layers/dense_1/vars": "h_00000.weights.h5",
                         "/layers/dense_2/vars": "h_00000.weights.h5"}})");
  EXPECT_CONTAINS(error_of<OSError>([&] { model.load_weights(index); }), "gone_00000.weights.h5");
  // An index naming an object the model does not have.
  write_text(index, R"({"weight_map": {"/layers/dense/vars": "h_00000.weights.h5",
                         "/layers/dense_1/vars": "h_00000.weights.h5",
                         "/layers/dense_2/vars": "h_00000.weights.h5",
                         "/layers/extra/vars": "h_00000.weights.h5"}})");
  EXPECT_CONTAINS(error_of<ValueError>([&] { model.load_weights(index); }), "/layers/extra/vars");
}

KERAS_INSTANTIATE_BACKEND_TEST(WeightsShardedTest);

}  // namespace
}  // namespace keras::testing::weights
