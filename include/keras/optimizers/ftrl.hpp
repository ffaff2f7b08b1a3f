#pragma once
// keras::optimizers::Ftrl (keras/src/optimizers/ftrl.py).
// FTRL-Proximal (McMahan et al., 2013) with L1, L2 and L2-shrinkage regularization. Slots per
// variable: accumulator (starting at initial_accumulator_value), linear (interleaved).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct FtrlOptions {
  LearningRate learning_rate = 0.001;
  double learning_rate_power = -0.5;
  double initial_accumulator_value = 0.1;
  double l1_regularization_strength = 0.0;
  double l2_regularization_strength = 0.0;
  double l2_shrinkage_regularization_strength = 0.0;
  double beta = 0.0;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class Ftrl : public Optimizer {
 public:
  using Options = FtrlOptions;
  explicit Ftrl(Options options = {});
  std::string class_name() const override { return "Ftrl"; }
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
