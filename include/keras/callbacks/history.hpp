#pragma once
// History (always added by fit) and ProgbarLogger (fit's progress bar, Keras's format).
#include <chrono>
#include <iosfwd>
#include <vector>

#include "keras/callbacks/callback.hpp"

namespace keras {

// What fit returns: each metric's value per epoch (history["loss"][epoch]).
struct History {
  std::map<std::string, std::vector<double>> history;
  std::vector<int> epoch;
};

namespace callbacks {

class HistoryCallback : public Callback {
 public:
  explicit HistoryCallback(History* target) : target_(target) {}
  void on_train_begin(Logs&) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  History* target_;
};

// Keras's progress bar: verbose 1 redraws one line per step
// ("422/422 ━━━━━━━━━━━━━━━━━━━━ 12s 28ms/step - accuracy: 0.8562 - loss: 0.3870"),
// verbose 2 prints one line per epoch.
class ProgbarLogger : public Callback {
 public:
  explicit ProgbarLogger(std::ostream* out = nullptr);
  void set_params(const Params& params) override;
  void on_train_begin(Logs&) override { training_ = true; }
  void on_epoch_begin(int epoch, Logs&) override;
  void on_train_batch_end(int64_t batch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_test_begin(Logs&) override;
  void on_test_batch_end(int64_t batch, Logs& logs) override;
  void on_test_end(Logs& logs) override;
  void on_predict_begin(Logs&) override;
  void on_predict_batch_end(int64_t batch, Logs& logs) override;
  void on_predict_end(Logs& logs) override;

 private:
  void start();
  void update(int64_t current, Logs& logs, bool finalize);
  std::ostream* out_;
  bool training_ = false;
  bool in_test_during_training_ = false;
  int64_t target_ = 0;  // steps in the epoch; 0: unknown (a dataset of unknown length)
  int64_t seen_ = 0;    // the last step drawn
  int verbose_ = 1;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  size_t last_width_ = 0;
};

}  // namespace callbacks
}  // namespace keras
