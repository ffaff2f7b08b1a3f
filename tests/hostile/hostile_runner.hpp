#pragma once
// The hostile-input suite's process runner: every hostile case runs keras-cpp (or the suite's
// driver, hostile_driver.cpp) in a child process with a memory limit and a timeout, so a crash,
// hang or memory bomb is reported as a test failure instead of taking the test binary down.
//
//   RunResult r = run_process({cli(), "summary", path});
//   expect_clean_error(r, 4, {"config.json", "nested"});
//
// Limits: RLIMIT_AS of kAddressSpaceLimit (not under AddressSanitizer, which reserves terabytes of
// shadow memory; there ASAN_OPTIONS' hard_rss_limit_mb stands in), a wall-clock timeout after
// which the child is killed (SIGKILL: reported as `timed_out`), and the child's peak RSS as the
// kernel measured it (wait4), checked against the bound docs/security.md states.
#include <sys/types.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace keras::hostile {

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KERAS_HOSTILE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define KERAS_HOSTILE_ASAN 1
#endif
#ifdef KERAS_HOSTILE_ASAN
// No RLIMIT_AS for the children under ASan (run_process): tests that need one skip.
inline constexpr bool kAddressSpaceLimited = false;
#else
inline constexpr bool kAddressSpaceLimited = true;
#endif

// Address-space cap of each child outside ASan builds: larger than any honest case needs and
// small enough that a memory bomb fails fast on a 24 GiB machine.
inline constexpr uint64_t kAddressSpaceLimit = 6ull << 30;

struct RunOptions {
  double timeout_s = 60;
  std::map<std::string, std::string> env;  // set (an empty value unsets) on top of ours
  std::string stdin_path = "/dev/null";
  std::string cwd;  // empty: the current directory
  // RLIMIT_AS of the child (0: kAddressSpaceLimit); a smaller one provokes allocation failures.
  // Ignored under ASan.
  uint64_t address_space_limit = 0;
};

struct RunResult {
  std::vector<std::string> argv;
  int exit_code = -1;  // when the child exited
  int signal = 0;      // when a signal ended it (SIGKILL after the timeout: timed_out too)
  bool timed_out = false;
  long peak_rss_kib = 0;  // ru_maxrss of the program (measured by tools/peak_rss_launcher)
  std::string out, err;
  std::string describe() const;  // argv, how it ended, peak RSS and the tail of stderr
};

RunResult run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

// Paths of the binaries under test (compile definitions from tests/CMakeLists.txt).
const std::string& cli();  // keras-cpp
const std::string&
driver();  // hostile_driver: load_model / load_weights / predict as a user calls them
// An example program of examples/ (e.g. "fashion_mnist_convnet"); empty when the examples are not
// built (KERAS_BUILD_EXAMPLES=OFF).
std::string example(const std::string& name);

// A fresh empty directory for one test (removed at exit of the test binary).
std::string temp_dir(const std::string& name);
// temp_dir() named after the running test.
std::string test_dir();
std::string read_file(const std::string& path);
std::string write_file(const std::string& path, const std::string& bytes);  // returns path

// The peak RSS of `keras-cpp info` (libraries loaded, nothing read): the baseline that memory
// bounds are stated over.
long baseline_rss_kib();

// Peak RSS over baseline_rss_kib() that any refused input may cost (expect_clean_error).
inline constexpr uint64_t kErrorMemoryBound = 512ull << 20;

// Expects: the process exited (no signal, no timeout) with `exit_code`, its stderr names every
// one of `parts`, nothing on stderr looks like an uncaught exception or sanitizer report, and the
// peak RSS stayed within kErrorMemoryBound of the baseline.
void expect_clean_error(const RunResult& r, int exit_code,
                        std::initializer_list<std::string> parts);
// Expects the peak RSS to stay under baseline + `extra_bytes`.
void expect_memory_under(const RunResult& r, uint64_t extra_bytes);

}  // namespace keras::hostile
