#pragma once
// keras::optimizers::Adafactor (keras/src/optimizers/adafactor.py).
// Adafactor (Shazeer & Stern, 2018): factored second moments for variables of rank >= 2. Slots per
// variable, interleaved: r (row statistics; a float scalar for rank < 2), c (column statistics; a
// float scalar for rank < 2), velocity. Keras names r and c after the variable itself.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct AdafactorOptions {
  LearningRate learning_rate = 0.001;
  double beta_2_decay = -0.8;
  double epsilon_1 = 1e-30;
  double epsilon_2 = 1e-3;
  double clip_threshold = 1.0;
  bool relative_step = true;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class Adafactor : public Optimizer {
 public:
  using Options = AdafactorOptions;
  explicit Adafactor(Options options = {});
  std::string class_name() const override { return "Adafactor"; }
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
