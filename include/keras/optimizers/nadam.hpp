#pragma once
// keras::optimizers::Nadam (keras/src/optimizers/nadam.py).
// Nadam: Adam with Nesterov momentum (Dozat, 2015). Slots per variable: momentum, velocity
// (interleaved), then one scalar product of the momentum schedule (Keras's unnamed `_u_product`,
// saved after the slots).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct NadamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class Nadam : public Optimizer {
 public:
  using Options = NadamOptions;
  explicit Nadam(Options options = {});
  std::string class_name() const override { return "Nadam"; }
  Config get_config() const override;
  static std::shared_ptr<Optimizer> from_config(const Config& config);
  const Options& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& var_list) override;
  void update_step(const Tensor& gradient, const Variable& variable, const Tensor& learning_rate,
                   size_t index) override;
  void update_steps(const std::vector<Tensor>& grads, const std::vector<Variable>& vars,
                    const std::vector<size_t>& indices, const Tensor& learning_rate) override;

 private:
  Options options_;
};

}  // namespace keras::optimizers
