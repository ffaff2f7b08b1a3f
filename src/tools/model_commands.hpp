#pragma once
// The .keras commands of keras-cpp: summary, inspect, predict (model_commands.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keras::tools {

// Exit codes of keras-cpp.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;       // any other runtime error
inline constexpr int kExitUsage = 2;         // bad command line
inline constexpr int kExitFileNotFound = 3;  // a file given on the command line cannot be read
inline constexpr int kExitBadModel = 4;      // not a loadable .keras file
inline constexpr int kExitBadInput = 5;      // inputs missing, malformed or incompatible

struct ModelCommandOptions {
  bool json = false;                  // inspect --json
  std::string output;                 // predict -o
  std::string backend;                // predict --backend
  std::optional<int64_t> batch_size;  // predict --batch-size
};

bool is_model_command(const std::string& command);
// Runs the command, printing errors to stderr; returns the exit code.
int run_model_command(const std::string& command, const std::vector<std::string>& args,
                      const ModelCommandOptions& options);

}  // namespace keras::tools
