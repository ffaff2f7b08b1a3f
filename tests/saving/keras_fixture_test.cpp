// Every Python Keras 3.15.1 fixture (KERAS_FIXTURES_DIR/*.keras) loads with load_model and
// reproduces Keras's predictions on every backend; saving it again with keras-cpp gives the same
// config.json (modulo per-run object ids and the date), the same members and the same weights.
#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "keras_test_util.hpp"

namespace keras {
namespace {

using testing::close_to_keras;
using testing::fixture_path;

using Param = std::tuple<std::string, std::string>;  // backend, fixture

class KerasFixtureTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    previous_ = config::backend();
    config::set_backend(backend());
    clear_session();
    std::vector<std::string> missing;
    testing::collect_unregistered(
        testing::read_archive_json(fixture_path(fixture(), ".keras"), "config.json"), missing);
    if (!missing.empty()) {
      std::string names;
      for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
      GTEST_SKIP() << fixture() << ": layer class(es) not registered in keras-cpp yet: " << names;
    }
  }
  void TearDown() override { config::set_backend(previous_); }
  const std::string& backend() const { return std::get<0>(GetParam()); }
  const std::string& fixture() const { return std::get<1>(GetParam()); }

 private:
  std::string previous_;
};

TEST_P(KerasFixtureTest, LoadsAndReproducesKerasOutputs) {
  Model model = saving::load_model(fixture_path(fixture(), ".keras"));
  auto npz = testing::load_npz(fixture_path(fixture(), ".npz"));
  std::vector<Tensor> xs = testing::fixture_inputs(npz);
  if (model->is_functional()) ASSERT_EQ(xs.size(), model->inputs().size());
  std::vector<Tensor> ys = model.predict(xs);
  int n_outputs = 0;
  while (npz.count("output_" + std::to_string(n_outputs))) ++n_outputs;
  ASSERT_EQ(static_cast<int>(ys.size()), n_outputs);
  for (int j = 0; j < n_outputs; ++j) {
    EXPECT_EQ(ys[j].backend_name(), backend());
    EXPECT_TRUE(close_to_keras(ys[j], npz.at("output_" + std::to_string(j))))
        << fixture() << " output_" << j;
  }
}

TEST_P(KerasFixtureTest, ResaveMatchesKerasFile) {
  std::string original = fixture_path(fixture(), ".keras");
  Model model = saving::load_model(original);
  std::string copy = testing::temp_path(fixture() + "_" + backend() + ".keras");
  model.save(copy);

  auto ours = saving::ZipReader::open(copy);
  auto theirs = saving::ZipReader::open(original);
  EXPECT_EQ(ours.names(), theirs.names());

  Config c_ours = testing::without_ids(Config::parse(ours.read("config.json")));
  Config c_theirs = testing::without_ids(Config::parse(theirs.read("config.json")));
  std::string diff = testing::config_diff(c_ours, c_theirs);
  EXPECT_EQ(diff, "");
  // Our writer's text is Keras's: same JSON text once the ids are removed from both.
  if (diff.empty())
    EXPECT_TRUE(saving::dump_config_json(c_ours) == saving::dump_config_json(c_theirs));

  Config meta = Config::parse(ours.read("metadata.json"));
  ASSERT_TRUE(meta.is_object());
  std::vector<std::string> keys;
  for (auto it = meta.begin(); it != meta.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"keras_version", "date_saved"}));
  EXPECT_EQ(meta["keras_version"], "3.15.1");

  // Same weights: reload our file and compare every variable with the original's.
  Model again = saving::load_model(copy);
  std::vector<Tensor> w0 = model.get_weights(), w1 = again.get_weights();
  ASSERT_EQ(w0.size(), w1.size());
  for (size_t i = 0; i < w0.size(); ++i) {
    ASSERT_EQ(w0[i].shape(), w1[i].shape()) << "weight " << i;
    EXPECT_EQ(ops::cast(w0[i], float64).to_vector<double>(),
              ops::cast(w1[i], float64).to_vector<double>())
        << "weight " << i;
  }
  std::filesystem::remove(copy);
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  return std::get<0>(info.param) + "_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, KerasFixtureTest,
                         ::testing::Combine(::testing::ValuesIn(backend::available_backends()),
                                            ::testing::ValuesIn(testing::keras_fixture_names())),
                         param_name);

}  // namespace
}  // namespace keras
