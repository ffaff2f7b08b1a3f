#pragma once
// UnitNormalization (keras/src/layers/normalization/unit_normalization.py): scales each example
// to unit L2 norm over `axis`: x / max(||x||, 1e-12).
#include <optional>
#include <string>

#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct UnitNormalizationOptions {
  Ints axis = -1;  // `.axis = 1` or `.axis = {1, 2}`
  std::string name;
  std::optional<DType> dtype;
  bool trainable = true;
};

class UnitNormalizationImpl : public LayerImpl {
 public:
  using Options = UnitNormalizationOptions;
  explicit UnitNormalizationImpl(UnitNormalizationOptions options = {});
  std::string class_name() const override { return "UnitNormalization"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
};
KERAS_LAYER(UnitNormalization);

}  // namespace keras::layers
