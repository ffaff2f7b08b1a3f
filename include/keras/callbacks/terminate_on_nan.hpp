#pragma once
// keras::callbacks::TerminateOnNaN (keras/src/callbacks/terminate_on_nan.py): ends fit when a
// batch's loss is NaN or infinite.
//
// By default it prints "Batch <n>: Invalid loss, terminating training" and sets
// model.stop_training, so the epoch ends and every callback's on_train_end still runs. With
// raise_error it throws keras::RuntimeError at once instead.
#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct TerminateOnNaNOptions {
  bool raise_error = false;
};

class TerminateOnNaN : public Callback {
 public:
  using Options = TerminateOnNaNOptions;
  explicit TerminateOnNaN(TerminateOnNaNOptions options = {}) : options_(options) {}

  void on_train_batch_end(int64_t batch, Logs& logs) override;

  const TerminateOnNaNOptions& options() const { return options_; }

 private:
  TerminateOnNaNOptions options_;
};

}  // namespace keras::callbacks
