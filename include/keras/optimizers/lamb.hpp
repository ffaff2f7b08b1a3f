#pragma once
// keras::optimizers::Lamb (keras/src/optimizers/lamb.py).
// LAMB (You et al., 2019): Adam steps rescaled per variable by the trust ratio ||w|| / ||update||.
// Slots per variable: momentum, velocity (interleaved).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct LambOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class Lamb : public Optimizer {
 public:
  using Options = LambOptions;
  explicit Lamb(Options options = {});
  std::string class_name() const override { return "Lamb"; }
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
