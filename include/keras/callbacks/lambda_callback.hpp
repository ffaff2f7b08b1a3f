#pragma once
// keras::callbacks::LambdaCallback (keras/src/callbacks/lambda_callback.py): a callback built
// from functions; hooks left empty do nothing.
//
//   auto print_loss = std::make_shared<keras::callbacks::LambdaCallback>(
//       keras::callbacks::LambdaCallbackOptions{
//           .on_epoch_end = [](int epoch, const keras::Logs& logs) {
//             std::cout << epoch << ": " << logs.at("loss") << "\n"; }});
#include <functional>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

// Keras's six named arguments first, then the hooks Keras accepts through **kwargs.
struct LambdaCallbackOptions {
  using EpochHook = std::function<void(int epoch, Logs& logs)>;
  using BatchHook = std::function<void(int64_t batch, Logs& logs)>;
  using LogsHook = std::function<void(Logs& logs)>;
  EpochHook on_epoch_begin;
  EpochHook on_epoch_end;
  LogsHook on_train_begin;
  LogsHook on_train_end;
  BatchHook on_train_batch_begin;
  BatchHook on_train_batch_end;
  LogsHook on_test_begin;
  LogsHook on_test_end;
  BatchHook on_test_batch_begin;
  BatchHook on_test_batch_end;
  LogsHook on_predict_begin;
  LogsHook on_predict_end;
  BatchHook on_predict_batch_begin;
  BatchHook on_predict_batch_end;
};

class LambdaCallback : public Callback {
 public:
  using Options = LambdaCallbackOptions;
  explicit LambdaCallback(LambdaCallbackOptions options = {}) : options_(std::move(options)) {}

  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_begin(Logs& logs) override;
  void on_train_end(Logs& logs) override;
  void on_train_batch_begin(int64_t batch, Logs& logs) override;
  void on_train_batch_end(int64_t batch, Logs& logs) override;
  void on_test_begin(Logs& logs) override;
  void on_test_end(Logs& logs) override;
  void on_test_batch_begin(int64_t batch, Logs& logs) override;
  void on_test_batch_end(int64_t batch, Logs& logs) override;
  void on_predict_begin(Logs& logs) override;
  void on_predict_end(Logs& logs) override;
  void on_predict_batch_begin(int64_t batch, Logs& logs) override;
  void on_predict_batch_end(int64_t batch, Logs& logs) override;

  const LambdaCallbackOptions& options() const { return options_; }

 private:
  LambdaCallbackOptions options_;
};

}  // namespace keras::callbacks
