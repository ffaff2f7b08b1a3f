#pragma once
// PReLU (keras/src/layers/activations/prelu.py): relu(x) - alpha * relu(-x) with a learned
// `alpha` of the per-example input shape (size 1 along shared_axes).
#include <optional>
#include <string>
#include <vector>

#include "keras/layers/layer.hpp"

namespace keras::initializers {
class Initializer;
}

namespace keras::layers {

struct PReLUOptions {
  saving::ObjectRef<initializers::Initializer> alpha_initializer = "Zeros";
  saving::ObjectRef<regularizers::Regularizer> alpha_regularizer;
  saving::ObjectRef<constraints::Constraint> alpha_constraint;
  // Axes (1-based: axis 0 is the batch) along which alpha is shared, e.g. {1, 2} for images.
  std::optional<std::vector<int64_t>> shared_axes;
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class PReLUImpl : public LayerImpl {
 public:
  using Options = PReLUOptions;
  explicit PReLUImpl(PReLUOptions options = {});
  std::string class_name() const override { return "PReLU"; }
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Options& options() const { return options_; }
  const Variable& alpha() const { return alpha_; }

 private:
  Options options_;
  Shape built_shape_;
  Variable alpha_;
};
KERAS_LAYER(PReLU);

}  // namespace keras::layers
