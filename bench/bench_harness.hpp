#pragma once
// What the *_vs_pytorch benchmarks share: best-of-N wall-clock timing, the common
// "--flag value" arguments (--backend, --steps, --warmup, --repeats, --batch-size) and main's
// setup and error handling.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "keras/keras.hpp"

namespace keras::bench {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The shortest of `repeats` timings of f(), in seconds.
inline double best_of(int repeats, const std::function<void()>& f) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, seconds_since(t0));
  }
  return best;
}

// Batch number `step` (of `batch_size` samples) of t, along its first axis.
inline Tensor batch_of(const Tensor& t, int step, int64_t batch_size) {
  std::vector<int64_t> start(t.ndim(), 0);
  start[0] = step * batch_size;
  Shape shape = t.shape();
  shape[0] = batch_size;
  return ops::slice(t, start, shape);
}

struct CommonArgs {
  std::string backend = "cpu";
  int steps = 20, warmup = 3, repeats = 3;
  int64_t batch_size = 128;
};

// Where a flag's value goes: a string as given, an int (std::stoi) or an int64_t (std::stoll).
using FlagTarget = std::variant<std::string*, int*, int64_t*>;

// Parses "--flag value" pairs into `args` (the common flags) or the benchmark's own `flags`;
// false (after printing "unknown flag ...") for a flag neither has.
inline bool parse_flags(int argc, char** argv, CommonArgs& args,
                        std::map<std::string, FlagTarget> flags = {}) {
  flags.insert({{"--backend", &args.backend},
                {"--steps", &args.steps},
                {"--warmup", &args.warmup},
                {"--repeats", &args.repeats},
                {"--batch-size", &args.batch_size}});
  for (int i = 1; i + 1 < argc; i += 2) {
    auto it = flags.find(argv[i]);
    if (it == flags.end()) {
      std::cerr << "unknown flag " << argv[i] << "\n";
      return false;
    }
    const std::string value = argv[i + 1];
    std::visit(
        [&](auto* target) {
          using T = std::remove_pointer_t<decltype(target)>;
          if constexpr (std::is_same_v<T, std::string>)
            *target = value;
          else if constexpr (std::is_same_v<T, int>)
            *target = std::stoi(value);
          else
            *target = std::stoll(value);
        },
        it->second);
  }
  return true;
}

// main's body: selects the backend, seeds the global generator with 42 and runs `body`; the
// exit code is 0, or 1 (with the message on stderr) when it throws keras::Error.
inline int run_benchmark(const CommonArgs& args, const std::function<void()>& body) {
  try {
    config::set_backend(args.backend);
    random::set_random_seed(42);
    body();
  } catch (const Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace keras::bench
