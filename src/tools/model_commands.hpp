#pragma once
// The .keras commands of keras-cpp: summary, inspect, predict (model_commands.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keras::tools {

// Exit codes of keras-cpp (also listed by `keras-cpp --help`). Every error, whatever its type,
// ends in one of these with a message on stderr naming the command and the file; none aborts.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;       // any other runtime error, out of memory included
inline constexpr int kExitUsage = 2;         // bad command line
inline constexpr int kExitFileNotFound = 3;  // a file given on the command line cannot be read
inline constexpr int kExitBadModel = 4;      // not a loadable .keras file
inline constexpr int kExitBadInput = 5;      // inputs missing, malformed or incompatible
inline constexpr int kExitEnvironment = 6;   // bad KERAS_BACKEND or keras.json

struct ModelCommandOptions {
  bool json = false;                  // inspect --json
  std::string output;                 // predict -o
  std::string backend;                // predict --backend
  std::optional<int64_t> batch_size;  // predict --batch-size
};

// Reads the configuration (keras.json, KERAS_BACKEND) before any file, so that a bad one is
// reported as what it is: kExitEnvironment, with the message on stderr. `backend` (predict's
// --backend) replaces KERAS_BACKEND; a name that is not built is kExitUsage. Returns kExitOk when
// the configuration is usable.
int load_configuration(const std::string& backend = "");

bool is_model_command(const std::string& command);
// Runs the command, printing errors to stderr; returns the exit code.
int run_model_command(const std::string& command, const std::vector<std::string>& args,
                      const ModelCommandOptions& options);

}  // namespace keras::tools
