// The KERAS_CPU_PROFILE table (see profile.hpp).
#include "backends/cpu/profile.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace keras::backend::cpu::profile_detail {

namespace {

struct Row {
  double seconds = 0;
  long long calls = 0;
};

struct Table {
  std::mutex mutex;
  std::map<std::string, Row> rows;

  ~Table() {
    std::vector<std::pair<std::string, Row>> sorted(rows.begin(), rows.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.second.seconds > b.second.seconds; });
    double total = 0;
    for (const auto& r : sorted) total += r.second.seconds;
    std::fprintf(stderr, "\nKERAS_CPU_PROFILE: cpu backend kernels, wall time, outermost calls\n");
    std::fprintf(stderr, "%-40s %10s %7s %10s %12s\n", "kernel", "total ms", "%", "calls",
                 "us/call");
    for (const auto& [name, r] : sorted)
      std::fprintf(stderr, "%-40s %10.1f %6.1f%% %10lld %12.1f\n", name.c_str(), r.seconds * 1e3,
                   total > 0 ? 100 * r.seconds / total : 0.0, r.calls,
                   r.calls ? r.seconds * 1e6 / static_cast<double>(r.calls) : 0.0);
    std::fprintf(stderr, "%-40s %10.1f\n", "total", total * 1e3);
  }
};

Table& table() {
  static Table t;  // printed when the program exits
  return t;
}

bool read_enabled() {
  const char* v = std::getenv("KERAS_CPU_PROFILE");
  if (!v || !*v || std::strcmp(v, "0") == 0) return false;
  table();  // constructed now, so it is destroyed (and printed) after every kernel has run
  return true;
}

}  // namespace

const bool enabled = read_enabled();
thread_local int depth = 0;

void add(std::string_view kernel, std::string_view variant, std::string_view variant2,
         double seconds) {
  std::string key(kernel);
  if (!variant.empty()) {
    key += ':';
    key += variant;
  }
  if (!variant2.empty()) {
    key += "->";
    key += variant2;
  }
  Table& t = table();
  std::lock_guard lock(t.mutex);
  Row& r = t.rows[key];
  r.seconds += seconds;
  ++r.calls;
}

}  // namespace keras::backend::cpu::profile_detail
