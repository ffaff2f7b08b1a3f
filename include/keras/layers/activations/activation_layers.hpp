#pragma once
// The activation layers with arguments of their own: ELU, LeakyReLU, ReLU and Softmax
// (keras/src/layers/activations/{elu,leaky_relu,relu,softmax}.py).
#include <optional>
#include <string>

#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

// ELU (keras/src/layers/activations/elu.py): x for x > 0, alpha * (exp(x) - 1) below.
struct ELUOptions {
  double alpha = 1.0;
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class ELUImpl : public LayerWith<ELUOptions, "ELU"> {
 public:
  explicit ELUImpl(ELUOptions options = {});
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
};
KERAS_LAYER(ELU);

// LeakyReLU (keras/src/layers/activations/leaky_relu.py): x for x >= 0, negative_slope * x below.
struct LeakyReLUOptions {
  double negative_slope = 0.3;  // >= 0
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class LeakyReLUImpl : public LayerWith<LeakyReLUOptions, "LeakyReLU"> {
 public:
  explicit LeakyReLUImpl(LeakyReLUOptions options = {});
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
};
KERAS_LAYER(LeakyReLU);

// ReLU (keras/src/layers/activations/relu.py): max_value-capped, leaky, thresholded relu:
// x >= max_value: max_value; threshold <= x < max_value: x; x < threshold: negative_slope *
// (x - threshold).
struct ReLUOptions {
  std::optional<double> max_value;  // >= 0 or none
  double negative_slope = 0.0;      // >= 0
  double threshold = 0.0;           // >= 0
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class ReLUImpl : public LayerWith<ReLUOptions, "ReLU"> {
 public:
  explicit ReLUImpl(ReLUOptions options = {});
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
};
KERAS_LAYER(ReLU);

// Softmax (keras/src/layers/activations/softmax.py): softmax over `axis` (one or several axes).
// A mask (CallArgs::mask, broadcastable to the inputs; bool, or > 0.5 means kept) excludes
// positions: they get a large negative logit and output 0.
struct SoftmaxOptions {
  Ints axis = -1;
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class SoftmaxImpl : public LayerWith<SoftmaxOptions, "Softmax"> {
 public:
  explicit SoftmaxImpl(SoftmaxOptions options = {});
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
};
KERAS_LAYER(Softmax);

}  // namespace keras::layers
