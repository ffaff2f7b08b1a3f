#pragma once
// GroupNormalization (keras/src/layers/normalization/group_normalization.py): splits the channels
// (`axis`) into `groups` groups and normalizes each example over each group; groups = -1 is
// instance normalization (one channel per group).
#include <optional>
#include <string>

#include "keras/layers/layer.hpp"

namespace keras::initializers {
class Initializer;
}

namespace keras::layers {

struct GroupNormalizationOptions {
  int64_t groups = 32;
  int64_t axis = -1;
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  saving::ObjectRef<initializers::Initializer> beta_initializer = "zeros";
  saving::ObjectRef<initializers::Initializer> gamma_initializer = "ones";
  saving::ObjectRef<regularizers::Regularizer> beta_regularizer;
  saving::ObjectRef<regularizers::Regularizer> gamma_regularizer;
  saving::ObjectRef<constraints::Constraint> beta_constraint;
  saving::ObjectRef<constraints::Constraint> gamma_constraint;
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class GroupNormalizationImpl : public LayerImpl {
 public:
  using Options = GroupNormalizationOptions;
  explicit GroupNormalizationImpl(GroupNormalizationOptions options = {});
  std::string class_name() const override { return "GroupNormalization"; }
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Options& options() const { return options_; }
  const Variable& gamma() const { return gamma_; }
  const Variable& beta() const { return beta_; }

 private:
  std::string where() const;
  Options options_;
  int axis_ = -1;
  int rank_ = 0;
  Variable gamma_, beta_;
};
KERAS_LAYER(GroupNormalization);

}  // namespace keras::layers
