#pragma once
// keras.layers.RepeatVector (keras/src/layers/reshaping/repeat_vector.py):
// (batch, features) -> (batch, n, features).
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct RepeatVectorOptions {
  int64_t n = 0;  // required
  KERAS_BASE_LAYER_OPTIONS;
};

class RepeatVectorImpl : public LayerImpl {
 public:
  using Options = RepeatVectorOptions;
  explicit RepeatVectorImpl(RepeatVectorOptions options);
  std::string class_name() const override { return "RepeatVector"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;

 private:
  int64_t n_;
};
KERAS_LAYER(RepeatVector);

}  // namespace keras::layers
