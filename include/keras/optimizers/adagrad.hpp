#pragma once
// keras::optimizers::Adagrad (keras/src/optimizers/adagrad.py).
// Adagrad: per-parameter learning rates scaled by the accumulated squared gradients. Slots: one
// accumulator per variable, starting at initial_accumulator_value.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct AdagradOptions {
  LearningRate learning_rate = 0.001;
  double initial_accumulator_value = 0.1;
  double epsilon = 1e-7;
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

class Adagrad : public Optimizer {
 public:
  using Options = AdagradOptions;
  explicit Adagrad(Options options = {});
  std::string class_name() const override { return "Adagrad"; }
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
