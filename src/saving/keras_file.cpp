// `.keras` archives (keras/src/saving/saving_api.py, saving_lib.py): save_model writes
// metadata.json, config.json and model.weights.h5 (in that order, stored uncompressed, as
// Keras's zipfile defaults do) atomically; load_model reads them back.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>

#include "keras/saving/saving.hpp"
#include "keras/saving/weights.hpp"
#include "keras/saving/zip_archive.hpp"
#include "serialization/load_scope.hpp"
#include "serialization/variable_budget.hpp"
#include "utils/json_depth.hpp"
#include "utils/python_float.hpp"

namespace keras {
namespace saving {
namespace {

// json.dumps of a float: Python's repr, with json's names for the special values.
std::string json_float(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return utils::python_float(v);
}

// json.dumps's string escaping with ensure_ascii=True.
void python_string(const std::string& s, std::string& out) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0x80) {  // decode UTF-8 (invalid bytes are written as U+FFFD)
      if ((c & 0xE0) == 0xC0)
        len = 2, cp = c & 0x1F;
      else if ((c & 0xF0) == 0xE0)
        len = 3, cp = c & 0x0F;
      else if ((c & 0xF8) == 0xF0)
        len = 4, cp = c & 0x07;
      else
        len = 1, cp = 0xFFFD;
      if (i + len > s.size()) len = 1, cp = 0xFFFD;
      for (size_t k = 1; k < len && cp != 0xFFFD; ++k) {
        unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) {
          cp = 0xFFFD;
          len = k;
          break;
        }
        cp = (cp << 6) | (cc & 0x3F);
      }
    }
    i += len;
    char buf[16];
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (cp < 0x20 || (cp >= 0x7F && cp < 0x10000)) {
          if (cp == 0x7F) {
            out += static_cast<char>(cp);
            break;
          }
          std::snprintf(buf, sizeof(buf), "\\u%04x", cp);
          out += buf;
        } else if (cp >= 0x10000) {
          uint32_t v = cp - 0x10000;
          std::snprintf(buf, sizeof(buf), "\\u%04x\\u%04x", 0xD800 + (v >> 10),
                        0xDC00 + (v & 0x3FF));
          out += buf;
        } else {
          out += static_cast<char>(cp);
        }
    }
  }
  out += '"';
}

void dump(const Config& v, std::string& out) {
  switch (v.type()) {
    case Config::value_t::null:
      out += "null";
      break;
    case Config::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      break;
    case Config::value_t::number_integer:
      out += std::to_string(v.get<int64_t>());
      break;
    case Config::value_t::number_unsigned:
      out += std::to_string(v.get<uint64_t>());
      break;
    case Config::value_t::number_float:
      out += json_float(v.get<double>());
      break;
    case Config::value_t::string:
      python_string(v.get<std::string>(), out);
      break;
    case Config::value_t::array: {
      out += '[';
      bool first = true;
      for (const Config& e : v) {
        if (!first) out += ", ";
        first = false;
        dump(e, out);
      }
      out += ']';
      break;
    }
    case Config::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        python_string(it.key(), out);
        out += ": ";
        dump(it.value(), out);
      }
      out += '}';
      break;
    }
    default:
      out += "null";
  }
}

Model load_from_archive(const ZipReader& zip, const LoadOptions& options) {
  const std::string& path = zip.path();
  if (!zip.contains("config.json"))
    throw ValueError("Cannot load model from " + path +
                     ": the archive has no `config.json` member (members: " +
                     [&] {
                       std::string s;
                       for (const std::string& n : zip.names()) s += (s.empty() ? "" : ", ") + n;
                       return s;
                     }() +
                     "). Is it a Keras 3 `.keras` file?");
  std::string text = zip.read("config.json");
  utils::check_json_depth(text, "Cannot load model from " + path + ": `config.json`");
  Config config;
  try {
    config = Config::parse(text);
  } catch (const std::exception& e) {
    throw ValueError("Cannot load model from " + path + ": `config.json` is not valid JSON (" +
                     e.what() + ")");
  }
  if (!config.is_object())
    throw ValueError("Cannot load model from " + path +
                     ": `config.json` must hold a JSON object (a model envelope), got " +
                     // Not dump(): it recurses, and a crafted array may nest 10**6 levels deep.
                     (config.is_structured() ? std::string("an ") + config.type_name()
                                             : config.dump().substr(0, 100)));
  // Every saved variable is in the weights member, so the config may not create more than it
  // holds (plus slack for unsaved state): Dense(units=10**12) fails here, allocating nothing. The
  // budget counts the bytes actually inflated, never the size the zip directory declares.
  if (!zip.contains("model.weights.h5")) {
    if (zip.contains("model.weights.npz"))
      throw NotImplementedError("Cannot load model from " + path +
                                ": its weights are in `model.weights.npz`, which keras-cpp does "
                                "not read yet (Keras writes `model.weights.h5` by default)");
    throw ValueError("Cannot load model from " + path +
                     ": Expected a model.weights.h5 or model.weights.npz file in the archive.");
  }
  std::string weights = zip.read("model.weights.h5");
  std::string budget_source = "the size of model.weights.h5, " + std::to_string(weights.size()) +
                              " bytes, plus " + std::to_string(kVariableBudgetSlack >> 20) +
                              " MiB for state Keras does not save";
  std::optional<Model> loaded;
  try {
    VariableBudget budget(weights.size() + kVariableBudgetSlack, budget_source);
    loaded.emplace(deserialize_model(config, options));
  } catch (const Error& e) {
    std::string msg = "Cannot load model from " + path + " (config.json): " + e.what();
    if (dynamic_cast<const TypeError*>(&e)) throw TypeError(msg);
    if (dynamic_cast<const NotImplementedError*>(&e)) throw NotImplementedError(msg);
    throw ValueError(msg);
  }
  Model model = *loaded;
  try {
    load_weights_from_h5_bytes(*model, weights, /*include_optimizer=*/model->compiled());
  } catch (const Error& e) {
    throw ValueError("Cannot load model from " + path + " (model.weights.h5): " + e.what());
  }
  return model;
}

}  // namespace

std::string dump_config_json(const Config& config) {
  std::string out;
  dump(config, out);
  return out;
}

std::string metadata_json() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char date[32];
  std::strftime(date, sizeof(date), "%Y-%m-%d@%H:%M:%S", &local);
  Config m = Config::object();
  m["keras_version"] = kKerasFormatVersion;
  m["date_saved"] = std::string(date);
  return dump_config_json(m);
}

void save_model(const ModelImpl& model, const std::string& filepath) {
  if (!filepath.ends_with(".keras"))
    throw ValueError(
        "Invalid filepath extension for saving. Please add a `.keras` extension for the native "
        "Keras format (keras-cpp does not write the legacy `.h5` format; for weights only use "
        "save_weights with a `.weights.h5` name). Received: filepath=" +
        filepath + ".");
  if (!model.built())
    throw ValueError("Model '" + model.name() +
                     "' cannot be saved before it is built: call it on data, give it a "
                     "keras::Input, or call build() first.");
  // Everything is produced in memory first, so a failure leaves any existing file untouched.
  std::string config = dump_config_json(serialize_model(model));
  std::string weights = weights_to_h5_bytes(model, /*include_optimizer=*/true);
  ZipWriter zip(filepath);
  zip.add("metadata.json", metadata_json(), /*compress=*/false);
  zip.add("config.json", config, /*compress=*/false);
  zip.add("model.weights.h5", weights, /*compress=*/false);
  zip.commit();
}

Model load_model(const std::string& filepath, const LoadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(filepath, ec))
    throw ValueError("File not found: filepath=" + filepath +
                     ". Please ensure the file is an accessible `.keras` zip file.");
  if (!filepath.ends_with(".keras"))
    throw ValueError("File format not supported: filepath=" + filepath +
                     ". keras-cpp loads Keras 3 `.keras` files (use load_weights for "
                     "`.weights.h5` files; legacy `.h5` models are not supported).");
  std::optional<ZipReader> zip;
  try {
    zip.emplace(ZipReader::open(filepath, keras_archive_limits()));
  } catch (const OSError&) {
    throw;
  } catch (const Error& e) {
    throw ValueError("File format not supported: filepath=" + filepath +
                     " is not a valid `.keras` zip archive (" + e.what() + ")");
  }
  return load_from_archive(*zip, options);
}

Model load_model_from_bytes(std::string bytes, const LoadOptions& options,
                            const std::string& label) {
  std::optional<ZipReader> zip;
  try {
    zip.emplace(ZipReader::from_bytes(std::move(bytes), keras_archive_limits(), label));
  } catch (const Error& e) {
    throw ValueError(label + " is not a valid `.keras` zip archive (" + e.what() + ")");
  }
  return load_from_archive(*zip, options);
}

}  // namespace saving

void ModelImpl::save(const std::string& filepath) const { saving::save_model(*this, filepath); }

}  // namespace keras
