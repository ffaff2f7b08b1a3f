// Class 1 of docs/security.md: deeply nested JSON in every JSON a file or the environment
// provides. The depth is refused on the text before parsing (src/utils/json_depth.hpp), so no
// parser, copy, dump() or recursive walk ever sees it.
#include <gtest/gtest.h>

#include "hostile_files.hpp"
#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

constexpr const char* kTooDeep = "more than 512 levels deep";

class JsonDepth : public ::testing::Test {
 protected:
  std::string dir = test_dir();
  // dense_mlp.keras with `member` replaced by `text`.
  std::string with_member(const std::string& member, const std::string& text) {
    return fixture_with_member("dense_mlp", dir + "/m.keras", member, text);
  }
};

TEST_F(JsonDepth, ConfigJsonVariants) {
  for (const std::string& text : {
           std::string(1'000'000, '['),           // unclosed
           nested("[", "]", 200'000, "1"),        // closed
           nested("{\"a\":", "}", 100'000, "1"),  // objects
           "{\"class_name\": \"Sequential\", \"config\": " + nested("[", "]", 100'000, "0") + "}",
           nested("[\"\\\"]\",", "]", 50'000, "1"),  // quotes inside
       }) {
    std::string path = with_member("config.json", text);
    for (const char* command : {"summary", "inspect"}) {
      RunResult r = run_process({cli(), command, path});
      expect_clean_error(r, 4, {"config.json", kTooDeep});
    }
    expect_clean_error(run_process({driver(), "load_model", path}), 4, {"config.json", kTooDeep});
  }
}

TEST_F(JsonDepth, AtTheLimitIsParsedAndRefusedCleanly) {
  // 512 levels in all (the envelope, config, layers, the layer, its config, then 507 arrays as
  // `units`): parsed, then refused by the layer, without a signal.
  std::string path = edited_fixture("dense_mlp", dir + "/m.keras", [](Config& c) {
    c["config"]["layers"][1]["config"]["units"] = Config::parse(nested("[", "]", 507, "1"));
  });
  RunResult r = run_process({driver(), "load_model", path});
  expect_clean_error(r, 4, {"units"});
}

TEST_F(JsonDepth, MetadataJson) {
  std::string path = with_member("metadata.json", nested("{\"k\":", "}", 300'000, "1"));
  expect_clean_error(run_process({cli(), "inspect", path}), 4, {"metadata.json", kTooDeep});
  expect_clean_error(run_process({cli(), "inspect", "--json", path}), 4, {"metadata.json"});
}

TEST_F(JsonDepth, ShardedWeightsIndex) {
  std::string index = write_file(dir + "/w.weights.json", nested("[", "]", 500'000, ""));
  RunResult r = run_process({driver(), "load_weights", fixture("dense_mlp", ".keras"), index});
  expect_clean_error(r, 4, {"w.weights.json", kTooDeep});
  write_file(index, "{\"weight_map\": " + nested("{\"x\":", "}", 600, "0") + "}");
  r = run_process({driver(), "load_weights", fixture("dense_mlp", ".keras"), index});
  expect_clean_error(r, 4, {"w.weights.json", kTooDeep});
}

TEST_F(JsonDepth, KerasJson) {
  write_file(dir + "/keras.json", nested("[", "]", 1'000'000, ""));
  RunResult r = run_process({cli(), "info"}, {.env = {{"KERAS_HOME", dir}}});
  // An environment error, not a model error (exit code 6, docs/security.md).
  expect_clean_error(r, 6, {"keras.json", kTooDeep});
}

}  // namespace
}  // namespace keras::hostile
