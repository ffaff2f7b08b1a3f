#pragma once
// keras::optimizers::SGD (keras/src/optimizers/sgd.py).
// Gradient descent with optional (Nesterov) momentum: velocity = momentum * velocity -
// learning_rate * g; w += velocity (w += momentum * velocity - learning_rate * g with nesterov); w
// -= learning_rate * g without momentum.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct SGDOptions {
  LearningRate learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class SGD : public Optimizer {
 public:
  using Options = SGDOptions;
  explicit SGD(Options options = {});
  std::string class_name() const override { return "SGD"; }
  Config get_config() const override;
  static std::shared_ptr<Optimizer> from_config(const Config& config);
  const Options& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& var_list) override;
  void update_step(const Tensor& gradient, const Variable& variable, const Tensor& learning_rate,
                   size_t index) override;

 private:
  Options options_;
};

}  // namespace keras::optimizers
