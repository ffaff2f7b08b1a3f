#pragma once
// Shared set-up for the callback tests: a one-unit Dense model on y = 2x + 1 (8 samples).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/fresh_session.hpp"

namespace keras {

// Callback hooks take `Logs&` (callbacks may add entries, as Keras's logs dicts); this turns a
// braced list into an lvalue that lives until the end of the full expression.
inline Logs& logs_ref(Logs&& logs) { return logs; }
}  // namespace keras

namespace keras::testing {

class CallbackTest : public FreshSessionTest<1234> {
 protected:
  static Tensor xs() {
    return ops::convert_to_tensor(std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7}, Shape{8, 1});
  }
  static Tensor ys() { return ops::add(ops::multiply(xs(), 2.0), 1.0); }

  // Dense(1) compiled with SGD(learning_rate) and mse (plus `metrics`).
  static Sequential make_model(double learning_rate, std::vector<MetricRef> metrics = {}) {
    auto model = Sequential({Input({1}), layers::Dense({.units = 1})});
    model.compile({.optimizer = optimizers::SGD({.learning_rate = learning_rate}),
                   .loss = "mse",
                   .metrics = std::move(metrics)});
    return model;
  }

  static double lr(const Sequential& model) {
    return model->optimizer()->learning_rate().item<double>();
  }

  static bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
  }
};

}  // namespace keras::testing
