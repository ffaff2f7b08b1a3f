#pragma once
// keras::metrics::Metric: the base of every metric (keras/src/metrics/metric.py). State lives in
// non-trainable Variables created by the constructor (or on the first update for metrics whose
// state depends on the input shape); copies of a metric share that state, as two Python names
// for one object do.
//
//   auto acc = keras::metrics::SparseCategoricalAccuracy();
//   acc.update_state(labels, probs);     // a few device ops, no host round trip
//   float value = acc.result().item<float>();
//   acc.reset_state();
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/dtype.hpp"
#include "keras/core/tensor.hpp"
#include "keras/core/variable.hpp"
#include "keras/serialization/config.hpp"

namespace keras::metrics {

// The arguments every metric shares. An empty `name` means the class's default name
// ("accuracy", "auc", ...); an empty dtype means keras::config::floatx() (int32 for IoU metrics).
struct MetricOptions {
  std::string name;
  std::optional<DType> dtype;
};

class Metric {
 public:
  explicit Metric(MetricOptions options = {});
  virtual ~Metric() = default;

  // Accumulates one batch. `sample_weight` undefined = every sample weighs 1.
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred,
                            const Tensor& sample_weight = Tensor()) = 0;
  // The metric's value from the state so far.
  virtual Tensor result() const = 0;
  // Sets every state variable to zero.
  virtual void reset_state();
  // update_state then result (Metric.__call__).
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor());

  // The state variables in creation order.
  std::vector<Variable> variables() const;

  virtual std::string class_name() const = 0;
  // {"name": ..., "dtype": ...} plus the class's own arguments, in Keras's order.
  virtual Config get_config() const;

  // The name is shared state: compile() renames metrics (`metric.name = "acc"` in Keras).
  const std::string& name() const { return state_->name; }
  void set_name(const std::string& name) { state_->name = name; }
  DType dtype() const { return dtype_; }

 protected:
  // A zero-initialized non-trainable state variable, tracked in variables().
  Variable add_variable(const Shape& shape, const std::string& name,
                        std::optional<DType> dtype = std::nullopt);
  void set_default_name(const std::string& name);

 private:
  struct State {
    std::string name;
    std::vector<Variable> variables;
  };
  std::shared_ptr<State> state_;
  DType dtype_;
};

}  // namespace keras::metrics
