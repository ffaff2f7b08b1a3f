#pragma once
// Per-kernel timing of the cpu backend, for finding what a training step spends its time on.
// Off unless the environment variable KERAS_CPU_PROFILE is set (to anything but "0"); then every
// outermost kernel call (a kernel called from inside another one counts for the outer one) adds
// its wall time to a row named after the kernel and its variant ("binary:multiply",
// "unary:relu", "cast:bool->float32", "conv_backprop_filter"), and a table sorted by time goes
// to stderr at exit. The time between kernels (the ops layer: validation, dtype promotion, tape
// recording, VJP closures) is the step time minus the table's total. When off, a scope costs one
// test of a static flag.
#include <chrono>
#include <string_view>

namespace keras::backend::cpu {

namespace profile_detail {
extern const bool enabled;
extern thread_local int depth;
void add(std::string_view kernel, std::string_view variant, std::string_view variant2,
         double seconds);
}  // namespace profile_detail

class ProfileScope {
 public:
  // variant2, when given, is appended as "variant->variant2" (cast: "bool->float32").
  explicit ProfileScope(std::string_view kernel, std::string_view variant = {},
                        std::string_view variant2 = {}) {
    if (!profile_detail::enabled || profile_detail::depth++ > 0) return;
    kernel_ = kernel;
    variant_ = variant;
    variant2_ = variant2;
    start_ = std::chrono::steady_clock::now();
    active_ = true;
  }
  ~ProfileScope() {
    if (!profile_detail::enabled) return;
    --profile_detail::depth;
    if (active_)
      profile_detail::add(
          kernel_, variant_, variant2_,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }
  ProfileScope(const ProfileScope&) = delete;
  ProfileScope& operator=(const ProfileScope&) = delete;

 private:
  std::string_view kernel_, variant_, variant2_;
  std::chrono::steady_clock::time_point start_;
  bool active_ = false;
};

}  // namespace keras::backend::cpu
