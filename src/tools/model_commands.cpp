// keras-cpp summary / inspect / predict: the .keras commands of the command-line tool.
#include "model_commands.hpp"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "keras/backend/backend.hpp"
#include "keras/core/config.hpp"
#include "keras/layers/node.hpp"
#include "keras/models/model.hpp"
#include "keras/saving/numpy.hpp"
#include "keras/saving/saving.hpp"
#include "keras/saving/zip_archive.hpp"
#include "utils/json_depth.hpp"

namespace keras::tools {
namespace {

using nlohmann::json;

// An error with the exit code it maps to.
struct CommandError : std::runtime_error {
  CommandError(int code, const std::string& message) : std::runtime_error(message), code(code) {}
  int code;
};

void require_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw CommandError(kExitFileNotFound, what + " not found: " + path);
}

Model load(const std::string& path) {
  require_file(path, "model file");
  try {
    return saving::load_model(path, {.compile = false});
  } catch (const OSError& e) {
    throw CommandError(kExitFileNotFound, e.what());
  } catch (const Error& e) {
    throw CommandError(kExitBadModel, e.what());
  } catch (const std::bad_alloc&) {
    throw;  // out of memory: reported by main() as such
  } catch (const std::exception& e) {
    // The library promises keras errors for bad files; anything else escaping it is still the
    // file's fault, and must not end the program with std::terminate.
    throw CommandError(kExitBadModel, path + ": not a loadable model file (" + e.what() + ")");
  }
}

// A JSON value as text: strings as they are, anything else as JSON.
std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// JSON for stdout: ill-formed UTF-8 (HDF5 names are bytes) replaced instead of throwing, and
// every character outside ASCII or below space escaped, DEL too, so no terminal control passes.
std::string json_text(const json& j) {
  std::string text = j.dump(2, ' ', /*ensure_ascii=*/true, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\x7f')
      out += "\\u007f";  // DEL only occurs inside strings
    else
      out += c;
  }
  return out;
}

std::string human_bytes(uint64_t n) {
  std::ostringstream s;
  if (n < 1024)
    s << n << " B";
  else if (n < 1024 * 1024)
    s << std::fixed << std::setprecision(1) << n / 1024.0 << " KiB";
  else
    s << std::fixed << std::setprecision(1) << n / (1024.0 * 1024.0) << " MiB";
  return s.str();
}

std::string shape_text(const Shape& s) {
  std::string t = "(";
  for (int i = 0; i < s.rank(); ++i) {
    if (i) t += ", ";
    t += s[i] < 0 ? "None" : std::to_string(s[i]);
  }
  if (s.rank() == 1) t += ",";
  return t + ")";
}

int run_summary(const std::vector<std::string>& args) {
  if (args.size() != 1) throw CommandError(kExitUsage, "summary takes one argument: MODEL.keras");
  Model model = load(args[0]);
  model.summary(std::cout);
  return kExitOk;
}

int run_inspect(const std::vector<std::string>& args, bool as_json) {
  if (args.size() != 1) throw CommandError(kExitUsage, "inspect takes one argument: MODEL.keras");
  const std::string& path = args[0];
  require_file(path, "model file");
  json out;
  try {
    auto zip = saving::ZipReader::open(path, saving::keras_archive_limits());
    out["file"] = path;
    out["members"] = json::array();
    for (const std::string& n : zip.names())
      out["members"].push_back({{"name", n}, {"size", zip.size(n)}});
    if (zip.contains("metadata.json")) {
      std::string text = zip.read("metadata.json");
      utils::check_json_depth(text, path + ": metadata.json");
      try {
        out["metadata"] = json::parse(text);
      } catch (const json::exception& e) {
        throw CommandError(kExitBadModel,
                           path + ": metadata.json is not valid JSON (" + e.what() + ")");
      }
      if (!out["metadata"].is_object())
        throw CommandError(kExitBadModel, path + ": metadata.json must hold a JSON object, got " +
                                              std::string(out["metadata"].type_name()));
    }
    if (zip.contains("config.json")) {
      std::string text = zip.read("config.json");
      utils::check_json_depth(text, path + ": config.json");
      Config config;
      try {
        config = Config::parse(text);
      } catch (const json::exception& e) {
        throw CommandError(kExitBadModel,
                           path + ": config.json is not valid JSON (" + e.what() + ")");
      }
      json model;
      model["class_name"] = config.value("class_name", Config()).dump();
      if (config.contains("class_name") && config["class_name"].is_string())
        model["class_name"] = config["class_name"].get<std::string>();
      if (config.contains("config") && config["config"].is_object()) {
        const Config& c = config["config"];
        if (c.contains("name")) model["name"] = c["name"];
        if (c.contains("layers") && c["layers"].is_array()) model["layers"] = c["layers"].size();
      }
      bool compiled = config.contains("compile_config") && config["compile_config"].is_object() &&
                      !config["compile_config"].empty();
      model["compiled"] = compiled;
      if (compiled) {
        const Config& cc = config["compile_config"];
        if (cc.contains("optimizer") && cc["optimizer"].is_object())
          model["optimizer"] = text_of(cc["optimizer"].value("class_name", json("")));
        if (cc.contains("loss")) model["loss"] = cc["loss"];
      }
      out["model"] = model;
    }
    out["weights"] = json::array();
    if (zip.contains("model.weights.h5")) {
      for (const auto& d : saving::list_weights_datasets(zip.read("model.weights.h5"),
                                                         path + "/model.weights.h5")) {
        json shape = json::array();
        for (int64_t v : d.shape) shape.push_back(v);
        out["weights"].push_back(
            {{"path", d.path}, {"shape", shape}, {"dtype", std::string(dtype_name(d.dtype))}});
      }
    }
  } catch (const CommandError&) {
    throw;
  } catch (const OSError& e) {
    throw CommandError(kExitFileNotFound, e.what());
  } catch (const Error& e) {
    throw CommandError(kExitBadModel, e.what());
  } catch (const json::exception& e) {
    throw CommandError(kExitBadModel, path + ": unexpected JSON in the archive (" + e.what() + ")");
  }
  if (as_json) {
    std::cout << json_text(out) << "\n";
    return kExitOk;
  }
  std::cout << "file: " << path << "\n\nmembers\n";
  for (const json& m : out["members"])
    std::cout << "  " << std::left << std::setw(24) << m["name"].get<std::string>()
              << human_bytes(m["size"].get<uint64_t>()) << "\n";
  if (out.contains("metadata")) {
    std::cout << "\nmetadata\n";
    for (auto it = out["metadata"].begin(); it != out["metadata"].end(); ++it)
      std::cout << "  " << std::left << std::setw(24) << it.key() << text_of(it.value()) << "\n";
  }
  if (out.contains("model")) {
    const json& m = out["model"];
    std::cout << "\nmodel\n  class_name              " << m["class_name"].get<std::string>()
              << "\n";
    if (m.contains("name")) std::cout << "  name                    " << text_of(m["name"]) << "\n";
    if (m.contains("layers")) std::cout << "  layers                  " << m["layers"] << "\n";
    std::cout << "  compiled                " << (m["compiled"].get<bool>() ? "yes" : "no");
    if (m.contains("optimizer"))
      std::cout << " (optimizer " << m["optimizer"].get<std::string>() << ", loss "
                << (m.contains("loss") ? m["loss"].dump() : "none") << ")";
    std::cout << "\n";
  }
  std::cout << "\nweights (" << out["weights"].size() << " arrays)\n";
  int64_t total = 0;
  for (const json& w : out["weights"]) {
    Shape s;
    for (const auto& v : w["shape"]) s.push_back(v.get<int64_t>());
    total += s.num_elements();
    std::cout << "  " << std::left << std::setw(48) << w["path"].get<std::string>() << std::setw(18)
              << shape_text(s) << w["dtype"].get<std::string>() << "\n";
  }
  std::cout << "  total: " << total << " values\n";
  return kExitOk;
}

int run_predict(const std::vector<std::string>& args, const std::string& output,
                const std::string& backend, std::optional<int64_t> batch_size) {
  if (args.size() != 2)
    throw CommandError(kExitUsage, "predict takes two arguments: MODEL.keras INPUTS.npz");
  if (output.empty()) throw CommandError(kExitUsage, "predict needs -o OUTPUT.npz");
  if (!backend.empty() && config::backend() != backend) {
    try {
      config::set_backend(backend);
    } catch (const Error& e) {
      throw CommandError(kExitUsage, e.what());
    }
  }
  Model model = load(args[0]);
  const std::string& in_path = args[1];
  require_file(in_path, "input file");
  std::map<std::string, saving::NpyArray> arrays;
  try {
    for (auto& [name, array] : saving::load_npz(in_path)) arrays.emplace(name, std::move(array));
  } catch (const OSError& e) {
    throw CommandError(kExitFileNotFound, e.what());
  } catch (const Error& e) {
    throw CommandError(kExitBadInput, e.what());
  }
  // Inputs: input_0..input_k, else by the names of the model's input layers.
  std::vector<Tensor> xs;
  const std::vector<Tensor>& inputs = model->inputs();
  size_t n_inputs = inputs.empty() ? 1 : inputs.size();
  std::vector<std::string> input_names;
  for (const Tensor& t : inputs) {
    const KerasHistory* h = keras_history(t);
    input_names.push_back(h ? h->node->layer->name() : "");
  }
  try {
    for (size_t i = 0; i < n_inputs; ++i) {
      std::string key = "input_" + std::to_string(i);
      if (!arrays.count(key) && i < input_names.size() && arrays.count(input_names[i]))
        key = input_names[i];
      if (!arrays.count(key)) {
        std::string have;
        for (const auto& [k, v] : arrays) have += (have.empty() ? "" : ", ") + k;
        throw CommandError(
            kExitBadInput,
            in_path + ": no array for model input " + std::to_string(i) + " (expected 'input_" +
                std::to_string(i) + "'" +
                (i < input_names.size() && !input_names[i].empty() ? " or '" + input_names[i] + "'"
                                                                   : std::string()) +
                "); the file has: " + (have.empty() ? "nothing" : have));
      }
      xs.push_back(arrays.at(key).to_tensor());
    }
  } catch (const CommandError&) {
    throw;
  } catch (const Error& e) {
    throw CommandError(kExitBadInput, in_path + ": " + e.what());
  }
  std::vector<Tensor> ys;
  try {
    ys = model.predict(xs, {.batch_size = batch_size});
  } catch (const Error& e) {
    throw CommandError(kExitBadInput, in_path + ": predict failed: " + e.what());
  }
  std::vector<std::pair<std::string, Tensor>> entries;
  for (size_t j = 0; j < ys.size(); ++j) entries.emplace_back("output_" + std::to_string(j), ys[j]);
  try {
    saving::save_npz(output, entries);
  } catch (const Error& e) {
    throw CommandError(kExitFailure, e.what());
  }
  for (size_t j = 0; j < ys.size(); ++j)
    std::cerr << "output_" << j << ": " << shape_text(ys[j].shape()) << " "
              << dtype_name(ys[j].dtype()) << "\n";
  return kExitOk;
}

}  // namespace

int load_configuration(const std::string& backend) {
  if (!backend.empty()) {
    std::vector<std::string> built = backend::available_backends();
    if (std::find(built.begin(), built.end(), backend) == built.end()) {
      std::string list;
      for (const std::string& b : built) list += (list.empty() ? "" : ", ") + b;
      std::cerr << "keras-cpp: --backend \"" << backend
                << "\" is not a backend of this build (built: " << list << ")\n"
                << "Try 'keras-cpp --help'.\n";
      return kExitUsage;
    }
  }
  try {
    if (!backend.empty()) config::set_backend(backend);  // KERAS_BACKEND is then not used
    config::backend();
    config::floatx();
  } catch (const std::exception& e) {
    std::cerr << "keras-cpp: environment error: " << e.what() << "\n"
              << "(keras.json: " << config::keras_json_path()
              << "; KERAS_HOME and KERAS_BACKEND choose the configuration)\n";
    return kExitEnvironment;
  }
  return kExitOk;
}

bool is_model_command(const std::string& command) {
  return command == "summary" || command == "inspect" || command == "predict";
}

int run_model_command(const std::string& command, const std::vector<std::string>& args,
                      const ModelCommandOptions& options) {
  try {
    if (command == "summary") return run_summary(args);
    if (command == "inspect") return run_inspect(args, options.json);
    return run_predict(args, options.output, options.backend, options.batch_size);
  } catch (const CommandError& e) {
    std::cerr << "keras-cpp: " << (e.code == kExitUsage ? "" : "error: ") << e.what() << "\n";
    if (e.code == kExitUsage) std::cerr << "Try 'keras-cpp --help'.\n";
    return e.code;
  }
}

}  // namespace keras::tools
