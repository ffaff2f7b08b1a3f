#include "keras/metrics/iou_metrics.hpp"

#include <algorithm>
#include <numeric>

#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"
#include "keras/ops/ops.hpp"
#include "keras/utils/naming.hpp"
#include "metrics/metrics_utils.hpp"

namespace keras::metrics {

IoU::IoU(IoUOptions o) : IoU(std::move(o), "io_u") {}

IoU::IoU(IoUOptions o, const char* default_name)
    : Metric({o.name.empty() ? auto_name(default_name) : o.name, o.dtype.value_or(DType::Int32)}),
      options_(std::move(o)) {
  if (options_.num_classes < 1)
    throw ValueError("IoU: argument `num_classes` must be >= 1, got " +
                     std::to_string(options_.num_classes));
  if (options_.target_class_ids.empty())
    throw ValueError("IoU: argument `target_class_ids` must not be empty");
  int64_t max_id =
      *std::max_element(options_.target_class_ids.begin(), options_.target_class_ids.end());
  if (max_id >= options_.num_classes)
    throw ValueError("IoU: target class id " + std::to_string(max_id) +
                     " is out of range, which is [0, " + std::to_string(options_.num_classes) +
                     ").");
  total_cm_ = add_variable({options_.num_classes, options_.num_classes}, "total_confusion_matrix");
}

void IoU::update_state(const Tensor& y_true_in, const Tensor& y_pred_in,
                       const Tensor& sample_weight) {
  Tensor y_true = options_.sparse_y_true ? y_true_in : ops::argmax(y_true_in, options_.axis);
  Tensor y_pred = options_.sparse_y_pred ? y_pred_in : ops::argmax(y_pred_in, options_.axis);
  y_true = ops::reshape(ops::cast(y_true, dtype()), {-1});
  y_pred = ops::reshape(ops::cast(y_pred, dtype()), {-1});
  Tensor w = sample_weight.defined() ? ops::cast(sample_weight, dtype()) : ops::ones({}, dtype());
  if (w.ndim() > 1) w = ops::reshape(w, {-1});
  w = ops::broadcast_to(w, y_true.shape());
  Tensor n = ops::full({}, static_cast<double>(options_.num_classes), dtype());
  Tensor zero = ops::zeros({}, dtype());
  Tensor in_bounds = ops::logical_and(ops::logical_and(y_true >= zero, y_true < n),
                                      ops::logical_and(y_pred >= zero, y_pred < n));
  if (options_.ignore_class)
    in_bounds = ops::logical_and(
        in_bounds, ops::not_equal(y_true, ops::full({}, static_cast<double>(*options_.ignore_class),
                                                    dtype())));
  y_true = ops::where(in_bounds, y_true, zero);
  y_pred = ops::where(in_bounds, y_pred, zero);
  w = ops::where(in_bounds, w, zero);
  Tensor cm = detail::confusion_matrix(y_true, y_pred, options_.num_classes, w, dtype());
  total_cm_.assign(total_cm_.value() + cm);
}

Tensor IoU::result() const {
  Tensor cm = ops::cast(total_cm_.value(), DType::Float32);
  Tensor sum_over_row = ops::sum(cm, {.axis = 0});
  Tensor sum_over_col = ops::sum(cm, {.axis = 1});
  Tensor tp = ops::diag(cm);
  Tensor denominator = sum_over_row + sum_over_col - tp;
  Tensor ids = ops::convert_to_tensor(options_.target_class_ids, {.dtype = DType::Int32});
  tp = ops::take(tp, ids);
  denominator = ops::take(denominator, ids);
  Tensor valid = ops::greater(denominator, 1e-9);
  Tensor num_valid = ops::sum(ops::cast(valid, DType::Float32));
  Tensor iou = tp / (denominator + config::epsilon());
  iou = ops::where(valid, iou, ops::zeros({}, DType::Float32));
  return ops::sum(iou) / (num_valid + config::epsilon());
}

Config IoU::get_config() const {
  Config c = Metric::get_config();
  c["num_classes"] = options_.num_classes;
  c["target_class_ids"] = options_.target_class_ids;
  c["ignore_class"] = options_.ignore_class ? Config(*options_.ignore_class) : Config(nullptr);
  c["sparse_y_true"] = options_.sparse_y_true;
  c["sparse_y_pred"] = options_.sparse_y_pred;
  c["axis"] = options_.axis;
  return c;
}

namespace {

IoUOptions to_iou(const MeanIoUOptions& o) {
  std::vector<int64_t> ids(static_cast<size_t>(std::max<int64_t>(o.num_classes, 0)));
  std::iota(ids.begin(), ids.end(), 0);
  return {.num_classes = o.num_classes,
          .target_class_ids = ids,
          .name = o.name,
          .dtype = o.dtype,
          .ignore_class = o.ignore_class,
          .sparse_y_true = o.sparse_y_true,
          .sparse_y_pred = o.sparse_y_pred,
          .axis = o.axis};
}

}  // namespace

MeanIoU::MeanIoU(MeanIoUOptions o) : IoU(to_iou(o), "mean_io_u") {}

Config MeanIoU::get_config() const {
  Config c = Config::object();
  c["num_classes"] = options_.num_classes;
  c["name"] = name();
  c["dtype"] = std::string(dtype_name(dtype()));
  c["ignore_class"] = options_.ignore_class ? Config(*options_.ignore_class) : Config(nullptr);
  c["sparse_y_true"] = options_.sparse_y_true;
  c["sparse_y_pred"] = options_.sparse_y_pred;
  c["axis"] = options_.axis;
  return c;
}

}  // namespace keras::metrics
