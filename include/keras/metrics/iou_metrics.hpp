#pragma once
// Intersection-over-union metrics (keras/src/metrics/iou_metrics.py). The state is a
// (num_classes, num_classes) confusion matrix, int32 by default.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

struct IoUOptions {
  int64_t num_classes = 2;
  std::vector<int64_t> target_class_ids;
  std::string name;            // default "io_u", made unique
  std::optional<DType> dtype;  // default int32
  std::optional<int64_t> ignore_class;
  bool sparse_y_true = true;
  bool sparse_y_pred = true;
  int64_t axis = -1;
};

class IoU : public Metric {
 public:
  explicit IoU(IoUOptions options);
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) override;
  // The mean IoU over target_class_ids (classes that never occur are left out), float32.
  Tensor result() const override;
  std::string class_name() const override { return "IoU"; }
  Config get_config() const override;

 protected:
  IoU(IoUOptions options, const char* default_name);
  IoUOptions options_;

 private:
  Variable total_cm_;
};

struct MeanIoUOptions {
  int64_t num_classes = 2;
  std::string name;  // default "mean_io_u", made unique
  std::optional<DType> dtype;
  std::optional<int64_t> ignore_class;
  bool sparse_y_true = true;
  bool sparse_y_pred = true;
  int64_t axis = -1;
};

class MeanIoU : public IoU {
 public:
  explicit MeanIoU(MeanIoUOptions options);
  std::string class_name() const override { return "MeanIoU"; }
  Config get_config() const override;
};

}  // namespace keras::metrics
