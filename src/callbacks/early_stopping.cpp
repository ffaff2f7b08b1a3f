#include "keras/callbacks/early_stopping.hpp"

#include "callbacks/python_format.hpp"
#include "keras/core/errors.hpp"
#include "keras/core/variable.hpp"
#include "keras/trainers/trainer.hpp"

namespace keras::callbacks {

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : MonitorCallback("EarlyStopping", options.monitor, options.mode, std::nullopt,
                      options.min_delta),
      options_(std::move(options)) {
  if (options_.patience < 0)
    throw ValueError("EarlyStopping: `patience` must be >= 0, got " +
                     std::to_string(options_.patience));
  if (options_.start_from_epoch < 0)
    throw ValueError("EarlyStopping: `start_from_epoch` must be >= 0, got " +
                     std::to_string(options_.start_from_epoch));
}

// The model's weights (trainable, then non-trainable), as Keras's model.get_weights() holds them.
std::vector<Tensor> EarlyStopping::get_weights() const {
  std::vector<Tensor> out;
  for (const Variable& v : model()->model_trainable_variables()) out.push_back(v.value());
  for (const Variable& v : model()->model_non_trainable_variables()) out.push_back(v.value());
  return out;
}

void EarlyStopping::set_weights(const std::vector<Tensor>& weights) const {
  std::vector<Variable> vars = model()->model_trainable_variables();
  for (const Variable& v : model()->model_non_trainable_variables()) vars.push_back(v);
  if (vars.size() != weights.size())
    throw ValueError("EarlyStopping: the model has " + std::to_string(vars.size()) +
                     " weights but " + std::to_string(weights.size()) +
                     " were saved at the best epoch; restore_best_weights needs the same model");
  for (size_t i = 0; i < vars.size(); ++i) vars[i].assign(weights[i]);
}

void EarlyStopping::on_train_begin(Logs&) {
  // Instances may be reused across fit() calls.
  wait_ = 0;
  stopped_epoch_ = 0;
  best_.reset();
  best_weights_.clear();
  has_best_weights_ = false;
  best_epoch_ = 0;
}

void EarlyStopping::on_epoch_end(int epoch, Logs& logs) {
  if (!monitor_op_set()) set_monitor_op();
  auto it = logs.find(monitor());
  if (it == logs.end()) {
    std::string available;
    for (const auto& [k, v] : logs) available += (available.empty() ? "" : ",") + k;
    detail::warn("Early stopping conditioned on metric `" + monitor() +
                 "` which is not available. Available metrics are: " + available);
    return;
  }
  if (epoch < options_.start_from_epoch) return;
  double current = it->second;
  if (options_.restore_best_weights && !has_best_weights_) {
    // Before any improvement the current weights are the best.
    best_weights_ = get_weights();
    has_best_weights_ = true;
    best_epoch_ = epoch;
  }
  wait_ += 1;
  if (is_improvement(current, best_)) {
    best_ = current;
    best_epoch_ = epoch;
    if (options_.restore_best_weights) best_weights_ = get_weights();
    // The wait restarts only when the value beats both the previous best and the baseline.
    if (!options_.baseline || is_improvement(current, options_.baseline)) wait_ = 0;
    return;
  }
  if (wait_ >= options_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model()->stop_training = true;
  }
}

void EarlyStopping::on_train_end(Logs&) {
  if (stopped_epoch_ > 0 && options_.verbose > 0)
    detail::print_msg("Epoch " + std::to_string(stopped_epoch_ + 1) + ": early stopping");
  if (options_.restore_best_weights && has_best_weights_) {
    if (options_.verbose > 0)
      detail::print_msg("Restoring model weights from the end of the best epoch: " +
                        std::to_string(best_epoch_ + 1) + ".");
    set_weights(best_weights_);
  }
}

}  // namespace keras::callbacks
