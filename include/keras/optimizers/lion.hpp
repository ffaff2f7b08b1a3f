#pragma once
// keras::optimizers::Lion (keras/src/optimizers/lion.py).
// Lion (Chen et al., 2023): sign of an interpolation of momentum and gradient. Slots: one momentum
// per variable.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct LionOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.99;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class Lion : public Optimizer {
 public:
  using Options = LionOptions;
  explicit Lion(Options options = {});
  std::string class_name() const override { return "Lion"; }
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
