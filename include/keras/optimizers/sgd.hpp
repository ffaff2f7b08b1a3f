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
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<int64_t> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<int64_t> gradient_accumulation_steps;
  std::string name;
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
