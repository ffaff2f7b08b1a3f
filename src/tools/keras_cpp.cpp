// keras-cpp: the command-line tool.
//   keras-cpp info [--json]   version, configuration, built backends and their op coverage
//   keras-cpp ops [--json]    the catalogue of public ops (family, tier, fused kernels)
//   keras-cpp summary M.keras             Keras's summary table of a saved model
//   keras-cpp inspect M.keras [--json]    archive members, metadata and every weight array
//   keras-cpp predict M.keras IN.npz -o OUT.npz [--backend NAME] [--batch-size N]
//   keras-cpp --version | --help
// Exit codes: 0 success, 1 runtime error (out of memory included), 2 usage error, 3 file not found,
// 4 invalid model file, 5 invalid or incompatible input data, 6 environment or configuration
// error (model_commands.hpp). Every exception ends in a message and one of these, never an abort;
// text output escapes terminal controls (terminal_text.hpp).
#include <charconv>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keras/backend/backend.hpp"
#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"
#include "keras/ops/registry.hpp"
#include "keras/version.hpp"
#include "model_commands.hpp"
#include "terminal_text.hpp"

namespace {

using keras::backend::FusedKernel;
using nlohmann::json;

const char* const kUsage =
    "usage: keras-cpp <command> [options] [arguments]\n"
    "\n"
    "Keras 3 in C++: a command-line view of the library.\n"
    "\n"
    "commands:\n"
    "  info        version, configuration, built backends (device, threads, libraries,\n"
    "              native fused kernels) and op coverage per backend\n"
    "  ops         the public ops: name, Keras family, porting tier, fused kernels used\n"
    "  summary MODEL.keras\n"
    "              load a .keras model (keras-cpp or Python Keras 3) and print its summary\n"
    "  inspect MODEL.keras\n"
    "              archive members with sizes, metadata and every weight (path, shape, dtype)\n"
    "  predict MODEL.keras INPUTS.npz -o OUTPUTS.npz\n"
    "              run the model on input_0..input_k (or arrays named like the input layers)\n"
    "              and write output_0..output_m\n"
    "\n"
    "options:\n"
    "  --json      machine-readable output (info, ops, inspect)\n"
    "  -o, --output PATH     predict: where to write the outputs (.npz)\n"
    "  --backend NAME        predict: the backend to run on (default: see below)\n"
    "  --batch-size N        predict: batch size (default 32)\n"
    "  --version   print the version and exit\n"
    "  -h, --help  print this help and exit\n"
    "\n"
    "exit codes: 0 success, 1 runtime error (out of memory included), 2 usage error,\n"
    "            3 file not found, 4 invalid model file, 5 invalid or incompatible input data,\n"
    "            6 environment or configuration error (KERAS_BACKEND, keras.json)\n"
    "\n"
    "The backend is chosen by keras::config::set_backend(), else KERAS_BACKEND, else the\n"
    "\"backend\" key of $KERAS_HOME/keras.json (default ~/.keras/keras.json), else \"cpu\".\n"
    "keras.json must be a regular file holding a JSON object; KERAS_BACKEND must name a built\n"
    "backend (see 'keras-cpp info'). Names read from files are printed with terminal control\n"
    "characters escaped (\\x1b, \\u009b, ...).\n";

json backend_json(const std::string& name) {
  json b = {{"name", name}};
  try {
    keras::backend::Backend& be = keras::backend::get_backend(name);
    keras::backend::BackendInfo info = be.info();
    b["device"] = info.device;
    b["num_threads"] = info.num_threads;
    b["libraries"] = info.libraries;
    json native = json::array(), fallback = json::array();
    for (int k = 0; k < keras::backend::kNumFusedKernels; ++k) {
      auto kernel = static_cast<FusedKernel>(k);
      (be.has_native(kernel) ? native : fallback)
          .push_back(keras::backend::fused_kernel_name(kernel));
    }
    b["fused_kernels"] = {{"native", native}, {"composite_fallback", fallback}};
    keras::ops::OpCoverage c = keras::ops::op_coverage(be);
    b["ops"] = {{"total", c.total},
                {"primitives_only", c.primitives_only},
                {"with_fused_kernels", c.with_fused},
                {"fused_native", c.native},
                {"fused_composite_fallback", c.with_fused - c.native}};
  } catch (const std::exception& e) {
    b["error"] = e.what();
  }
  return b;
}

json info_json() {
  json j;
  j["version"] = keras::version();
  j["config"] = {{"backend", keras::config::backend()},
                 {"floatx", std::string(keras::dtype_name(keras::config::floatx()))},
                 {"epsilon", keras::config::epsilon()},
                 {"image_data_format", keras::config::image_data_format()},
                 {"keras_json", keras::config::keras_json_path()}};
  j["backends"] = json::array();
  for (const std::string& name : keras::backend::available_backends())
    j["backends"].push_back(backend_json(name));
  std::map<std::string, int> by_tier, by_family;
  for (const keras::ops::OpInfo& op : keras::ops::op_registry()) {
    ++by_tier[std::to_string(op.tier)];
    ++by_family[std::string(op.family)];
  }
  j["ops"] = {
      {"total", keras::ops::op_registry().size()}, {"by_tier", by_tier}, {"by_family", by_family}};
  return j;
}

std::string join(const json& list) {
  std::string s;
  for (const auto& v : list) s += (s.empty() ? "" : ", ") + v.get<std::string>();
  return s.empty() ? "none" : s;
}

void print_info(const json& j) {
  const json& cfg = j["config"];
  std::cout << "keras-cpp " << j["version"].get<std::string>() << "\n\n"
            << "configuration\n"
            << "  backend            " << cfg["backend"].get<std::string>() << "\n"
            << "  floatx             " << cfg["floatx"].get<std::string>() << "\n"
            << "  epsilon            " << cfg["epsilon"].get<double>() << "\n"
            << "  image_data_format  " << cfg["image_data_format"].get<std::string>() << "\n"
            << "  keras.json         " << cfg["keras_json"].get<std::string>() << "\n\n"
            << "ops: " << j["ops"]["total"]
            << " public ops (tier 1: " << j["ops"]["by_tier"].value("1", 0)
            << ", tier 2: " << j["ops"]["by_tier"].value("2", 0)
            << ", tier 3: " << j["ops"]["by_tier"].value("3", 0) << ")\n";
  std::cout << "\nbuilt backends\n";
  for (const json& b : j["backends"]) {
    std::cout << "  " << b["name"].get<std::string>() << "\n";
    if (b.contains("error")) {
      std::cout << "    error: " << b["error"].get<std::string>() << "\n";
      continue;
    }
    const json& ops = b["ops"];
    std::cout << "    device             " << b["device"].get<std::string>() << "\n"
              << "    threads            " << b["num_threads"] << "\n"
              << "    libraries          " << b["libraries"].get<std::string>() << "\n"
              << "    native kernels     " << join(b["fused_kernels"]["native"]) << "\n"
              << "    composite kernels  " << join(b["fused_kernels"]["composite_fallback"]) << "\n"
              << "    op coverage        " << ops["total"]
              << " ops run on this backend: " << ops["primitives_only"]
              << " need only the required primitive kernels; " << ops["with_fused_kernels"]
              << " can use fused kernels, " << ops["fused_native"] << " of them natively here and "
              << ops["fused_composite_fallback"] << " through composite fallbacks\n";
  }
}

json ops_json() {
  json list = json::array();
  for (const keras::ops::OpInfo& op : keras::ops::op_registry()) {
    json fused = json::array();
    for (FusedKernel k : op.fused) fused.push_back(keras::backend::fused_kernel_name(k));
    list.push_back(
        {{"name", op.name}, {"family", op.family}, {"tier", op.tier}, {"fused_kernels", fused}});
  }
  return list;
}

void print_ops(const json& list) {
  for (const json& op : list) {
    std::cout << op["family"].get<std::string>() << "\t" << op["name"].get<std::string>()
              << "\ttier " << op["tier"];
    if (!op["fused_kernels"].empty()) std::cout << "\tfused: " << join(op["fused_kernels"]);
    std::cout << "\n";
  }
}

int usage_error(const std::string& message) {
  std::cerr << "keras-cpp: " << message << "\n"
            << "Try 'keras-cpp --help'.\n";
  return 2;
}

// --batch-size: a positive int64, all of the text (no sign, space, exponent or trailing junk).
std::optional<int64_t> parse_positive(const std::string& text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1) return std::nullopt;
  return n;
}

int run(const std::vector<std::string>& args,
        std::optional<keras::tools::TerminalSafeStream>& out) {
  std::string command;
  std::vector<std::string> positional;
  bool as_json = false;
  keras::tools::ModelCommandOptions model_options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help" || a == "help") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--version") {
      std::cout << "keras-cpp " << keras::version() << "\n";
      return 0;
    }
    auto value = [&](const std::string& option) -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--json") {
      as_json = true;
    } else if (a == "-o" || a == "--output" || a == "--backend" || a == "--batch-size") {
      std::optional<std::string> v = value(a);
      if (!v) return usage_error("option '" + a + "' needs a value");
      if (a == "--backend") {
        model_options.backend = *v;
      } else if (a == "--batch-size") {
        model_options.batch_size = parse_positive(*v);
        if (!model_options.batch_size)
          return usage_error("--batch-size expects a positive integer (at most " +
                             std::to_string(INT64_MAX) + "), got '" + *v + "'");
      } else {
        model_options.output = *v;
      }
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "'");
    } else if (command.empty()) {
      command = a;
    } else {
      positional.push_back(a);
    }
  }
  // JSON output is escaped by the JSON writer; text output by the terminal filter.
  if (!as_json) out.emplace(std::cout);
  if (keras::tools::is_model_command(command)) {
    if (int code =
            keras::tools::load_configuration(command == "predict" ? model_options.backend : ""))
      return code;
    model_options.json = as_json;
    return keras::tools::run_model_command(command, positional, model_options);
  }
  if (!positional.empty()) return usage_error("unexpected argument '" + positional[0] + "'");
  if (!model_options.output.empty() || !model_options.backend.empty() || model_options.batch_size)
    return usage_error("-o, --backend and --batch-size only apply to 'predict'");
  if (command.empty())
    return usage_error("no command given (expected info, ops, summary, inspect or predict)");
  if (command == "info")
    if (int code = keras::tools::load_configuration()) return code;
  try {
    if (command == "info") {
      json j = info_json();
      if (as_json)
        std::cout << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
      else
        print_info(j);
    } else if (command == "ops") {
      json j = ops_json();
      if (as_json)
        std::cout << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
      else
        print_ops(j);
    } else {
      return usage_error("unknown command '" + command +
                         "' (expected info, ops, summary, inspect or predict)");
    }
  } catch (const keras::Error& e) {
    std::cerr << "keras-cpp: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string invocation = "keras-cpp";
  for (const std::string& a : args) invocation += " " + a;
  // Destroyed after the handlers below have written: everything printed goes through them.
  keras::tools::TerminalSafeStream safe_err(std::cerr);
  std::optional<keras::tools::TerminalSafeStream> safe_out;
  try {
    return run(args, safe_out);
  } catch (const std::bad_alloc&) {
    std::cerr << "keras-cpp: error: out of memory running '" << invocation << "'\n";
  } catch (const std::exception& e) {
    std::cerr << "keras-cpp: error: '" << invocation << "' failed: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "keras-cpp: error: '" << invocation << "' failed with an unknown exception\n";
  }
  return keras::tools::kExitFailure;
}
