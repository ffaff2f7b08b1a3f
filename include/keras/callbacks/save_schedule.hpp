#pragma once
// Internal to the callbacks: when ModelCheckpoint and BackupAndRestore save: save_freq "epoch", or
// every N batches counted across epochs (Keras's _should_save_on_batch).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "keras/core/errors.hpp"

namespace keras::callbacks::detail {

class SaveSchedule {
 public:
  // ValueError naming `who` for anything but "epoch" or a positive integer.
  SaveSchedule(const std::variant<std::string, int64_t>& save_freq, const std::string& who) {
    if (const auto* s = std::get_if<std::string>(&save_freq)) {
      if (*s != "epoch")
        throw ValueError(who + ": unrecognized save_freq: '" + *s +
                         "'. Expected save_freq are 'epoch' or integer values");
      return;
    }
    every_ = std::get<int64_t>(save_freq);
    if (every_ <= 0)
      throw ValueError(who + ": save_freq must be 'epoch' or a positive number of batches, got " +
                       std::to_string(every_));
  }

  bool per_epoch() const { return every_ == 0; }

  // Called at each train batch end: true when a save is due.
  bool batch_end(int64_t batch) {
    if (per_epoch()) return false;
    bool new_epoch = !last_batch_ || batch <= *last_batch_;
    since_last_save_ += new_epoch ? batch + 1 : batch - *last_batch_;
    last_batch_ = batch;
    if (since_last_save_ < every_) return false;
    since_last_save_ = 0;
    return true;
  }

 private:
  int64_t every_ = 0;  // 0: once per epoch
  int64_t since_last_save_ = 0;
  std::optional<int64_t> last_batch_;
};

}  // namespace keras::callbacks::detail
