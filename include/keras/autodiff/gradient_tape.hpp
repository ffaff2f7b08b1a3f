#pragma once
// keras::GradientTape (TensorFlow's model) and keras::value_and_grad (JAX's).
//
//   keras::GradientTape tape;
//   auto loss = loss_fn(y, model(x));
//   auto grads = tape.gradient(loss, model.trainable_variables());
//
// A tape records the ops run while it is alive whose inputs it tracks: tensors given to watch(),
// trainable variables read while it records (watch_accessed_variables), and outputs of recorded
// ops. Tapes nest: an outer tape records the ops an inner tape.gradient() runs, so
// outer.gradient(inner_grad, x) is a second derivative.
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_set>
#include <utility>
#include <vector>

#include "keras/autodiff/record.hpp"
#include "keras/core/tensor.hpp"
#include "keras/core/variable.hpp"

namespace keras {

struct GradientTapeOptions {
  bool persistent = false;  // allow several gradient() calls
  bool watch_accessed_variables = true;
};

class GradientTape {
 public:
  explicit GradientTape(GradientTapeOptions options = {});
  ~GradientTape();
  GradientTape(const GradientTape&) = delete;
  GradientTape& operator=(const GradientTape&) = delete;

  void watch(const Tensor& x);
  void watch(const std::vector<Tensor>& xs);
  void watch(const Variable& v) { watch(v.value()); }

  // d target / d source for each source (summed over target's elements, or weighted by
  // output_gradient when given). A source the target does not depend on gets zeros (Keras's
  // unconnected_gradients="zero"), except integer sources, which get an undefined Tensor.
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Tensor>& sources,
                               const Tensor& output_gradient = {});
  Tensor gradient(const Tensor& target, const Tensor& source, const Tensor& output_gradient = {});
  // Gradients with respect to the variables' current values.
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Variable>& sources,
                               const Tensor& output_gradient = {});

  // Ops run while a StopRecording guard lives are not recorded on this tape.
  class StopRecording {
   public:
    explicit StopRecording(GradientTape& tape);
    ~StopRecording();

   private:
    GradientTape& tape_;
  };

  struct Node;
  struct State;

 private:
  std::unique_ptr<State> state_;
};

// Stops gradients: a tensor with x's value that no tape tracks.
Tensor stop_gradient(const Tensor& x);

// value_and_grad(f)(params): the value of f(params) and its gradient with respect to each
// parameter. f maps a vector of tensors to a scalar tensor.
using ScalarFunction = std::function<Tensor(const std::vector<Tensor>&)>;
std::function<std::pair<Tensor, std::vector<Tensor>>(const std::vector<Tensor>&)> value_and_grad(
    ScalarFunction f);
// grad(f)(params): only the gradients.
std::function<std::vector<Tensor>(const std::vector<Tensor>&)> grad(ScalarFunction f);

}  // namespace keras
