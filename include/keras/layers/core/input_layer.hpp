#pragma once
// keras::Input and InputLayer (keras/src/layers/core/input_layer.py).
#include "keras/layers/layer.hpp"

namespace keras {

struct InputOptions {
  std::optional<int64_t> batch_size;
  std::optional<DType> dtype;  // default floatx
  std::string name;            // default "input_layer", "input_layer_1", ...
};

namespace layers {

struct InputLayerOptions {
  Shape shape;  // without the batch dimension
  std::optional<int64_t> batch_size;
  std::optional<DType> dtype;
  std::string name;
};

class InputLayerImpl : public LayerImpl {
 public:
  using Options = InputLayerOptions;
  explicit InputLayerImpl(InputLayerOptions options);
  std::string class_name() const override { return "InputLayer"; }
  // The full shape including the batch dimension (None unless batch_size was given).
  const Shape& batch_shape() const { return batch_shape_; }
  // The symbolic tensor this layer outputs (what keras::Input returns).
  Tensor output() const;
  Config get_config() const override;

 private:
  Shape batch_shape_;
  DType input_dtype_;

 public:
  DType input_dtype() const { return input_dtype_; }

 private:
  mutable std::weak_ptr<TensorImpl> output_;
};
KERAS_LAYER(InputLayer);

}  // namespace layers

// A symbolic input tensor: `keras::Input({28, 28, 1})` has shape (None, 28, 28, 1).
Tensor Input(const Shape& shape, InputOptions options = {});

}  // namespace keras
