#pragma once
// keras.layers.Permute (keras/src/layers/reshaping/permute.py): permutes the non-batch
// dimensions; dims is a permutation of 1..rank-1 (1-indexed, the batch axis is 0).
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

struct PermuteOptions {
  std::vector<int64_t> dims{};  // required
  KERAS_BASE_LAYER_OPTIONS;
};

class PermuteImpl : public LayerImpl {
 public:
  using Options = PermuteOptions;
  explicit PermuteImpl(PermuteOptions options);
  std::string class_name() const override { return "Permute"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;

 private:
  std::vector<int64_t> dims_;
};
KERAS_LAYER(Permute);

}  // namespace keras::layers
