#pragma once
// Helpers for the .keras tests: fixture discovery, config comparison modulo ids, output checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "keras/layers/registration.hpp"
#include "keras/saving/saving.hpp"
#include "keras/saving/zip_archive.hpp"
#include "testing/npz.hpp"

namespace keras::testing {

// Names (without extension) of every KERAS_FIXTURES_DIR/*.keras, sorted.
inline std::vector<std::string> keras_fixture_names() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(KERAS_FIXTURES_DIR))
    if (e.path().extension() == ".keras") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

inline std::string fixture_path(const std::string& name, const std::string& ext) {
  return std::string(KERAS_FIXTURES_DIR) + "/" + name + ext;
}

inline Config read_archive_json(const std::string& path, const std::string& member) {
  return Config::parse(saving::ZipReader::open(path).read(member));
}

// Layer classes named in a config (module keras.layers, or models) that keras-cpp has not
// registered, e.g. while another part of the library is still being written.
inline void collect_unregistered(const Config& v, std::vector<std::string>& out) {
  if (v.is_object()) {
    if (v.contains("class_name") && v["class_name"].is_string() && v.contains("module") &&
        v["module"].is_string()) {
      std::string module = v["module"].get<std::string>();
      std::string cls = v["class_name"].get<std::string>();
      bool layer_like = module == "keras.layers" || cls == "Sequential" || cls == "Functional";
      if (layer_like && !layers::LayerRegistry::instance().contains(cls) &&
          std::find(out.begin(), out.end(), cls) == out.end())
        out.push_back(cls);
    }
    for (const auto& e : v) collect_unregistered(e, out);
  } else if (v.is_array()) {
    for (const auto& e : v) collect_unregistered(e, out);
  }
}

// The value with every "shared_object_id" key removed (per-run object ids).
inline Config without_ids(const Config& v) {
  if (v.is_object()) {
    Config out = Config::object();
    for (auto it = v.begin(); it != v.end(); ++it)
      if (it.key() != "shared_object_id") out[it.key()] = without_ids(it.value());
    return out;
  }
  if (v.is_array()) {
    Config out = Config::array();
    for (const auto& e : v) out.push_back(without_ids(e));
    return out;
  }
  return v;
}

// "" when equal (same keys in the same order, same values); else the first difference.
inline std::string config_diff(const Config& a, const Config& b, const std::string& path = "$") {
  if (a.type() != b.type()) {
    bool both_numbers = a.is_number() && b.is_number();
    if (!both_numbers || a.get<double>() != b.get<double>())
      return path + ": " + a.dump() + " vs " + b.dump();
    return "";
  }
  if (a.is_object()) {
    std::vector<std::string> ka, kb;
    for (auto it = a.begin(); it != a.end(); ++it) ka.push_back(it.key());
    for (auto it = b.begin(); it != b.end(); ++it) kb.push_back(it.key());
    if (ka != kb) {
      std::string sa, sb;
      for (auto& k : ka) sa += k + ",";
      for (auto& k : kb) sb += k + ",";
      return path + ": keys [" + sa + "] vs [" + sb + "]";
    }
    for (const auto& k : ka) {
      std::string d = config_diff(a[k], b[k], path + "." + k);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (a.is_array()) {
    if (a.size() != b.size())
      return path + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
             " entries";
    for (size_t i = 0; i < a.size(); ++i) {
      std::string d = config_diff(a[i], b[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (a.is_number_float() || b.is_number_float())
    return a.get<double>() == b.get<double>() ? "" : path + ": " + a.dump() + " vs " + b.dump();
  return a == b ? "" : path + ": " + a.dump() + " vs " + b.dump();
}

// The fixture's inputs input_0..input_k, in order.
inline std::vector<Tensor> fixture_inputs(const std::map<std::string, NpyArray>& npz,
                                          const std::string& backend = "") {
  std::vector<Tensor> xs;
  for (int i = 0; npz.count("input_" + std::to_string(i)); ++i)
    xs.push_back(to_tensor(npz.at("input_" + std::to_string(i)), backend));
  return xs;
}

inline std::string temp_path(const std::string& name) {
  auto dir =
      std::filesystem::temp_directory_path() / ("keras_saving_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

}  // namespace keras::testing
