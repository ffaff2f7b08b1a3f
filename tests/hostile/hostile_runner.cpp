#include "hostile_runner.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace keras::hostile {
namespace {

namespace fs = std::filesystem;

fs::path& suite_dir() {
  static fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "keras-hostile-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    return fs::path(tmpl);
  }();
  return dir;
}

struct Cleanup {
  ~Cleanup() {
    std::error_code ec;
    if (!suite_dir().empty()) fs::remove_all(suite_dir(), ec);
  }
} cleanup_at_exit;

}  // namespace

std::string RunResult::describe() const {
  std::string s;
  for (const auto& a : argv)
    s += (s.empty() ? "" : " ") + (a.size() > 120 ? a.substr(0, 120) + "..." : a);
  if (timed_out)
    s += "\n  -> TIMED OUT (killed)";
  else if (signal)
    s += "\n  -> killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  else
    s += "\n  -> exit code " + std::to_string(exit_code);
  s += ", peak RSS " + std::to_string(peak_rss_kib / 1024) + " MiB";
  std::string tail = err.size() > 2000 ? "..." + err.substr(err.size() - 2000) : err;
  return s + "\n  stderr: " + tail;
}

RunResult run_process(const std::vector<std::string>& argv, const RunOptions& options) {
  RunResult r;
  r.argv = argv;
  static int counter = 0;
  std::string base = (suite_dir() / ("run" + std::to_string(++counter))).string();
  std::string out_path = base + ".out", err_path = base + ".err", report_path = base + ".rss";
  pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork failed: " << std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    // Child: only async-signal-safe work besides setenv before exec.
    int in = open(options.stdin_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    setpgid(0, 0);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    for (const auto& [k, v] : options.env) {
      if (v.empty())
        unsetenv(k.c_str());
      else
        setenv(k.c_str(), v.c_str(), 1);
    }
#ifdef KERAS_HOSTILE_ASAN
    // No RLIMIT_AS under ASan; its own RSS watchdog and a cap on single allocations instead.
    setenv("ASAN_OPTIONS", "hard_rss_limit_mb=6144:max_allocation_size_mb=6144:detect_leaks=0", 1);
#else
    rlim_t cap = options.address_space_limit ? options.address_space_limit : kAddressSpaceLimit;
    rlimit lim{cap, cap};
    setrlimit(RLIMIT_AS, &lim);
#endif
    // Through the launcher, so that the peak RSS measured is the program's own, not this test
    // process's (tests/tools/peak_rss_launcher.cpp says why).
    std::vector<char*> args{const_cast<char*>(KERAS_HOSTILE_LAUNCHER),
                            const_cast<char*>(report_path.c_str())};
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(options.timeout_s * 1000));
  int status = 0;
  for (;;) {
    pid_t got = waitpid(pid, &status, WNOHANG);
    if (got == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (r.timed_out) {
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  } else {
    std::istringstream report(read_file(report_path));
    if (!(report >> r.exit_code >> r.signal >> r.peak_rss_kib))
      ADD_FAILURE() << "peak_rss_launcher wrote no report (status " << status << ")";
  }
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  std::error_code ec;
  fs::remove(out_path, ec);
  fs::remove(err_path, ec);
  fs::remove(report_path, ec);
  return r;
}

const std::string& cli() {
  static const std::string path = KERAS_HOSTILE_CLI;
  return path;
}
const std::string& driver() {
  static const std::string path = KERAS_HOSTILE_DRIVER;
  return path;
}

std::string example(const std::string& name) {
#ifdef KERAS_HOSTILE_EXAMPLES_DIR
  return std::string(KERAS_HOSTILE_EXAMPLES_DIR) + "/" + name;
#else
  (void)name;
  return "";
#endif
}

std::string temp_dir(const std::string& name) {
  fs::path d = suite_dir() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

std::string test_dir() {
  return temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) ADD_FAILURE() << "cannot write " << path;
  return path;
}

long baseline_rss_kib() {
  static long kib = [] {
    RunResult r = run_process({cli(), "info"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return r.peak_rss_kib;
  }();
  return kib;
}

void expect_clean_error(const RunResult& r, int exit_code,
                        std::initializer_list<std::string> parts) {
  EXPECT_FALSE(r.timed_out) << r.describe();
  EXPECT_EQ(r.signal, 0) << r.describe();
  EXPECT_EQ(r.exit_code, exit_code) << r.describe();
  for (const auto& p : parts)
    EXPECT_NE(r.err.find(p), std::string::npos) << "'" << p << "' not in stderr\n" << r.describe();
  for (const char* bad : {"terminate called", "AddressSanitizer", "runtime error:", "Aborted",
                          "LeakSanitizer", "std::bad_alloc"})
    EXPECT_EQ(r.err.find(bad), std::string::npos) << "'" << bad << "' in stderr\n" << r.describe();
  // The suite's blanket bound (docs/security.md): refusing an input never costs more than this
  // over the baseline; bomb cases assert tighter bounds themselves.
  expect_memory_under(r, kErrorMemoryBound);
}

void expect_memory_under(const RunResult& r, uint64_t extra_bytes) {
#ifdef KERAS_HOSTILE_ASAN
  // ASan's shadow and quarantine inflate RSS; the bound is checked in the plain build.
  (void)r;
  (void)extra_bytes;
#else
  long limit_kib = baseline_rss_kib() + static_cast<long>(extra_bytes >> 10);
  EXPECT_LE(r.peak_rss_kib, limit_kib)
      << "peak RSS over baseline + " << (extra_bytes >> 20) << " MiB\n"
      << r.describe();
#endif
}

}  // namespace keras::hostile
