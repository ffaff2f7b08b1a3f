// Keras's own .weights.h5 files (written by Python Keras 3.15.1): loading them into the same
// architectures built here reproduces Keras's predictions on every backend, and saving those
// weights again gives a file with Keras's structure and Keras's bytes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <tuple>

#include "saving/weights_test_util.hpp"

namespace keras::testing::weights {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<Tensor> npz_inputs(const std::map<std::string, NpyArray>& npz) {
  std::vector<Tensor> xs;
  for (int i = 0; npz.count("input_" + std::to_string(i)); ++i)
    xs.push_back(to_tensor(npz.at("input_" + std::to_string(i))));
  return xs;
}

class WeightsFixtureTest : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {
 protected:
  void SetUp() override {
    previous_ = config::backend();
    config::set_backend(std::get<0>(GetParam()));
    clear_session();
  }
  void TearDown() override { config::set_backend(previous_); }
  const std::string& name() const { return std::get<1>(GetParam()); }
  Model build() const { return fixture_models().at(name())(); }

 private:
  std::string previous_;
};

TEST_P(WeightsFixtureTest, LoadsKerasWeightsAndReproducesKerasOutputs) {
  Model model = build();
  model.load_weights(fixture(name(), ".weights.h5"));
  auto npz = load_npz(fixture(name(), ".npz"));
  std::vector<Tensor> outputs = model->predict(npz_inputs(npz), {.batch_size = 32});
  size_t expected = 0;
  while (npz.count("output_" + std::to_string(expected))) ++expected;
  ASSERT_EQ(outputs.size(), expected);
  for (size_t j = 0; j < outputs.size(); ++j)
    EXPECT_TRUE(close_to_keras(outputs[j], npz.at("output_" + std::to_string(j))))
        << name() << " output_" << j;
}

TEST_P(WeightsFixtureTest, InMemoryImageAndKerasArchiveLoadLikeTheFile) {
  Model from_file = build();
  from_file.load_weights(fixture(name(), ".weights.h5"));
  Model from_bytes = build();
  saving::load_weights_from_h5_bytes(*from_bytes, read_file(fixture(name(), ".weights.h5")),
                                     /*include_optimizer=*/true);
  // load_weights also takes the `.keras` archive (its model.weights.h5 member).
  Model from_archive = build();
  from_archive.load_weights(fixture(name(), ".keras"));
  auto a = from_file.get_weights(), b = from_bytes.get_weights(), c = from_archive.get_weights();
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].to_vector<double>(), b[i].to_vector<double>()) << name() << " weight " << i;
    EXPECT_EQ(a[i].to_vector<double>(), c[i].to_vector<double>()) << name() << " weight " << i;
  }
}

// The file we write after loading Keras's has the same groups, datasets (paths, shapes,
// dtypes), attributes and bytes as Keras's file; only the layer names in the `name`
// attributes differ (Keras's generator made several models in one session).
TEST_P(WeightsFixtureTest, ResavedFileHasKerasStructureAndBytes) {
  Model model = build();
  model.load_weights(fixture(name(), ".weights.h5"));
  TempDir dir;
  std::string ours = dir.file(name() + ".weights.h5");
  model.save_weights(ours);
  EXPECT_EQ(tree_text_without_names(tree_of_file(ours)),
            tree_text_without_names(tree_of_file(fixture(name(), ".weights.h5"))));

  std::lock_guard lock(saving::h5::lock());
  auto theirs_file = saving::h5::File::open(fixture(name(), ".weights.h5"));
  auto ours_file = saving::h5::File::open(ours);
  for (const auto& e : saving::h5::describe(theirs_file)) {
    if (e.is_group) continue;
    auto read = [&](const saving::h5::File& f) {
      auto g = f.root();
      std::vector<std::string> parts;
      std::stringstream ss(e.path.substr(1));
      for (std::string p; std::getline(ss, p, '/');) parts.push_back(p);
      std::optional<saving::h5::Group> cur;
      for (size_t i = 0; i + 1 < parts.size(); ++i) cur = (cur ? *cur : g).open_group(parts[i]);
      auto ds = cur->open_dataset(parts.back());
      std::vector<uint8_t> bytes(ds.shape().num_elements() * dtype_size(ds.dtype()));
      ds.read(bytes.data(), bytes.size());
      return bytes;
    };
    EXPECT_EQ(read(ours_file), read(theirs_file)) << e.path;
  }
}

std::vector<std::tuple<std::string, std::string>> params() {
  std::vector<std::tuple<std::string, std::string>> out;
  for (const auto& backend : backend::available_backends())
    for (const auto& name : fixture_model_names()) out.emplace_back(backend, name);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, WeightsFixtureTest, ::testing::ValuesIn(params()),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + std::get<1>(info.param);
                         });

}  // namespace
}  // namespace keras::testing::weights
