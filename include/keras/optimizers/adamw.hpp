#pragma once
// keras::optimizers::AdamW (keras/src/optimizers/adamw.py): Adam with decoupled weight decay
// (Loshchilov & Hutter, 2019), which is the base class's weight_decay step with a default of
// 0.004. Same slots as Adam.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "keras/optimizers/adam.hpp"

namespace keras::optimizers {

// Keras's arguments and defaults, in Keras's order (weight_decay comes second here).
struct AdamWOptions {
  LearningRate learning_rate = 0.001;
  std::optional<double> weight_decay = 0.004;  // required: none is a ValueError
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  KERAS_OPTIMIZER_CLIP_EMA_OPTIONS;
};

class AdamW : public Adam {
 public:
  using Options = AdamWOptions;
  explicit AdamW(Options options = {});
  std::string class_name() const override { return "AdamW"; }
  static std::shared_ptr<Optimizer> from_config(const Config& config);
};

}  // namespace keras::optimizers
