// Malformed and unsafe .keras files give clear keras:: errors (naming the file, the member and the
// class or key), and a failing save never replaces an existing file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "keras_test_util.hpp"

namespace keras {
namespace {

namespace L = keras::layers;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// A .keras archive with the given members (name, bytes), in order.
std::string make_archive(const std::string& name,
                         const std::vector<std::pair<std::string, std::string>>& members) {
  std::string path = testing::temp_path(name);
  saving::ZipWriter zip(path);
  for (const auto& [member, bytes] : members) zip.add(member, bytes, false);
  zip.commit();
  return path;
}

// Expects `f` to throw E whose message contains every string in `parts`.
template <class E, class F>
void expect_error(F&& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const E& e) {
    std::string msg = e.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
  }
}

const std::string kFixture = testing::fixture_path("dense_mlp", ".keras");

std::vector<std::pair<std::string, std::string>> fixture_members() {
  auto zip = saving::ZipReader::open(kFixture);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& n : zip.names()) out.emplace_back(n, zip.read(n));
  return out;
}

class KerasErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override { clear_session(); }
};

TEST_F(KerasErrorsTest, MissingFileAndWrongExtension) {
  expect_error<ValueError>([] { saving::load_model("/nonexistent/model.keras"); },
                           {"File not found", "/nonexistent/model.keras"});
  std::string txt = testing::temp_path("model.txt");
  write_bytes(txt, "hello");
  expect_error<ValueError>([&] { saving::load_model(txt); }, {"File format not supported", txt});
  Tensor x = Input({2});
  Model model(x, L::Dense({.units = 1})(x));
  std::string h5 = testing::temp_path("model.h5");
  expect_error<ValueError>([&] { model.save(h5); },
                           {"Invalid filepath extension for saving", ".keras", h5});
  EXPECT_FALSE(std::filesystem::exists(h5));
}

TEST_F(KerasErrorsTest, NotAZipAndTruncatedZip) {
  std::string bogus = testing::temp_path("bogus.keras");
  write_bytes(bogus, "this is not a zip archive");
  expect_error<ValueError>([&] { saving::load_model(bogus); },
                           {"not a valid `.keras` zip archive", bogus});
  std::string bytes = read_bytes(kFixture);
  std::string truncated = testing::temp_path("truncated.keras");
  write_bytes(truncated, bytes.substr(0, bytes.size() / 2));
  expect_error<ValueError>([&] { saving::load_model(truncated); },
                           {"not a valid `.keras` zip archive", truncated});
  expect_error<ValueError>(
      [&] { saving::load_model_from_bytes(bytes.substr(0, 100), {}, "half.keras"); },
      {"half.keras"});
}

TEST_F(KerasErrorsTest, BadJsonAndMissingMembers) {
  auto members = fixture_members();
  std::string path = make_archive("badjson.keras", {{"metadata.json", members[0].second},
                                                    {"config.json", "{\"module\": \"keras\", "},
                                                    {"model.weights.h5", members[2].second}});
  expect_error<ValueError>([&] { saving::load_model(path); },
                           {"config.json", "not valid JSON", path});

  std::string no_config = make_archive("noconfig.keras", {{"metadata.json", members[0].second}});
  expect_error<ValueError>([&] { saving::load_model(no_config); },
                           {"no `config.json` member", "metadata.json"});

  std::string no_weights = make_archive("noweights.keras", {{"metadata.json", members[0].second},
                                                            {"config.json", members[1].second}});
  expect_error<ValueError>([&] { saving::load_model(no_weights); },
                           {"Expected a model.weights.h5 or model.weights.npz file", no_weights});

  std::string array = make_archive("array.keras", {{"config.json", "[1, 2]"}});
  expect_error<ValueError>([&] { saving::load_model(array); }, {"config.json", "JSON object"});
}

TEST_F(KerasErrorsTest, UnknownClassNamesItAndTheRegisteredOnes) {
  auto members = fixture_members();
  Config config = Config::parse(members[1].second);
  config["config"]["layers"][2]["class_name"] = "FancyDense";
  std::string path =
      make_archive("unknown.keras", {{"metadata.json", members[0].second},
                                     {"config.json", saving::dump_config_json(config)},
                                     {"model.weights.h5", members[2].second}});
  expect_error<ValueError>([&] { saving::load_model(path); },
                           {"FancyDense", "Registered layer classes", "Dense", "Conv2D",
                            "KERAS_REGISTER_SERIALIZABLE", "layers[2]"});
}

TEST_F(KerasErrorsTest, WrongTypesNameTheKey) {
  auto members = fixture_members();
  Config config = Config::parse(members[1].second);
  config["config"]["layers"] = "not a list";
  std::string path = make_archive("types.keras", {{"metadata.json", members[0].second},
                                                  {"config.json", config.dump()},
                                                  {"model.weights.h5", members[2].second}});
  expect_error<ValueError>([&] { saving::load_model(path); }, {"`layers` must be a list"});

  Config functional = testing::read_archive_json(
      testing::fixture_path("functional_multi_io", ".keras"), "config.json");
  functional["config"]["output_layers"] = Config::parse(R"([["nowhere", 0, 0]])");
  expect_error<ValueError>([&] { saving::deserialize_model(functional); },
                           {"output_layers", "unknown layer 'nowhere'"});

  Config dense = Config::parse(members[1].second);
  dense["config"]["layers"][1]["config"]["units"] = "four";
  expect_error<Error>([&] { saving::deserialize_model(dense); }, {"Dense", "units"});
}

// A Lambda layer whose function is a Python lambda, as Keras writes it.
Config lambda_config() {
  return Config::parse(R"({
    "module": "keras", "class_name": "Sequential", "registered_name": null,
    "config": {"name": "seq", "trainable": true, "layers": [
      {"module": "keras.layers", "class_name": "InputLayer", "registered_name": null,
       "config": {"batch_shape": [null, 3], "dtype": "float32", "sparse": false,
                  "ragged": false, "name": "input_layer", "optional": false}},
      {"module": "keras.layers", "class_name": "Lambda", "registered_name": null,
       "config": {"name": "lambda", "trainable": true, "dtype": "float32",
                  "function": {"class_name": "__lambda__",
                               "config": {"code": "4wEAAAAAAAAA", "defaults": null,
                                          "closure": null}},
                  "arguments": {}}}]}})");
}

TEST_F(KerasErrorsTest, SafeModeRefusesPythonLambdas) {
  auto members = fixture_members();
  std::string path =
      make_archive("lambda.keras", {{"metadata.json", members[0].second},
                                    {"config.json", saving::dump_config_json(lambda_config())},
                                    {"model.weights.h5", members[2].second}});
  expect_error<ValueError>(
      [&] { saving::load_model(path); },
      {"Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda",
       "safe_mode=False", "Lambda 'lambda'"});
  // Without safe mode keras-cpp still cannot run Python bytecode, and says so.
  expect_error<ValueError>([&] { saving::load_model(path, {.safe_mode = false}); },
                           {"cannot run", "register_lambda_function"});
}

// A layer whose get_config fails, to make save() fail half-way.
class BrokenConfigImpl : public LayerImpl {
 public:
  using Options = LayerOptions;
  explicit BrokenConfigImpl(LayerOptions o = {}) : LayerImpl(std::move(o)) {}
  std::string class_name() const override { return "BrokenConfig"; }
  Tensor call(const Tensor& x, const CallContext&) override { return x; }
  Config get_config() const override { throw RuntimeError("BrokenConfig: get_config failed"); }
};
KERAS_LAYER(BrokenConfig);

TEST_F(KerasErrorsTest, FailedSaveKeepsTheExistingFile) {
  std::string path = testing::temp_path("existing.keras");
  std::filesystem::copy_file(kFixture, path, std::filesystem::copy_options::overwrite_existing);
  // The copy has the fixture's mode, read-only where the fixtures are; a read-only file is never
  // replaced (atomic_file.hpp), and this test is about a save that fails half-way.
  std::filesystem::permissions(path, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::string before = read_bytes(path);
  auto model = Sequential({Input({3}), BrokenConfig()});
  EXPECT_THROW(model.save(path), RuntimeError);
  EXPECT_EQ(read_bytes(path), before);
  // No temporary files are left next to it.
  int entries = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::path(path).parent_path()))
    entries += e.path().filename().string().find("existing.keras") != std::string::npos;
  EXPECT_EQ(entries, 1);
  // Saving into a directory that does not exist is an OSError, also harmless.
  auto good = Sequential({Input({3}), L::Dense({.units = 1})});
  EXPECT_THROW(good.save("/nonexistent-dir/x.keras"), OSError);
  // And a successful save replaces the file completely.
  good.save(path);
  EXPECT_NE(read_bytes(path), before);
  EXPECT_NO_THROW(saving::load_model(path));
}

}  // namespace
}  // namespace keras
