#include "keras/callbacks/reduce_lr_on_plateau.hpp"

#include <algorithm>

#include "callbacks/python_format.hpp"
#include "keras/core/errors.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/trainers/trainer.hpp"

namespace keras::callbacks {

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options)
    : MonitorCallback("ReduceLROnPlateau", options.monitor, options.mode, std::nullopt,
                      options.min_delta),
      options_(std::move(options)) {
  if (options_.factor >= 1.0)
    throw ValueError("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=" +
                     detail::python_float(options_.factor));
  if (!(options_.factor >= 0.0))
    throw ValueError("ReduceLROnPlateau: `factor` must be in [0, 1), got " +
                     detail::python_float(options_.factor));
  if (options_.patience < 0)
    throw ValueError("ReduceLROnPlateau: `patience` must be >= 0, got " +
                     std::to_string(options_.patience));
  if (options_.cooldown < 0)
    throw ValueError("ReduceLROnPlateau: `cooldown` must be >= 0, got " +
                     std::to_string(options_.cooldown));
  if (!(options_.min_lr >= 0.0))
    throw ValueError("ReduceLROnPlateau: `min_lr` must be >= 0, got " +
                     detail::python_float(options_.min_lr));
}

void ReduceLROnPlateau::on_train_begin(Logs&) {
  best_.reset();
  cooldown_counter_ = 0;
  wait_ = 0;
}

void ReduceLROnPlateau::on_epoch_end(int epoch, Logs& logs) {
  if (!monitor_op_set()) set_monitor_op();
  std::shared_ptr<optimizers::Optimizer> optimizer = model() ? model()->optimizer() : nullptr;
  if (!optimizer)
    throw ValueError("ReduceLROnPlateau: the model has no optimizer; compile it before fit");
  // Keras first adds the current learning rate to the logs as "learning_rate" (History and the
  // progress bar, which run after user callbacks, then show it).
  logs["learning_rate"] = optimizer->learning_rate().item<double>();
  Logs& all = logs;
  auto it = all.find(monitor());
  if (it == all.end()) {
    std::string available;
    for (const auto& [k, v] : all) available += (available.empty() ? "" : ",") + k;
    detail::warn("Learning rate reduction is conditioned on metric `" + monitor() +
                 "` which is not available. Available metrics are: " + available + ".");
    return;
  }
  double current = it->second;
  if (in_cooldown()) {
    cooldown_counter_ -= 1;
    wait_ = 0;
  }
  if (is_improvement(current, best_)) {
    best_ = current;
    wait_ = 0;
  } else if (!in_cooldown()) {
    wait_ += 1;
    if (wait_ >= options_.patience) {
      double old_lr = optimizer->learning_rate().item<double>();
      // Keras compares with np.float32(min_lr): the learning rate variable is float32.
      if (old_lr > static_cast<double>(static_cast<float>(options_.min_lr))) {
        double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
        optimizer->set_learning_rate(new_lr);
        if (options_.verbose > 0)
          detail::print_msg("\nEpoch " + std::to_string(epoch + 1) +
                            ": ReduceLROnPlateau reducing learning rate to " +
                            detail::python_float(new_lr) + ".");
        cooldown_counter_ = options_.cooldown;
        wait_ = 0;
      }
    }
  }
}

}  // namespace keras::callbacks
