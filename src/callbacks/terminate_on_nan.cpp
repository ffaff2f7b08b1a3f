#include "keras/callbacks/terminate_on_nan.hpp"

#include <cmath>

#include "callbacks/python_format.hpp"
#include "keras/core/errors.hpp"
#include "keras/trainers/trainer.hpp"

namespace keras::callbacks {

void TerminateOnNaN::on_train_batch_end(int64_t batch, Logs& logs) {
  auto it = logs.find("loss");
  if (it == logs.end() || std::isfinite(it->second)) return;
  if (options_.raise_error)
    throw RuntimeError("NaN or Inf loss encountered at batch " + std::to_string(batch) +
                       ". Loss value: " + detail::python_float(it->second) +
                       ". Terminating training immediately.");
  detail::print_msg("Batch " + std::to_string(batch) + ": Invalid loss, terminating training");
  if (model()) model()->stop_training = true;
}

}  // namespace keras::callbacks
