#include "keras/callbacks/backup_and_restore.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <zlib.h>

#include "keras/core/errors.hpp"
#include "keras/models/model.hpp"
#include "keras/serialization/atomic_file.hpp"
#include "keras/serialization/config.hpp"
#include "utils/json_depth.hpp"

namespace keras::callbacks {
namespace fs = std::filesystem;
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// CRC-32 of a file's bytes (-1 if unreadable): ties the metadata to the weights it was written
// with.
int64_t file_crc32(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return -1;
  uLong crc = crc32(0L, Z_NULL, 0);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(buf.data()), static_cast<uInt>(in.gcount()));
  }
  return static_cast<int64_t>(crc);
}

}  // namespace

BackupAndRestore::BackupAndRestore(BackupAndRestoreOptions options)
    : options_(std::move(options)), schedule_(options_.save_freq, "BackupAndRestore") {
  if (options_.backup_dir.empty())
    throw ValueError("BackupAndRestore: empty `backup_dir` argument passed");
  weights_path_ = (fs::path(options_.backup_dir) / "latest.weights.h5").string();
  metadata_path_ = (fs::path(options_.backup_dir) / "training_metadata.json").string();
  prev_weights_path_ = weights_path_ + ".bkp";
  prev_metadata_path_ = metadata_path_ + ".bkp";
}

void BackupAndRestore::on_train_begin(Logs&) {
  try {
    load();
  } catch (const Error& e) {
    // The latest backup may be corrupt: fall back to the previous one (double_checkpoint).
    if (!fs::exists(prev_weights_path_)) throw;
    fs::copy_file(prev_weights_path_, weights_path_, fs::copy_options::overwrite_existing);
    if (fs::exists(prev_metadata_path_))
      fs::copy_file(prev_metadata_path_, metadata_path_, fs::copy_options::overwrite_existing);
    else
      fs::remove(metadata_path_);
    load();
  }
}

void BackupAndRestore::load() {
  auto* model = dynamic_cast<ModelImpl*>(this->model());
  if (!model) throw ValueError("BackupAndRestore: the callback is not attached to a model");
  if (!model->built())
    throw ValueError(
        "To use the BackupAndRestore callback, your model must be built before you call "
        "`fit()`. Model '" +
        model->name() +
        "' is unbuilt. You can build it beforehand by calling it on a batch of data.");
  if (!fs::exists(weights_path_)) return;
  model->load_weights(weights_path_);
  // The weights are written (atomically) before the metadata (atomically): a kill between the two
  // leaves weights one backup newer than the metadata, which the CRC reveals. With per-epoch
  // backups that backup is the end of the epoch after the recorded one.
  int resume = 0;
  bool stale = true;
  if (fs::exists(metadata_path_)) {
    std::string text = read_file(metadata_path_);
    utils::check_json_depth(text, "BackupAndRestore: " + metadata_path_);
    Config meta = Config::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!meta.is_object() || !meta.contains("epoch") || !meta["epoch"].is_number_integer())
      throw ValueError("BackupAndRestore: " + metadata_path_ +
                       " is not a training metadata file ({\"epoch\": int, \"batch\": int}); "
                       "found: " +
                       text.substr(0, 200));
    resume = meta["epoch"].get<int>();
    // Without a CRC (a backup written by Python Keras) the metadata is trusted.
    stale = meta.contains("weights_crc32") &&
            (!meta["weights_crc32"].is_number_integer() ||
             meta["weights_crc32"].get<int64_t>() != file_crc32(weights_path_));
  }
  if (stale && schedule_.per_epoch()) resume += 1;
  model->resume_epoch = resume;
}

void BackupAndRestore::on_epoch_end(int epoch, Logs&) {
  current_epoch_ = epoch + 1;
  last_batch_seen_ = 0;
  if (schedule_.per_epoch()) save();
}

void BackupAndRestore::on_train_batch_end(int64_t batch, Logs&) {
  last_batch_seen_ = batch;
  if (schedule_.batch_end(batch)) save();
}

void BackupAndRestore::save() {
  auto* model = dynamic_cast<ModelImpl*>(this->model());
  if (!model) throw ValueError("BackupAndRestore: the callback is not attached to a model");
  fs::create_directories(options_.backup_dir);
  if (options_.double_checkpoint && fs::exists(weights_path_))
    fs::copy_file(weights_path_, prev_weights_path_, fs::copy_options::overwrite_existing);
  if (options_.double_checkpoint && fs::exists(metadata_path_))
    fs::copy_file(metadata_path_, prev_metadata_path_, fs::copy_options::overwrite_existing);
  // Weights first, then the epoch (see load() for a kill between the two).
  model->save_weights(weights_path_);
  Config meta = Config::object();
  meta["epoch"] = current_epoch_;
  meta["batch"] = last_batch_seen_;
  meta["weights_crc32"] = file_crc32(weights_path_);  // our addition; Keras ignores extra keys
  saving::write_file_atomically(metadata_path_, meta.dump());
}

void BackupAndRestore::on_train_end(Logs&) {
  if (options_.delete_checkpoint && fs::exists(options_.backup_dir))
    fs::remove_all(options_.backup_dir);
}

}  // namespace keras::callbacks
