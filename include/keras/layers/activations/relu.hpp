#pragma once
// ReLU (keras/src/layers/activations/relu.py): max_value-capped, leaky, thresholded relu:
// x >= max_value: max_value; threshold <= x < max_value: x; x < threshold: negative_slope *
// (x - threshold).
#include <optional>
#include <string>

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct ReLUOptions {
  std::optional<double> max_value;  // >= 0 or none
  double negative_slope = 0.0;      // >= 0
  double threshold = 0.0;           // >= 0
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class ReLUImpl : public LayerImpl {
 public:
  using Options = ReLUOptions;
  explicit ReLUImpl(ReLUOptions options = {});
  std::string class_name() const override { return "ReLU"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
};
KERAS_LAYER(ReLU);

}  // namespace keras::layers
