#pragma once
// keras.layers.RepeatVector (keras/src/layers/reshaping/repeat_vector.py):
// (batch, features) -> (batch, n, features).
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct RepeatVectorOptions {
  int64_t n = 0;  // required
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
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
