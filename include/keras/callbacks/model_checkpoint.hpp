#pragma once
// keras::callbacks::ModelCheckpoint (keras/src/callbacks/model_checkpoint.py): saves the model
// (`.keras`) or its weights (`.weights.h5`) during fit, every epoch or every `save_freq`
// batches, optionally only when the monitored quantity improves.
//
//   auto ckpt = std::make_shared<callbacks::ModelCheckpoint>(callbacks::ModelCheckpointOptions{
//       .filepath = "ckpt/epoch{epoch:02d}-{val_loss:.2f}.keras", .save_best_only = true});
//   model.fit(x, y, {.validation_split = 0.1, .callbacks = {ckpt}});
//
// The file path may hold Python str.format placeholders: {epoch} (1-based), {batch} (1-based,
// with an integer save_freq) and any logged metric ({loss:.4f}, {val_accuracy:.3f}).
#include <optional>
#include <string>
#include <variant>

#include "keras/callbacks/monitor_callback.hpp"
#include "keras/callbacks/save_schedule.hpp"

namespace keras::callbacks {

struct ModelCheckpointOptions {
  std::string filepath;  // must end in ".keras", or ".weights.h5" with save_weights_only
  std::string monitor = "val_loss";
  int verbose = 0;
  bool save_best_only = false;  // keep only the best model so far (by `monitor`)
  bool save_weights_only = false;
  std::string mode = "auto";  // "auto", "min" or "max"
  // "epoch", or a number of batches between saves.
  std::variant<std::string, int64_t> save_freq = std::string("epoch");
  std::optional<double> initial_value_threshold;  // only save when `monitor` beats it
};

class ModelCheckpoint : public MonitorCallback {
 public:
  using Options = ModelCheckpointOptions;
  // ValueError for a path with the wrong extension or an unknown save_freq.
  explicit ModelCheckpoint(ModelCheckpointOptions options);

  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_end(int64_t batch, Logs& logs) override;

  const ModelCheckpointOptions& options() const { return options_; }
  // The best monitored value so far (save_best_only).
  const std::optional<double>& best() const { return best_; }

 private:
  void save_model(int epoch, std::optional<int64_t> batch, const Logs& logs);
  bool should_save_model(int epoch, const Logs& logs, const std::string& filepath);
  std::string file_path(int epoch, std::optional<int64_t> batch, const Logs& logs) const;

  ModelCheckpointOptions options_;
  detail::SaveSchedule schedule_;
  int current_epoch_ = 0;
};

}  // namespace keras::callbacks
