#pragma once
// keras::callbacks::BackupAndRestore (keras/src/callbacks/backup_and_restore.py): backs up the
// training state (weights with optimizer state, and the epoch) to `backup_dir` during fit, and
// when fit starts again after an interruption (a crash, a kill), restores it and resumes at the
// epoch after the last completed backup. The backup is deleted when fit ends normally.
//
//   auto backup = std::make_shared<callbacks::BackupAndRestore>(
//       callbacks::BackupAndRestoreOptions{.backup_dir = "/tmp/backup"});
//   model.fit(x, y, {.epochs = 10, .callbacks = {backup}});   // rerun after a crash: resumes
//
// Files in backup_dir, as Keras writes them: latest.weights.h5 and training_metadata.json
// ({"epoch": E, "batch": B}); with double_checkpoint also the previous pair as *.bkp. Every file
// is written atomically, so a kill during a backup leaves the previous backup intact.
#include <cstdint>
#include <string>
#include <variant>

#include "keras/callbacks/callback.hpp"
#include "keras/callbacks/save_schedule.hpp"

namespace keras::callbacks {

struct BackupAndRestoreOptions {
  std::string backup_dir;  // required; used by this callback only
  // "epoch", or a number of batches between backups.
  std::variant<std::string, int64_t> save_freq = std::string("epoch");
  bool double_checkpoint = false;  // keep the previous backup too, used if the latest is corrupt
  bool delete_checkpoint = true;   // remove backup_dir when fit ends normally
};

class BackupAndRestore : public Callback {
 public:
  using Options = BackupAndRestoreOptions;
  // ValueError for an empty backup_dir or an unknown save_freq.
  explicit BackupAndRestore(BackupAndRestoreOptions options);

  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_end(int64_t batch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

  const BackupAndRestoreOptions& options() const { return options_; }
  const std::string& weights_path() const { return weights_path_; }
  const std::string& metadata_path() const { return metadata_path_; }

 private:
  void load();
  void save();

  BackupAndRestoreOptions options_;
  std::string weights_path_, metadata_path_, prev_weights_path_, prev_metadata_path_;
  detail::SaveSchedule schedule_;
  int current_epoch_ = 0;
  int64_t last_batch_seen_ = 0;
};

}  // namespace keras::callbacks
