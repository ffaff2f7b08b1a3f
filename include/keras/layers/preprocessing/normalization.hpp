#pragma once
// keras.layers.Normalization (keras/src/layers/preprocessing/normalization.py): (x - mean) /
// max(sqrt(variance), epsilon) per position of the kept axes, with the statistics given or
// computed by adapt() over a tensor or a keras::data::Dataset of batches; `invert` maps back.
//
//   auto norm = layers::Normalization();   // axis -1: one mean and variance per feature
//   norm->adapt(x_train);                  // or a dataset: norm->adapt(ds)
//   auto model = Sequential({Input({8}), norm, layers::Dense({.units = 1})});
#include <optional>
#include <vector>

#include "keras/data/dataset.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct NormalizationOptions {
  // The axes kept (a mean and variance per position along them); the others are reduced. Empty:
  // Keras's axis=None, one mean and variance for everything.
  std::vector<int64_t> axis = {-1};
  // Fixed statistics (both or neither; a scalar or the kept axes' trailing shape). Without them
  // the layer has "mean", "variance" and "count" weights that adapt() fills.
  std::optional<Tensor> mean;
  std::optional<Tensor> variance;
  bool invert = false;
  KERAS_BASE_LAYER_OPTIONS;
};

class NormalizationImpl : public LayerImpl {
 public:
  using Options = NormalizationOptions;
  explicit NormalizationImpl(NormalizationOptions options = {});
  std::string class_name() const override { return "Normalization"; }
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;

  // Computes the mean and variance over `data`'s reduced axes (the layer builds for its shape).
  void adapt(const Tensor& data);
  // The same over a dataset of batches (the first component of each element), combined batch by
  // batch as Keras does.
  void adapt(const data::Dataset& data);

 private:
  std::string where() const;
  void check_kept_dims(const Shape& shape, const char* what) const;
  Tensor broadcast(const Tensor& stat) const;  // a statistic shaped to broadcast over inputs

  NormalizationOptions options_;
  Shape build_shape_;
  std::vector<int64_t> keep_axis_, reduce_axis_;
  Shape stats_shape_;      // the kept axes' sizes
  Shape broadcast_shape_;  // input rank, 1 on reduced axes
  Variable adapt_mean_, adapt_variance_, count_;
};
KERAS_LAYER(Normalization);

}  // namespace keras::layers
