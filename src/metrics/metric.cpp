#include "keras/metrics/metric.hpp"

#include "keras/core/config.hpp"
#include "keras/ops/ops.hpp"
#include "serialization/variable_budget.hpp"

namespace keras::metrics {

Metric::Metric(MetricOptions options)
    : state_(std::make_shared<State>()), dtype_(options.dtype.value_or(config::floatx())) {
  state_->name = std::move(options.name);
}

void Metric::set_default_name(const std::string& name) {
  if (state_->name.empty()) state_->name = name;
}

Variable Metric::add_variable(const Shape& shape, const std::string& name,
                              std::optional<DType> dtype) {
  // While load_model deserializes a compile_config: metric state counts against the budget too
  // (AUC(num_thresholds=10**9) or MeanIoU(num_classes=10**6) in a config are bombs).
  saving::charge_variable("metric '" + state_->name + "'", name, shape, dtype.value_or(dtype_));
  Variable v(ops::zeros(shape, dtype.value_or(dtype_)), {.trainable = false, .name = name});
  state_->variables.push_back(v);
  return v;
}

std::vector<Variable> Metric::variables() const { return state_->variables; }

void Metric::reset_state() {
  for (Variable& v : state_->variables) v.assign(ops::zeros(v.shape(), v.dtype()));
}

Tensor Metric::operator()(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  update_state(y_true, y_pred, sample_weight);
  return result();
}

Config Metric::get_config() const {
  Config c = Config::object();
  c["name"] = state_->name;
  c["dtype"] = std::string(dtype_name(dtype_));
  return c;
}

}  // namespace keras::metrics
