#pragma once
// keras.layers.Reshape (keras/src/layers/reshaping/reshape.py): reshapes the non-batch dimensions
// to target_shape, which may contain one -1 (inferred).
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct ReshapeOptions {
  Shape target_shape{};  // required; without the batch dimension
  KERAS_BASE_LAYER_OPTIONS;
};

class ReshapeImpl : public LayerImpl {
 public:
  using Options = ReshapeOptions;
  explicit ReshapeImpl(ReshapeOptions options);
  std::string class_name() const override { return "Reshape"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;

 private:
  Shape target_shape_;
};
KERAS_LAYER(Reshape);

}  // namespace keras::layers
