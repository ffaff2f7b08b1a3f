#pragma once
// LayerNormalization (keras/src/layers/normalization/layer_normalization.py): normalizes each
// example over `axis` (one or several axes), then scales by gamma and shifts by beta, whose shape
// is the input's dimensions at those axes.
#include <optional>
#include <string>

#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"

namespace keras::initializers {
class Initializer;
}

namespace keras::layers {

struct LayerNormalizationOptions {
  Ints axis = -1;  // `.axis = -1` or `.axis = {1, 2}`
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  saving::ObjectRef<initializers::Initializer> beta_initializer = "zeros";
  saving::ObjectRef<initializers::Initializer> gamma_initializer = "ones";
  saving::ObjectRef<regularizers::Regularizer> beta_regularizer;
  saving::ObjectRef<regularizers::Regularizer> gamma_regularizer;
  saving::ObjectRef<constraints::Constraint> beta_constraint;
  saving::ObjectRef<constraints::Constraint> gamma_constraint;
  // Deprecated in Keras (scales by the variance, without centering; no beta).
  bool rms_scaling = false;
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class LayerNormalizationImpl : public LayerImpl {
 public:
  using Options = LayerNormalizationOptions;
  explicit LayerNormalizationImpl(LayerNormalizationOptions options = {});
  std::string class_name() const override { return "LayerNormalization"; }
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Options& options() const { return options_; }
  const Variable& gamma() const { return gamma_; }
  const Variable& beta() const { return beta_; }

 private:
  std::string where() const;
  Options options_;
  std::vector<int64_t> axes_;  // normalized, sorted
  Shape input_shape_;
  Variable gamma_, beta_;
};
KERAS_LAYER(LayerNormalization);

}  // namespace keras::layers
