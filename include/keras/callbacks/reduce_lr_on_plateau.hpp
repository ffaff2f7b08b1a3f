#pragma once
// keras::callbacks::ReduceLROnPlateau (keras/src/callbacks/reduce_lr_on_plateau.py): multiplies
// the optimizer's learning rate by `factor` when the monitored quantity has not improved for
// `patience` epochs, never going below `min_lr`.
//
//   auto reduce = std::make_shared<keras::callbacks::ReduceLROnPlateau>(
//       keras::callbacks::ReduceLROnPlateauOptions{.monitor = "val_loss", .factor = 0.2,
//                                                  .patience = 5, .min_lr = 0.001});
#include <string>

#include "keras/callbacks/monitor_callback.hpp"

namespace keras::callbacks {

struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;        // new_lr = lr * factor; must be < 1
  int patience = 10;          // epochs without improvement before reducing
  int verbose = 0;            // 1: print each reduction
  std::string mode = "auto";  // "auto", "min" or "max"
  double min_delta = 1e-4;    // changes smaller than |min_delta| are no improvement
  int cooldown = 0;           // epochs to wait after a reduction before counting again
  double min_lr = 0.0;        // lower bound on the learning rate
};

class ReduceLROnPlateau : public MonitorCallback {
 public:
  using Options = ReduceLROnPlateauOptions;
  // ValueError naming the argument for factor >= 1 (Keras's message), a negative factor,
  // patience, cooldown or min_lr, a bad mode or an empty monitor.
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});

  void on_train_begin(Logs& logs) override;
  // Needs a compiled model whose optimizer has a settable (non-schedule) learning rate.
  void on_epoch_end(int epoch, Logs& logs) override;

  const ReduceLROnPlateauOptions& options() const { return options_; }
  bool in_cooldown() const { return cooldown_counter_ > 0; }
  int wait() const { return wait_; }
  int cooldown_counter() const { return cooldown_counter_; }
  const std::optional<double>& best() const { return best_; }

 private:
  ReduceLROnPlateauOptions options_;
  int cooldown_counter_ = 0;
  int wait_ = 0;
};

}  // namespace keras::callbacks
