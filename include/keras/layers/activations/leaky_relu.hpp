#pragma once
// LeakyReLU (keras/src/layers/activations/leaky_relu.py): x for x >= 0, negative_slope * x below.
#include <optional>
#include <string>

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct LeakyReLUOptions {
  double negative_slope = 0.3;  // >= 0
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class LeakyReLUImpl : public LayerImpl {
 public:
  using Options = LeakyReLUOptions;
  explicit LeakyReLUImpl(LeakyReLUOptions options = {});
  std::string class_name() const override { return "LeakyReLU"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
};
KERAS_LAYER(LeakyReLU);

}  // namespace keras::layers
