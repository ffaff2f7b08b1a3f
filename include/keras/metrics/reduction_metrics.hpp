#pragma once
// Sum, Mean and MeanMetricWrapper (keras/src/metrics/reduction_metrics.py).
#include <functional>
#include <string>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

// Reduces values to one value per sample and weights them (Keras's
// reduce_to_samplewise_values); returns (values, sample_weight). `mean` picks mean or sum as the
// reduction of the trailing axes.
std::pair<Tensor, Tensor> reduce_to_samplewise_values(const Tensor& values,
                                                      const Tensor& sample_weight, bool mean,
                                                      DType dtype);

// The weighted sum of the values: `Sum().update_state(values, sample_weight)`.
class Sum : public Metric {
 public:
  explicit Sum(MetricOptions options = {});  // default name "sum"
  void update_state(const Tensor& values, const Tensor& sample_weight = Tensor());
  // Metric's signature: y_true is taken as the values and y_pred as the sample weights.
  void update_state(const Tensor& values, const Tensor& sample_weight,
                    const Tensor& unused) override;
  Tensor result() const override;
  std::string class_name() const override { return "Sum"; }

 private:
  Variable total_;
};

// The weighted mean of the values: `Mean().update_state(values, sample_weight)`.
class Mean : public Metric {
 public:
  explicit Mean(MetricOptions options = {});  // default name "mean"
  void update_state(const Tensor& values, const Tensor& sample_weight = Tensor());
  void update_state(const Tensor& values, const Tensor& sample_weight,
                    const Tensor& unused) override;
  Tensor result() const override;
  std::string class_name() const override { return "Mean"; }

 protected:
  void accumulate(const Tensor& values, const Tensor& sample_weight);
  Variable total_;
  Variable count_;
};

using MetricFunction = std::function<Tensor(const Tensor& y_true, const Tensor& y_pred)>;

// The mean of fn(y_true, y_pred) over all samples seen (keras.metrics.MeanMetricWrapper).
class MeanMetricWrapper : public Mean {
 public:
  // fn_name: the function's registered name, written to configs as "fn"; it is also the default
  // name of the metric.
  MeanMetricWrapper(MetricFunction fn, std::string fn_name, MetricOptions options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  std::string class_name() const override { return "MeanMetricWrapper"; }
  Config get_config() const override;
  const std::string& fn_name() const { return fn_name_; }

 private:
  MetricFunction fn_;
  std::string fn_name_;
};

}  // namespace keras::metrics
