#pragma once
// Trainer's private state (compiled losses and metrics per output).
#include <memory>
#include <string>
#include <vector>

#include "keras/losses/loss.hpp"
#include "keras/metrics/reduction_metrics.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/trainers/trainer.hpp"
#include "trainers/compiled_function.hpp"

namespace keras {

struct Trainer::State {
  struct Output {
    std::string name;
    std::shared_ptr<losses::Loss> loss;
    double loss_weight = 1.0;
    std::shared_ptr<metrics::Mean> loss_tracker;  // "<output>_loss" for multi-output models
    std::vector<std::shared_ptr<metrics::Metric>> metrics;
    std::vector<std::shared_ptr<metrics::Metric>> weighted_metrics;
  };
  CompileOptions options;
  std::shared_ptr<optimizers::Optimizer> optimizer;
  bool compiled = false;
  bool built = false;
  std::vector<Output> outputs;
  std::shared_ptr<metrics::Mean> loss_tracker =
      std::make_shared<metrics::Mean>(metrics::MetricOptions{.name = "loss"});
  detail::CompiledFunction predict_function{"predict_step"};
  detail::CompiledFunction train_function{"train_step"};
  detail::CompiledFunction test_function{"test_step"};
};

}  // namespace keras
