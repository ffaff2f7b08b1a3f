#pragma once
// The command line shared by the Fashion-MNIST examples:
//   --epochs N  --batch-size N  --backend NAME  --limit N  --verbose 0|1|2  --pipeline 0|1
//   [--save PATH.keras]  [--load PATH.keras]  and positive integer flags of the example's own
//   (e.g. --heads N). --pipeline 1 feeds fit from a keras::data pipeline instead of tensors.
// Integers are parsed exactly: all of the text, in range (--epochs up to INT_MAX, --verbose 0..2,
// --batch-size and the example's own flags from 1), else the flag is named in the error.
//
// Exit codes of the examples (run_example): 0 success, 1 runtime error (out of memory and any
// other exception included: every one is printed, none aborts), 2 bad flags, 6 environment error
// (KERAS_BACKEND or keras.json unusable).
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <new>
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
  bool pipeline = false;  // fit on a keras::data::Dataset (docs/data.md) rather than tensors
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
            << " [--epochs N] [--batch-size N] [--backend NAME] [--limit N] [--verbose 0|1|2]"
               " [--pipeline 0|1]";
  if (spec.save) std::cerr << " [--save PATH.keras]";
  if (spec.load) std::cerr << " [--load PATH.keras]";
  for (const auto& [flag, value] : spec.extra) std::cerr << " [" << flag << " N]";
  std::cerr << "\n";
  std::exit(2);
}

// `value` as an integer in [lo, hi]: all of it, decimal digits with an optional '-', no overflow.
inline int64_t parse_int(const ArgsSpec& spec, const std::string& flag, const std::string& value,
                         int64_t lo, int64_t hi = std::numeric_limits<int64_t>::max()) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || v < lo || v > hi)
    usage(spec, flag + " expects an integer from " + std::to_string(lo) + " to " +
                    std::to_string(hi) + ", got '" + value + "'");
  return v;
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
      a.epochs = static_cast<int>(parse_int(spec, flag, value, 0, std::numeric_limits<int>::max()));
    else if (flag == "--batch-size")
      a.batch_size = parse_int(spec, flag, value, 1);
    else if (flag == "--backend")
      a.backend = value;
    else if (flag == "--limit")
      a.limit = parse_int(spec, flag, value, 0);
    else if (flag == "--verbose")
      a.verbose = static_cast<int>(parse_int(spec, flag, value, 0, 2));
    else if (flag == "--pipeline")
      a.pipeline = parse_int(spec, flag, value, 0, 1) == 1;
    else if (flag == "--save" && spec.save)
      a.save_path = value;
    else if (flag == "--load" && spec.load)
      a.load_path = value;
    else if (spec.extra.count(flag))
      a.extra[flag] = parse_int(spec, flag, value, 1);
    else
      usage(spec, "unknown flag " + flag);
  }
  return a;
}

// Runs an example's body: selects the backend (--backend, else the configuration) and turns every
// exception into a message and an exit code (see the top of this file), so that no error from
// the data, a model file or the environment ends in std::terminate.
inline int run_example(const ArgsSpec& spec, const Args& args, const std::function<int()>& body) {
  try {
    if (!args.backend.empty()) {
      std::vector<std::string> built = keras::backend::available_backends();
      if (std::find(built.begin(), built.end(), args.backend) == built.end())
        usage(spec, "--backend '" + args.backend + "' is not a backend of this build");
      keras::config::set_backend(args.backend);
    }
    keras::config::backend();  // reads keras.json and KERAS_BACKEND now, before any data
  } catch (const std::exception& e) {
    std::cerr << spec.program << ": environment error: " << e.what() << "\n";
    return 6;
  }
  try {
    return body();
  } catch (const std::bad_alloc&) {
    std::cerr << spec.program << ": error: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << spec.program << ": error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << spec.program << ": error: unknown exception\n";
  }
  return 1;
}

// The first n samples of x (all of them when n is 0 or too large).
inline keras::Tensor head(const keras::Tensor& x, int64_t n) {
  if (n <= 0 || n >= x.shape()[0]) return x;
  std::vector<int64_t> start(x.ndim(), 0);
  keras::Shape shape = x.shape();
  shape[0] = n;
  return keras::ops::slice(x, start, shape);
}

// Trains a compiled model with the command line's batch size, epochs and verbosity, holding out
// the last 10% of the training data for validation. With --pipeline 1 the same split feeds fit
// through keras::data: the training rows shuffled each epoch, batched and prefetched on a
// background thread.
template <class M>
void fit_example(M& model, const keras::Tensor& x_train, const keras::Tensor& y_train,
                 const Args& args) {
  if (!args.pipeline) {
    model.fit(x_train, y_train,
              {.batch_size = args.batch_size,
               .epochs = args.epochs,
               .verbose = args.verbose,
               .validation_split = 0.1});
    return;
  }
  namespace data = keras::data;
  const int64_t n = x_train.shape()[0];
  const int64_t split = static_cast<int64_t>(static_cast<double>(n) * 0.9);  // as validation_split
  if (split <= 0 || split >= n)
    throw keras::ValueError("--pipeline: " + std::to_string(n) +
                            " samples leave no training or no validation samples");
  auto rows = [](const keras::Tensor& t, int64_t begin, int64_t end) {
    std::vector<int64_t> start(t.ndim(), 0);
    start[0] = begin;
    keras::Shape shape = t.shape();
    shape[0] = end - begin;
    return keras::ops::slice(t, start, shape);
  };
  auto train = data::Dataset::from_tensor_slices({rows(x_train, 0, split), rows(y_train, 0, split)})
                   .shuffle(split)
                   .batch(args.batch_size)
                   .prefetch(data::AUTOTUNE);
  auto validation =
      data::Dataset::from_tensor_slices({rows(x_train, split, n), rows(y_train, split, n)})
          .batch(args.batch_size);
  model.fit(train, {.epochs = args.epochs, .verbose = args.verbose, .validation_data = validation});
}

// Prints the model's loss and accuracy on the test data; returns the exit code 0.
template <class M>
int print_test_scores(M& model, const keras::Tensor& x_test, const keras::Tensor& y_test) {
  auto scores = model.evaluate(x_test, y_test, {.verbose = 0});
  std::printf("test loss: %.4f\n", scores["loss"]);
  std::printf("test accuracy: %.4f\n", scores["accuracy"]);
  return 0;
}

}  // namespace examples
