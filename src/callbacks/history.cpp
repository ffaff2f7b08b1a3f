#include "keras/callbacks/history.hpp"

namespace keras::callbacks {

void HistoryCallback::on_train_begin(Logs&) {
  target_->history.clear();
  target_->epoch.clear();
}

void HistoryCallback::on_epoch_end(int epoch, Logs& logs) {
  target_->epoch.push_back(epoch);
  for (const auto& [k, v] : logs) target_->history[k].push_back(v);
}

}  // namespace keras::callbacks
