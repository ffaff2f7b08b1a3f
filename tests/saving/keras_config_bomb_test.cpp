// Config bombs: a .keras config.json whose layers declare more weights than model.weights.h5 can
// hold (Dense(units=10**12), Embedding(input_dim=10**12), ...) fails with a ValueError naming the
// layer, variable, shape, dtype and budget before anything is allocated (src/saving/
// variable_budget.hpp).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "keras/core/limits.hpp"
#include "keras_test_util.hpp"
#include "serialization/variable_budget.hpp"

namespace keras {
namespace {

namespace L = keras::layers;

// The fixture's members, with config.json edited by `edit`.
std::string bomb_archive(const std::string& fixture, const std::string& name,
                         const std::function<void(Config&)>& edit) {
  auto zip = saving::ZipReader::open(testing::fixture_path(fixture, ".keras"));
  std::string path = testing::temp_path(name);
  saving::ZipWriter out(path);
  for (const auto& member : zip.names()) {
    std::string bytes = zip.read(member);
    if (member == "config.json") {
      Config c = Config::parse(bytes);
      edit(c);
      bytes = c.dump();
    }
    out.add(member, bytes, false);
  }
  out.commit();
  return path;
}

// The layer config of `layers[index]` in a Sequential envelope.
Config& layer_config(Config& c, size_t index) { return c["config"]["layers"][index]["config"]; }

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// load_model(path) must throw a ValueError whose message has every one of `parts`, without
// raising the peak RSS by more than 64 MiB.
void expect_bomb(const std::string& path, const std::vector<std::string>& parts) {
  long before = peak_rss_kib();
  try {
    saving::load_model(path);
    ADD_FAILURE() << "no exception for " << path;
  } catch (const ValueError& e) {
    std::string msg = e.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception: " << e.what();
  }
  EXPECT_LT(peak_rss_kib() - before, 64 << 10) << "peak RSS grew while loading " << path;
}

TEST(KerasConfigBombTest, DenseWithATrillionUnits) {
  std::string path = bomb_archive("dense_mlp", "bomb_dense.keras", [](Config& c) {
    layer_config(c, 1)["units"] = int64_t{1000000000000};
  });
  uint64_t weights = saving::ZipReader::open(path).size("model.weights.h5");
  expect_bomb(path, {"config.json", "Dense 'dense'",
                     "the config declares more weights than model.weights.h5 can hold", "'kernel'",
                     "(10, 1000000000000)", "float32", "40000000000000 bytes",
                     std::to_string(weights + saving::kVariableBudgetSlack) + " bytes",
                     "the size of model.weights.h5, " + std::to_string(weights) + " bytes"});
}

TEST(KerasConfigBombTest, EmbeddingWithATrillionRows) {
  std::string path = bomb_archive("embedding", "bomb_embedding.keras", [](Config& c) {
    layer_config(c, 1)["input_dim"] = int64_t{1000000000000};
  });
  expect_bomb(path, {"Embedding 'embedding'", "more weights than model.weights.h5 can hold",
                     "'embeddings'", "(1000000000000, 8)", "float32"});
}

// Allocatable but far more than the file holds: 10 x 10,000,000 float32 is 400 MB.
TEST(KerasConfigBombTest, OverTheBudgetButAllocatable) {
  std::string path = bomb_archive("dense_mlp", "bomb_dense_400mb.keras",
                                  [](Config& c) { layer_config(c, 1)["units"] = 10000000; });
  expect_bomb(path, {"Dense 'dense'", "'kernel'", "(10, 10000000)", "400000000 bytes"});
}

// A shape whose byte size does not fit in 64 bits.
TEST(KerasConfigBombTest, ShapeOverflowingSixtyFourBits) {
  std::string path = bomb_archive("dense_mlp", "bomb_dense_overflow.keras", [](Config& c) {
    layer_config(c, 1)["units"] = int64_t{1} << 62;
  });
  expect_bomb(path, {"Dense 'dense'", "'kernel'", "more than 2**64 bytes"});
}

// The variables of every layer count together: the second Dense's kernel fits on its own.
TEST(KerasConfigBombTest, BudgetIsSharedByAllVariables) {
  Config dense = Config::parse(R"({"module": "keras.layers", "class_name": "Dense",
      "config": {"name": "d", "units": 2048}, "registered_name": null})");
  Config seq = {
      {"module", "keras"},
      {"class_name", "Sequential"},
      {"config",
       {{"name", "s"}, {"layers", Config::array()}, {"build_input_shape", {nullptr, 1024}}}}};
  for (int i = 0; i < 2; ++i) {
    dense["config"]["name"] = "d" + std::to_string(i);
    dense["config"]["units"] = i == 0 ? 1024 : 2048;
    seq["config"]["layers"].push_back(dense);
  }
  // 4 MiB + 4 KiB, then 8 MiB + 8 KiB: fits in 16 MiB, not in 8 MiB.
  EXPECT_NO_THROW({
    saving::VariableBudget budget(16 << 20, "test");
    saving::deserialize_model(seq);
  });
  try {
    saving::VariableBudget budget(8 << 20, "an 8 MiB test budget");
    saving::deserialize_model(seq);
    ADD_FAILURE() << "no exception";
  } catch (const ValueError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("Dense 'd1'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(1024, 2048)"), std::string::npos) << msg;
    // d0's kernel and bias (4 MiB + 4 KiB), plus any small state created before d1.
    size_t at = msg.find("with ");
    ASSERT_NE(at, std::string::npos) << msg;
    uint64_t before = std::stoull(msg.substr(at + 5));
    EXPECT_GE(before, 4198400u) << msg;
    EXPECT_LT(before, 4198400u + 4096) << msg;
    EXPECT_NE(msg.find("an 8 MiB test budget"), std::string::npos) << msg;
  }
}

// The budget applies only inside its scope (load_model's deserialization), and scopes nest.
TEST(KerasConfigBombTest, OnlyInsideABudgetScope) {
  {
    saving::VariableBudget outer(1 << 20, "outer");
    {
      saving::VariableBudget inner(64, "inner");
      L::Dense d({.units = 64});
      EXPECT_THROW(d->build(Shape{Shape::kNone, 8}), ValueError);
    }
    L::Dense d({.units = 64});
    EXPECT_NO_THROW(d->build(Shape{Shape::kNone, 8}));  // 2 KiB + 256 bytes of 1 MiB
  }
  L::Dense big({.units = 1 << 12});
  EXPECT_NO_THROW(big->build(Shape{Shape::kNone, 1 << 10}));  // 16 MiB, no budget
}

// Walking, copying and dumping a Config recurse: a config nested 100,000 levels deep is refused
// before anything recurses into it, instead of overflowing the stack.
TEST(KerasConfigBombTest, DeeplyNestedConfig) {
  const int depth = 100000;
  std::string text = R"({"class_name": "Dense", "config": {"units": 1, "name": )" +
                     std::string(depth, '[') + std::string(depth, ']') + "}}";
  Config c = Config::parse(text);
  try {
    saving::deserialize_model(c);
    ADD_FAILURE() << "no exception";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("more than 512 levels deep"), std::string::npos)
        << e.what();
  }
}

// A loaded model's batches are checked against the activation limit once per input signature
// and limit: repeated calls reuse the check, a new batch size or a lower limit checks again.
TEST(ActivationLimitTest, RecheckedWhenTheBatchOrTheLimitChanges) {
  Model m = saving::load_model(testing::fixture_path("dense_mlp", ".keras"));
  Tensor x4 = ops::zeros({4, 10}), x8 = ops::zeros({8, 10});
  for (int i = 0; i < 3; ++i) EXPECT_NO_THROW(m.predict_on_batch(x4));
  config::set_max_activation_bytes(300);  // the widest output, (4, 16) float32, is 256 bytes
  EXPECT_NO_THROW(m.predict_on_batch(x4));
  EXPECT_THROW(m.predict_on_batch(x8), ValueError);  // (8, 16): 512 bytes
  EXPECT_THROW(m.predict(x8, {.batch_size = 8}), ValueError);
  config::set_max_activation_bytes(200);
  EXPECT_THROW(m.predict_on_batch(x4), ValueError);
  config::reset_max_activation_bytes();
  EXPECT_NO_THROW(m.predict_on_batch(x8));
}

// A real archive loads as before (its variables are well inside the budget).
TEST(KerasConfigBombTest, FixturesStillLoad) {
  for (const char* name : {"dense_mlp", "embedding", "resnet_block"})
    EXPECT_NO_THROW(saving::load_model(testing::fixture_path(name, ".keras"))) << name;
}

}  // namespace
}  // namespace keras
