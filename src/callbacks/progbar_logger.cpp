// ProgbarLogger: Keras's progress bar (keras/src/utils/progbar.py), same layout and numbers.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "keras/callbacks/history.hpp"

namespace keras::callbacks {
namespace {

bool is_terminal(std::ostream* out) { return out == &std::cout && ::isatty(STDOUT_FILENO); }

std::string format_value(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, std::fabs(v) > 1e-3 ? "%.4f" : "%.4e", v);
  return buf;
}

std::string format_time_per_step(double seconds) {
  char buf[64];
  if (seconds >= 1 || seconds == 0)
    std::snprintf(buf, sizeof buf, " %.0fs/step", seconds);
  else if (seconds >= 1e-3)
    std::snprintf(buf, sizeof buf, " %.0fms/step", seconds * 1e3);
  else
    std::snprintf(buf, sizeof buf, " %.0fus/step", seconds * 1e6);
  return buf;
}

std::string format_eta(double eta) {
  char buf[64];
  long e = static_cast<long>(eta);
  if (eta > 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", e / 3600, (e % 3600) / 60, e % 60);
  else if (eta > 60)
    std::snprintf(buf, sizeof buf, "%ld:%02ld", e / 60, e % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", e);
  return buf;
}

}  // namespace

ProgbarLogger::ProgbarLogger(std::ostream* out) : out_(out ? out : &std::cout) {}

void ProgbarLogger::set_params(const Params& params) {
  Callback::set_params(params);
  verbose_ = params.verbose;
  target_ = params.steps;
}

void ProgbarLogger::start() {
  start_ = std::chrono::steady_clock::now();
  last_draw_ = {};
  last_width_ = 0;
  seen_ = 0;
}

void ProgbarLogger::on_epoch_begin(int epoch, Logs&) {
  start();
  target_ = params().steps;
  if (verbose_ && params().epochs > 1)
    *out_ << "Epoch " << (epoch + 1) << "/" << params().epochs << "\n" << std::flush;
}

void ProgbarLogger::on_train_batch_end(int64_t batch, Logs& logs) {
  update(batch + 1, logs, false);
}

void ProgbarLogger::on_epoch_end(int, Logs& logs) { update(target_, logs, true); }

void ProgbarLogger::on_test_begin(Logs&) {
  in_test_during_training_ = training_;
  if (!training_) {
    start();
    target_ = params().steps;
  }
}
void ProgbarLogger::on_test_batch_end(int64_t batch, Logs& logs) {
  if (!in_test_during_training_) update(batch + 1, logs, false);
}
void ProgbarLogger::on_test_end(Logs& logs) {
  if (!in_test_during_training_) update(target_, logs, true);
}
void ProgbarLogger::on_predict_begin(Logs&) {
  start();
  target_ = params().steps;
}
void ProgbarLogger::on_predict_batch_end(int64_t batch, Logs& logs) {
  update(batch + 1, logs, false);
}
void ProgbarLogger::on_predict_end(Logs& logs) { update(target_, logs, true); }

void ProgbarLogger::update(int64_t current, Logs& logs, bool finalize) {
  // An epoch of unknown length ends where its last step was: that is its length.
  if (finalize && target_ <= 0) target_ = current = std::max(current, seen_);
  seen_ = current;
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double per_step = current > 0 ? elapsed / static_cast<double>(current) : 0.0;
  std::string metrics;
  for (const auto& [k, v] : logs) metrics += " - " + k + ": " + format_value(v);
  if (verbose_ == 2) {
    if (!finalize) return;
    int digits = target_ > 0 ? static_cast<int>(std::log10(static_cast<double>(target_))) + 1 : 1;
    char count[64];
    std::snprintf(count, sizeof count, "%*lld/%lld", digits, static_cast<long long>(current),
                  static_cast<long long>(target_));
    *out_ << count << " - " << static_cast<long>(std::lround(elapsed)) << "s -"
          << format_time_per_step(per_step) << metrics << "\n"
          << std::flush;
    return;
  }
  if (verbose_ != 1) return;
  bool dynamic = is_terminal(out_);
  // Redraw at most every 50 ms on a terminal; elsewhere (logs, pipes) only the final line.
  if (!finalize && (!dynamic || now - last_draw_ < std::chrono::milliseconds(50))) return;
  last_draw_ = now;
  const int width = 20;
  int digits = target_ > 0 ? static_cast<int>(std::log10(static_cast<double>(target_))) + 1 : 1;
  char count[64];
  if (target_ > 0)
    std::snprintf(count, sizeof count, "%*lld/%lld", digits, static_cast<long long>(current),
                  static_cast<long long>(target_));
  else
    std::snprintf(count, sizeof count, "%lld/Unknown", static_cast<long long>(current));
  int done = target_ > 0 ? static_cast<int>(width * static_cast<double>(current) / target_) : 0;
  std::string bar_done, bar_todo;
  for (int i = 0; i < done; ++i) bar_done += "━";
  for (int i = done; i < width; ++i) bar_todo += "━";
  std::string time_info = finalize ? std::to_string(static_cast<long>(std::lround(elapsed))) + "s"
                          : target_ > 0
                              ? format_eta(per_step * static_cast<double>(target_ - current))
                              : std::string();
  std::string plain = std::string(count) + " " + std::string(width, '-') + " " + time_info +
                      format_time_per_step(per_step) + metrics;
  std::string line;
  if (dynamic)
    line = "\r\x1b[1m" + std::string(count) + "\x1b[0m \x1b[32m" + bar_done + "\x1b[0m\x1b[37m" +
           bar_todo + "\x1b[0m \x1b[1m" + time_info + "\x1b[0m" + format_time_per_step(per_step) +
           metrics;
  else
    line = std::string(count) + " " + bar_done + bar_todo + " " + time_info +
           format_time_per_step(per_step) + metrics;
  if (dynamic && last_width_ > plain.size()) line += std::string(last_width_ - plain.size(), ' ');
  last_width_ = plain.size();
  *out_ << line;
  if (finalize) *out_ << "\n";
  *out_ << std::flush;
}

}  // namespace keras::callbacks
