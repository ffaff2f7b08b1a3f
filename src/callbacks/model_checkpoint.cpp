#include "keras/callbacks/model_checkpoint.hpp"

#include <filesystem>

#include "callbacks/python_format.hpp"
#include "keras/core/errors.hpp"
#include "keras/models/model.hpp"

namespace keras::callbacks {
namespace {

std::string python_float5(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5f", v);
  return buf;
}

}  // namespace

ModelCheckpoint::ModelCheckpoint(ModelCheckpointOptions options)
    : MonitorCallback("ModelCheckpoint", options.monitor, options.mode,
                      options.initial_value_threshold, 0.0),
      options_(std::move(options)),
      schedule_(options_.save_freq, "ModelCheckpoint") {
  if (options_.save_weights_only) {
    if (!options_.filepath.ends_with(".weights.h5"))
      throw ValueError(
          "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must "
          "end in `.weights.h5` (Keras weights format). Received: filepath=" +
          options_.filepath);
  } else if (!options_.filepath.ends_with(".keras")) {
    throw ValueError(
        "The filepath provided must end in `.keras` (Keras model format). Received: filepath=" +
        options_.filepath);
  }
}

void ModelCheckpoint::on_epoch_begin(int epoch, Logs&) { current_epoch_ = epoch; }

void ModelCheckpoint::on_train_batch_end(int64_t batch, Logs& logs) {
  if (schedule_.batch_end(batch)) save_model(current_epoch_, batch, logs);
}

void ModelCheckpoint::on_epoch_end(int epoch, Logs& logs) {
  if (!monitor_op_set()) set_monitor_op();
  if (schedule_.per_epoch()) save_model(epoch, std::nullopt, logs);
}

std::string ModelCheckpoint::file_path(int epoch, std::optional<int64_t> batch,
                                       const Logs& logs) const {
  std::map<std::string, detail::FormatValue> values;
  for (const auto& [k, v] : logs) values[k] = {v, false};
  values["epoch"] = {static_cast<double>(epoch + 1), true};
  if (batch && !logs.count("batch")) values["batch"] = {static_cast<double>(*batch + 1), true};
  try {
    return detail::python_format(options_.filepath, values);
  } catch (const ValueError& e) {
    throw ValueError("ModelCheckpoint: failed to format this callback filepath: \"" +
                     options_.filepath + "\". Reason: " + e.what());
  }
}

bool ModelCheckpoint::should_save_model(int epoch, const Logs& logs, const std::string& filepath) {
  std::string prefix = "\nEpoch " + std::to_string(epoch + 1) + ": ";
  if (!options_.save_best_only) {
    if (options_.verbose > 0) detail::print_msg(prefix + "saving model to " + filepath);
    return true;
  }
  auto it = logs.find(monitor());
  if (it == logs.end()) {
    detail::warn("Can save best model only with " + monitor() + " available.");
    return true;
  }
  double current = it->second;
  std::string best_str = best_ ? python_float5(*best_) : "None";
  if (is_improvement(current, best_)) {
    if (options_.verbose > 0)
      detail::print_msg(prefix + monitor() + " improved from " + best_str + " to " +
                        python_float5(current) + ", saving model to " + filepath);
    best_ = current;
    return true;
  }
  if (options_.verbose > 0)
    detail::print_msg(prefix + monitor() + " did not improve from " + best_str);
  return false;
}

void ModelCheckpoint::save_model(int epoch, std::optional<int64_t> batch, const Logs& logs) {
  auto* model = dynamic_cast<ModelImpl*>(this->model());
  if (!model) throw ValueError("ModelCheckpoint: the callback is not attached to a model");
  std::string path = file_path(epoch, batch, logs);
  if (!should_save_model(epoch, logs, path)) return;
  namespace fs = std::filesystem;
  if (fs::is_directory(path))
    throw OSError(
        "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an "
        "existing directory: " +
        path);
  fs::path dir = fs::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty()) fs::create_directories(dir, ec);
  // The model's own save methods (defined by saving/, which is above callbacks/ in the tiers).
  if (options_.save_weights_only)
    model->save_weights(path);
  else
    model->save(path);
  if (options_.verbose > 0)
    detail::print_msg("\nEpoch " + std::to_string(epoch + 1) + ": finished saving model to " +
                      path);
}

}  // namespace keras::callbacks
