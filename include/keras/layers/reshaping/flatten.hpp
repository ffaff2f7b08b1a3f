#pragma once
// keras.layers.Flatten (keras/src/layers/reshaping/flatten.py): (batch, ...) -> (batch, prod(...)).
// With data_format "channels_first" the channel axis is moved last first, so the flattened order
// matches a channels_last model's.
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct FlattenOptions {
  std::string data_format{};  // "" = keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};

class FlattenImpl : public LayerWith<FlattenOptions, "Flatten"> {
 public:
  explicit FlattenImpl(FlattenOptions options = {});
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;

 private:
  std::string data_format_;
};
KERAS_LAYER(Flatten);

}  // namespace keras::layers
