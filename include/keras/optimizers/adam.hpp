#pragma once
// keras::optimizers::Adam (keras/src/optimizers/adam.py).
// Adam: bias-corrected first and second moment estimates (Kingma et al., 2014), with the optional
// AMSGrad variant. Slots per variable: momentum, velocity (interleaved), then a block of
// velocity_hat with amsgrad.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct AdamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class Adam : public Optimizer {
 public:
  using Options = AdamOptions;
  explicit Adam(Options options = {});
  std::string class_name() const override { return "Adam"; }
  Config get_config() const override;
  static std::shared_ptr<Optimizer> from_config(const Config& config);
  const Options& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& var_list) override;
  void update_step(const Tensor& gradient, const Variable& variable, const Tensor& learning_rate,
                   size_t index) override;
  // For AdamW: the same algorithm under another class name.
  Adam(Options options, const std::string& class_name);

 private:
  Options options_;
};

}  // namespace keras::optimizers
