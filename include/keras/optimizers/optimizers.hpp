#pragma once
// keras::optimizers: every built-in optimizer plus Keras's get / serialize / deserialize
// (keras/src/optimizers/__init__.py and one module per optimizer).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"
#include "keras/optimizers/schedules/learning_rate_schedule.hpp"

namespace keras::optimizers {

// keras::optimizers::Adadelta (keras/src/optimizers/adadelta.py).
// Adadelta: step sizes from moving averages of squared gradients and squared updates (Zeiler,
// 2012). Slots per variable: accumulated_grad, accumulated_delta_var (interleaved).
// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct AdadeltaOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.95;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class Adadelta : public Optimizer {
 public:
  using Options = AdadeltaOptions;
  explicit Adadelta(Options options = {});
  std::string class_name() const override { return "Adadelta"; }
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

// keras::optimizers::Adafactor (keras/src/optimizers/adafactor.py).
// Adafactor (Shazeer & Stern, 2018): factored second moments for variables of rank >= 2. Slots per
// variable, interleaved: r (row statistics; a float scalar for rank < 2), c (column statistics; a
// float scalar for rank < 2), velocity. Keras names r and c after the variable itself.
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

// keras::optimizers::Adagrad (keras/src/optimizers/adagrad.py).
// Adagrad: per-parameter learning rates scaled by the accumulated squared gradients. Slots: one
// accumulator per variable, starting at initial_accumulator_value.
// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct AdagradOptions {
  LearningRate learning_rate = 0.001;
  double initial_accumulator_value = 0.1;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
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

// keras::optimizers::Adam (keras/src/optimizers/adam.py).
// Adam: bias-corrected first and second moment estimates (Kingma et al., 2014), with the optional
// AMSGrad variant. Slots per variable: momentum, velocity (interleaved), then a block of
// velocity_hat with amsgrad.
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

// keras::optimizers::Adamax (keras/src/optimizers/adamax.py).
// Adamax: Adam with the infinity norm (Kingma et al., 2014, section 7). Slots per variable:
// momentum, norm (interleaved).
// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct AdamaxOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class Adamax : public Optimizer {
 public:
  using Options = AdamaxOptions;
  explicit Adamax(Options options = {});
  std::string class_name() const override { return "Adamax"; }
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

// keras::optimizers::AdamW (keras/src/optimizers/adamw.py): Adam with decoupled weight decay
// (Loshchilov & Hutter, 2019), which is the base class's weight_decay step with a default of
// 0.004. Same slots as Adam.
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

// keras::optimizers::Ftrl (keras/src/optimizers/ftrl.py).
// FTRL-Proximal (McMahan et al., 2013) with L1, L2 and L2-shrinkage regularization. Slots per
// variable: accumulator (starting at initial_accumulator_value), linear (interleaved).
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

// keras::optimizers::Lamb (keras/src/optimizers/lamb.py).
// LAMB (You et al., 2019): Adam steps rescaled per variable by the trust ratio ||w|| / ||update||.
// Slots per variable: momentum, velocity (interleaved).
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

// keras::optimizers::Lion (keras/src/optimizers/lion.py).
// Lion (Chen et al., 2023): sign of an interpolation of momentum and gradient. Slots: one momentum
// per variable.
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

// keras::optimizers::Nadam (keras/src/optimizers/nadam.py).
// Nadam: Adam with Nesterov momentum (Dozat, 2015). Slots per variable: momentum, velocity
// (interleaved), then one scalar product of the momentum schedule (Keras's unnamed `_u_product`,
// saved after the slots).
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

// keras::optimizers::RMSprop (keras/src/optimizers/rmsprop.py).
// RMSprop: divides the gradient by a moving root mean square of past gradients, optionally centered
// and with momentum. Slots: a block of velocity, then a block of momentum (momentum > 0), then a
// block of average_gradient (centered).
// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct RMSpropOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class RMSprop : public Optimizer {
 public:
  using Options = RMSpropOptions;
  explicit RMSprop(Options options = {});
  std::string class_name() const override { return "RMSprop"; }
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

// keras::optimizers::SGD (keras/src/optimizers/sgd.py).
// Gradient descent with optional (Nesterov) momentum: velocity = momentum * velocity -
// learning_rate * g; w += velocity (w += momentum * velocity - learning_rate * g with nesterov); w
// -= learning_rate * g without momentum.
// Keras's arguments and defaults, in Keras's order (⟨opt-common⟩ after the class's own).
struct SGDOptions {
  LearningRate learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
  KERAS_OPTIMIZER_COMMON_OPTIONS;
};

class SGD : public Optimizer {
 public:
  using Options = SGDOptions;
  explicit SGD(Options options = {});
  std::string class_name() const override { return "SGD"; }
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

// A new optimizer with default arguments from a name: "adam", "Adam", "rmsprop", ... (class
// names, case-insensitive for the built-ins, like Keras). Unknown names are a ValueError listing
// the known ones.
std::shared_ptr<Optimizer> get(const std::string& identifier);
// From an envelope {"class_name": ..., "config": {...}} (or a bare name).
std::shared_ptr<Optimizer> deserialize(const Config& config);
// {"module": "keras.optimizers", "class_name": ..., "config": get_config(), "registered_name"}.
Config serialize(const Optimizer& optimizer);

}  // namespace keras::optimizers
