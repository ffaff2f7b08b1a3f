#pragma once
// USER-CODE §5: a subclassed model with a custom train_step, written once for every backend:
// one Dense(1), a GradientTape step on the compiled loss, the optimizer's update, and a count of
// the steps fit ran.
#include "keras/keras.hpp"

namespace keras::testing {

class CustomStepImpl : public ModelImpl {
 public:
  CustomStepImpl() : dense_(layers::Dense({.units = 1})) { track("dense", dense_); }
  Tensor call(const Tensor& x, const CallContext&) override { return dense_(x); }
  Logs train_step(const Batch& batch) override {
    ++steps;
    std::vector<Variable> vars = trainable_variables();
    std::vector<Tensor> grads;
    std::vector<Tensor> y_pred;
    {
      GradientTape tape;
      y_pred = forward(batch.x, true);
      grads = tape.gradient(compute_loss(batch, y_pred), vars);
    }
    optimizer()->apply(grads, vars);
    return compute_metrics(batch, y_pred);
  }
  int steps = 0;

 private:
  layers::Dense dense_;
};
KERAS_MODEL(CustomStep);

}  // namespace keras::testing
