#pragma once
// keras::optimizers::Adadelta (keras/src/optimizers/adadelta.py).
// Adadelta: step sizes from moving averages of squared gradients and squared updates (Zeiler,
// 2012). Slots per variable: accumulated_grad, accumulated_delta_var (interleaved).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct AdadeltaOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.95;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class Adadelta : public Optimizer {
 public:
  using Options = AdadeltaOptions;
  explicit Adadelta(Options options = {});
  std::string class_name() const override { return "Adadelta"; }
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
