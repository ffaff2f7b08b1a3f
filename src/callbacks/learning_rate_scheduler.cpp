#include "keras/callbacks/learning_rate_scheduler.hpp"

#include "callbacks/python_format.hpp"
#include "keras/core/errors.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/trainers/trainer.hpp"

namespace keras::callbacks {

LearningRateScheduler::LearningRateScheduler(LearningRateSchedulerOptions options)
    : options_(std::move(options)) {
  if (!options_.schedule)
    throw ValueError("LearningRateScheduler: `schedule` must be a function, got an empty one");
}

void LearningRateScheduler::on_epoch_begin(int epoch, Logs&) {
  std::shared_ptr<optimizers::Optimizer> optimizer = model() ? model()->optimizer() : nullptr;
  if (!optimizer)
    throw ValueError("LearningRateScheduler: the model has no optimizer; compile it before fit");
  double lr = optimizer->learning_rate().item<double>();
  lr = options_.schedule(epoch, lr);
  optimizer->set_learning_rate(lr);
  if (options_.verbose > 0)
    detail::print_msg("\nEpoch " + std::to_string(epoch + 1) +
                      ": LearningRateScheduler setting learning rate to " +
                      detail::python_float(lr) + ".");
}

void LearningRateScheduler::on_epoch_end(int, Logs& logs) {
  std::shared_ptr<optimizers::Optimizer> optimizer = model() ? model()->optimizer() : nullptr;
  if (optimizer) logs["learning_rate"] = optimizer->learning_rate().item<double>();
}

}  // namespace keras::callbacks
