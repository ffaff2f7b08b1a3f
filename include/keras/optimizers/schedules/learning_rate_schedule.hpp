#pragma once
// keras::optimizers::schedules (keras/src/optimizers/schedules/learning_rate_schedule.py): a
// schedule maps the optimizer's step counter to a learning rate.
//
//   auto lr = schedules::ExponentialDecay({.initial_learning_rate = 1e-2, .decay_steps = 10000,
//                                          .decay_rate = 0.9});
//   auto optimizer = keras::optimizers::SGD({.learning_rate = lr});
//
// Schedules are immutable, so copies need not alias anything. A user schedule derives from
// LearningRateSchedule, overrides operator() and, to be saved, class_name()/get_config(), and
// registers a factory in saving::Registry<LearningRateSchedule>.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"
#include "keras/serialization/config.hpp"

namespace keras::optimizers::schedules {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  // The learning rate at `step` (a scalar integer tensor, the optimizer's iteration counter):
  // a scalar float32 tensor.
  virtual Tensor operator()(const Tensor& step) const = 0;
  virtual std::string class_name() const;
  // Keras's keys and values; the base class throws NotImplementedError like Keras.
  virtual Config get_config() const;
};

struct ExponentialDecayOptions {
  double initial_learning_rate = 0.0;
  int64_t decay_steps = 0;  // must be > 0
  double decay_rate = 0.0;
  bool staircase = false;
  std::string name = "ExponentialDecay";
};

// initial_learning_rate * decay_rate ^ (step / decay_steps) (floored exponent when staircase).
class ExponentialDecay : public LearningRateSchedule {
 public:
  using Options = ExponentialDecayOptions;
  explicit ExponentialDecay(Options options);
  Tensor operator()(const Tensor& step) const override;
  std::string class_name() const override { return "ExponentialDecay"; }
  Config get_config() const override;
  static std::shared_ptr<LearningRateSchedule> from_config(const Config& config);
  const Options& options() const { return options_; }

 private:
  Options options_;
};

struct PiecewiseConstantDecayOptions {
  std::vector<int64_t> boundaries;  // strictly increasing steps
  std::vector<double> values;       // one more than boundaries
  std::string name = "PiecewiseConstant";
};

// values[0] while step <= boundaries[0], values[i] while boundaries[i-1] < step <= boundaries[i],
// values.back() after the last boundary.
class PiecewiseConstantDecay : public LearningRateSchedule {
 public:
  using Options = PiecewiseConstantDecayOptions;
  explicit PiecewiseConstantDecay(Options options);
  Tensor operator()(const Tensor& step) const override;
  std::string class_name() const override { return "PiecewiseConstantDecay"; }
  Config get_config() const override;
  static std::shared_ptr<LearningRateSchedule> from_config(const Config& config);
  const Options& options() const { return options_; }

 private:
  Options options_;
};

struct PolynomialDecayOptions {
  double initial_learning_rate = 0.0;
  int64_t decay_steps = 0;  // must be > 0
  double end_learning_rate = 0.0001;
  double power = 1.0;
  bool cycle = false;
  std::string name = "PolynomialDecay";
};

// (initial - end) * (1 - min(step, decay_steps) / decay_steps) ^ power + end; with `cycle`,
// decay_steps grows to the first multiple above step.
class PolynomialDecay : public LearningRateSchedule {
 public:
  using Options = PolynomialDecayOptions;
  explicit PolynomialDecay(Options options);
  Tensor operator()(const Tensor& step) const override;
  std::string class_name() const override { return "PolynomialDecay"; }
  Config get_config() const override;
  static std::shared_ptr<LearningRateSchedule> from_config(const Config& config);
  const Options& options() const { return options_; }

 private:
  Options options_;
};

struct InverseTimeDecayOptions {
  double initial_learning_rate = 0.0;
  int64_t decay_steps = 0;  // must be > 0
  double decay_rate = 0.0;
  bool staircase = false;
  std::string name = "InverseTimeDecay";
};

// initial_learning_rate / (1 + decay_rate * step / decay_steps) (floored ratio when staircase).
class InverseTimeDecay : public LearningRateSchedule {
 public:
  using Options = InverseTimeDecayOptions;
  explicit InverseTimeDecay(Options options);
  Tensor operator()(const Tensor& step) const override;
  std::string class_name() const override { return "InverseTimeDecay"; }
  Config get_config() const override;
  static std::shared_ptr<LearningRateSchedule> from_config(const Config& config);
  const Options& options() const { return options_; }

 private:
  Options options_;
};

struct CosineDecayOptions {
  double initial_learning_rate = 0.0;
  int64_t decay_steps = 0;  // must be > 0
  double alpha = 0.0;
  std::string name = "CosineDecay";
  std::optional<double> warmup_target;  // none: no warmup
  int64_t warmup_steps = 0;
};

// Optional linear warmup from initial_learning_rate to warmup_target over warmup_steps, then a
// cosine decay to alpha times the decay's starting rate over decay_steps.
class CosineDecay : public LearningRateSchedule {
 public:
  using Options = CosineDecayOptions;
  explicit CosineDecay(Options options);
  Tensor operator()(const Tensor& step) const override;
  std::string class_name() const override { return "CosineDecay"; }
  Config get_config() const override;
  static std::shared_ptr<LearningRateSchedule> from_config(const Config& config);
  const Options& options() const { return options_; }

 private:
  Options options_;
};

struct CosineDecayRestartsOptions {
  double initial_learning_rate = 0.0;
  int64_t first_decay_steps = 0;  // must be > 0
  double t_mul = 2.0;
  double m_mul = 1.0;
  double alpha = 0.0;
  std::string name = "SGDRDecay";
};

// SGDR: cosine decay with warm restarts; period i lasts first_decay_steps * t_mul^i steps and
// starts from initial_learning_rate * m_mul^i.
class CosineDecayRestarts : public LearningRateSchedule {
 public:
  using Options = CosineDecayRestartsOptions;
  explicit CosineDecayRestarts(Options options);
  Tensor operator()(const Tensor& step) const override;
  std::string class_name() const override { return "CosineDecayRestarts"; }
  Config get_config() const override;
  static std::shared_ptr<LearningRateSchedule> from_config(const Config& config);
  const Options& options() const { return options_; }

 private:
  Options options_;
};

// Envelope {"module": "keras.optimizers.schedules", "class_name", "config", "registered_name"}.
Config serialize(const LearningRateSchedule& schedule);
// From an envelope (or a bare class name with an empty config, which fails for the built-in
// schedules' required arguments).
std::shared_ptr<LearningRateSchedule> deserialize(const Config& config);

}  // namespace keras::optimizers::schedules
