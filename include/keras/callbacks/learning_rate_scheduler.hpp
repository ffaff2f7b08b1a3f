#pragma once
// keras::callbacks::LearningRateScheduler (keras/src/callbacks/learning_rate_scheduler.py): at
// each epoch's start, sets the optimizer's learning rate to schedule(epoch, current_lr).
//
//   auto scheduler = std::make_shared<keras::callbacks::LearningRateScheduler>(
//       [](int epoch, double lr) { return epoch < 10 ? lr : lr * std::exp(-0.1); });
#include <functional>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

// (0-based epoch, current learning rate) -> the epoch's learning rate.
using Schedule = std::function<double(int epoch, double lr)>;

struct LearningRateSchedulerOptions {
  Schedule schedule;
  int verbose = 0;  // 1: print the learning rate set at each epoch
};

class LearningRateScheduler : public Callback {
 public:
  using Options = LearningRateSchedulerOptions;
  // ValueError when the schedule is empty.
  explicit LearningRateScheduler(LearningRateSchedulerOptions options);
  explicit LearningRateScheduler(Schedule schedule, int verbose = 0)
      : LearningRateScheduler(LearningRateSchedulerOptions{std::move(schedule), verbose}) {}

  // Needs a compiled model whose optimizer has a settable (non-schedule) learning rate
  // (TypeError otherwise, from Optimizer::set_learning_rate).
  void on_epoch_begin(int epoch, Logs& logs) override;
  // Adds the current "learning_rate" to the epoch's logs, as Keras does.
  void on_epoch_end(int epoch, Logs& logs) override;

  const LearningRateSchedulerOptions& options() const { return options_; }

 private:
  LearningRateSchedulerOptions options_;
};

}  // namespace keras::callbacks
