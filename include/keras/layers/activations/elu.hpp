#pragma once
// ELU (keras/src/layers/activations/elu.py): x for x > 0, alpha * (exp(x) - 1) below.
#include <optional>
#include <string>

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct ELUOptions {
  double alpha = 1.0;
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class ELUImpl : public LayerImpl {
 public:
  using Options = ELUOptions;
  explicit ELUImpl(ELUOptions options = {});
  std::string class_name() const override { return "ELU"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
};
KERAS_LAYER(ELU);

}  // namespace keras::layers
