#pragma once
// Softmax (keras/src/layers/activations/softmax.py): softmax over `axis` (one or several axes).
// A mask (CallArgs::mask, broadcastable to the inputs; bool, or > 0.5 means kept) excludes
// positions: they get a large negative logit and output 0.
#include <optional>
#include <string>

#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct SoftmaxOptions {
  Ints axis = -1;
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class SoftmaxImpl : public LayerImpl {
 public:
  using Options = SoftmaxOptions;
  explicit SoftmaxImpl(SoftmaxOptions options = {});
  std::string class_name() const override { return "Softmax"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
};
KERAS_LAYER(Softmax);

}  // namespace keras::layers
