// The suite's own measuring stick: the peak RSS that run_process() reports is the program's,
// however large this test process has grown (tools/peak_rss_launcher.cpp says why that needs a
// launcher). Without it, every memory bound of the suite would fail once an earlier test left
// this process big, and would pass where it should not while this process is small.
#include <gtest/gtest.h>

#include <vector>

#include "hostile_runner.hpp"

namespace keras::hostile {
namespace {

TEST(Runner, PeakRssIsTheProgramsOwnNotTheTestProcesss) {
  long baseline = baseline_rss_kib();
  // Make this process larger than the baseline by far more than the bound below.
  std::vector<char> ballast(512ull << 20);
  for (size_t i = 0; i < ballast.size(); i += 4096) ballast[i] = 1;
  RunResult r = run_process({cli(), "info"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_LE(r.peak_rss_kib, baseline + (64l << 10)) << r.describe();
  EXPECT_GT(r.peak_rss_kib, 0) << r.describe();
  EXPECT_EQ(ballast[4096], 1);
}

}  // namespace
}  // namespace keras::hostile
