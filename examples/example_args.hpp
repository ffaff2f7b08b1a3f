#pragma once
// The command line shared by the Fashion-MNIST examples:
//   --epochs N  --batch-size N  --backend NAME  --limit N  --verbose 0|1|2  [--save PATH.keras]
//   [--load PATH.keras]  and integer flags of the example's own (e.g. --heads N).
// Bad flags print the usage line and exit with status 2.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "keras/keras.hpp"

namespace examples {

struct Args {
  int epochs = 15;
  int64_t batch_size = 128;
  std::string backend;
  int64_t limit = 0;  // 0: all samples
  int verbose = 1;
  std::string save_path;
  std::string load_path;
  std::map<std::string, int64_t> extra;  // the example's own integer flags, by name ("--heads")
};

// What an example accepts beyond the common flags.
struct ArgsSpec {
  std::string program;
  int default_epochs = 15;
  int64_t default_batch_size = 128;
  bool save = true;                      // accepts --save
  bool load = false;                     // accepts --load
  std::map<std::string, int64_t> extra;  // integer flags with their defaults
};

[[noreturn]] inline void usage(const ArgsSpec& spec, const std::string& error) {
  std::cerr << "error: " << error << "\nusage: " << spec.program
            << " [--epochs N] [--batch-size N] [--backend NAME] [--limit N] [--verbose 0|1|2]";
  if (spec.save) std::cerr << " [--save PATH.keras]";
  if (spec.load) std::cerr << " [--load PATH.keras]";
  for (const auto& [flag, value] : spec.extra) std::cerr << " [" << flag << " N]";
  std::cerr << "\n";
  std::exit(2);
}

inline int64_t parse_count(const ArgsSpec& spec, const std::string& flag, const char* value) {
  try {
    size_t used = 0;
    long long v = std::stoll(value, &used);
    if (used != std::string(value).size() || v < 0) throw std::invalid_argument(value);
    return v;
  } catch (const std::exception&) {
    usage(spec, flag + " expects a non-negative integer, got '" + value + "'");
  }
}

inline Args parse_args(int argc, char** argv, const ArgsSpec& spec) {
  Args a;
  a.epochs = spec.default_epochs;
  a.batch_size = spec.default_batch_size;
  a.extra = spec.extra;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") usage(spec, "help requested");
    if (i + 1 >= argc) usage(spec, flag + " needs a value");
    const char* value = argv[++i];
    if (flag == "--epochs")
      a.epochs = static_cast<int>(parse_count(spec, flag, value));
    else if (flag == "--batch-size")
      a.batch_size = parse_count(spec, flag, value);
    else if (flag == "--backend")
      a.backend = value;
    else if (flag == "--limit")
      a.limit = parse_count(spec, flag, value);
    else if (flag == "--verbose")
      a.verbose = static_cast<int>(parse_count(spec, flag, value));
    else if (flag == "--save" && spec.save)
      a.save_path = value;
    else if (flag == "--load" && spec.load)
      a.load_path = value;
    else if (spec.extra.count(flag))
      a.extra[flag] = parse_count(spec, flag, value);
    else
      usage(spec, "unknown flag " + flag);
  }
  if (a.batch_size == 0) usage(spec, "--batch-size must be positive");
  return a;
}

// The first n samples of x (all of them when n is 0 or too large).
inline keras::Tensor head(const keras::Tensor& x, int64_t n) {
  if (n <= 0 || n >= x.shape()[0]) return x;
  std::vector<int64_t> start(x.ndim(), 0);
  keras::Shape shape = x.shape();
  shape[0] = n;
  return keras::ops::slice(x, start, shape);
}

}  // namespace examples
