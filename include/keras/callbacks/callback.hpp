#pragma once
// keras::callbacks::Callback (keras/src/callbacks/callback.py): hooks called by fit, evaluate and
// predict. Logs map metric names to their current values.
#include <map>
#include <memory>
#include <string>

namespace keras {

using Logs = std::map<std::string, double>;
class Trainer;

namespace callbacks {

// The parameters fit/evaluate/predict pass to set_params (Keras's `callback.params`).
struct Params {
  int epochs = 1;
  int64_t steps = 0;  // batches per epoch
  int verbose = 1;
};

class Callback {
 public:
  virtual ~Callback() = default;
  void set_model(Trainer* model) { model_ = model; }
  Trainer* model() const { return model_; }
  virtual void set_params(const Params& params) { params_ = params; }
  const Params& params() const { return params_; }

  virtual void on_train_begin(Logs&) {}
  virtual void on_train_end(Logs&) {}
  virtual void on_epoch_begin(int /*epoch*/, Logs&) {}
  virtual void on_epoch_end(int /*epoch*/, Logs&) {}
  virtual void on_train_batch_begin(int64_t /*batch*/, Logs&) {}
  virtual void on_train_batch_end(int64_t /*batch*/, Logs&) {}
  virtual void on_test_begin(Logs&) {}
  virtual void on_test_end(Logs&) {}
  virtual void on_test_batch_begin(int64_t /*batch*/, Logs&) {}
  virtual void on_test_batch_end(int64_t /*batch*/, Logs&) {}
  virtual void on_predict_begin(Logs&) {}
  virtual void on_predict_end(Logs&) {}
  virtual void on_predict_batch_begin(int64_t /*batch*/, Logs&) {}
  virtual void on_predict_batch_end(int64_t /*batch*/, Logs&) {}

 private:
  Trainer* model_ = nullptr;
  Params params_;
};

}  // namespace callbacks
}  // namespace keras
