#include "keras/callbacks/lambda_callback.hpp"

namespace keras::callbacks {

void LambdaCallback::on_epoch_begin(int epoch, Logs& logs) {
  if (options_.on_epoch_begin) options_.on_epoch_begin(epoch, logs);
}
void LambdaCallback::on_epoch_end(int epoch, Logs& logs) {
  if (options_.on_epoch_end) options_.on_epoch_end(epoch, logs);
}
void LambdaCallback::on_train_begin(Logs& logs) {
  if (options_.on_train_begin) options_.on_train_begin(logs);
}
void LambdaCallback::on_train_end(Logs& logs) {
  if (options_.on_train_end) options_.on_train_end(logs);
}
void LambdaCallback::on_train_batch_begin(int64_t batch, Logs& logs) {
  if (options_.on_train_batch_begin) options_.on_train_batch_begin(batch, logs);
}
void LambdaCallback::on_train_batch_end(int64_t batch, Logs& logs) {
  if (options_.on_train_batch_end) options_.on_train_batch_end(batch, logs);
}
void LambdaCallback::on_test_begin(Logs& logs) {
  if (options_.on_test_begin) options_.on_test_begin(logs);
}
void LambdaCallback::on_test_end(Logs& logs) {
  if (options_.on_test_end) options_.on_test_end(logs);
}
void LambdaCallback::on_test_batch_begin(int64_t batch, Logs& logs) {
  if (options_.on_test_batch_begin) options_.on_test_batch_begin(batch, logs);
}
void LambdaCallback::on_test_batch_end(int64_t batch, Logs& logs) {
  if (options_.on_test_batch_end) options_.on_test_batch_end(batch, logs);
}
void LambdaCallback::on_predict_begin(Logs& logs) {
  if (options_.on_predict_begin) options_.on_predict_begin(logs);
}
void LambdaCallback::on_predict_end(Logs& logs) {
  if (options_.on_predict_end) options_.on_predict_end(logs);
}
void LambdaCallback::on_predict_batch_begin(int64_t batch, Logs& logs) {
  if (options_.on_predict_batch_begin) options_.on_predict_batch_begin(batch, logs);
}
void LambdaCallback::on_predict_batch_end(int64_t batch, Logs& logs) {
  if (options_.on_predict_batch_end) options_.on_predict_batch_end(batch, logs);
}

}  // namespace keras::callbacks
