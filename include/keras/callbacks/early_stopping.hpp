#pragma once
// keras::callbacks::EarlyStopping (keras/src/callbacks/early_stopping.py): stops fit when the
// monitored quantity has not improved for `patience` epochs.
//
//   auto stop = std::make_shared<keras::callbacks::EarlyStopping>(
//       keras::callbacks::EarlyStoppingOptions{.monitor = "loss", .patience = 3});
//   model.fit(x, y, {.epochs = 100, .callbacks = {stop}});
//   stop->stopped_epoch();  // the 0-based epoch at which training stopped (0: it did not)
#include <optional>
#include <string>
#include <vector>

#include "keras/callbacks/monitor_callback.hpp"
#include "keras/core/tensor.hpp"

namespace keras::callbacks {

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;             // changes smaller than |min_delta| are no improvement
  int patience = 0;                   // epochs without improvement before stopping
  int verbose = 0;                    // 1: print when stopping and when restoring weights
  std::string mode = "auto";          // "auto", "min" or "max"
  std::optional<double> baseline;     // training stops unless the quantity beats it
  bool restore_best_weights = false;  // at train end, go back to the best epoch's weights
  int start_from_epoch = 0;           // epochs of warm-up before monitoring starts
};

class EarlyStopping : public MonitorCallback {
 public:
  using Options = EarlyStoppingOptions;
  // ValueError naming the argument for a bad mode, an empty monitor or a negative patience or
  // start_from_epoch.
  explicit EarlyStopping(EarlyStoppingOptions options = {});

  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

  const EarlyStoppingOptions& options() const { return options_; }
  int stopped_epoch() const { return stopped_epoch_; }
  int best_epoch() const { return best_epoch_; }
  int wait() const { return wait_; }
  // The best monitored value so far (none before the first monitored epoch).
  const std::optional<double>& best() const { return best_; }

 private:
  std::vector<Tensor> get_weights() const;
  void set_weights(const std::vector<Tensor>& weights) const;

  EarlyStoppingOptions options_;
  int wait_ = 0;
  int stopped_epoch_ = 0;
  int best_epoch_ = 0;
  std::vector<Tensor> best_weights_;
  bool has_best_weights_ = false;
};

}  // namespace keras::callbacks
