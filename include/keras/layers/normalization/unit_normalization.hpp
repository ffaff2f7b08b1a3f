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

class UnitNormalizationImpl : public LayerWith<UnitNormalizationOptions, "UnitNormalization"> {
 public:
  explicit UnitNormalizationImpl(UnitNormalizationOptions options = {});
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
};
KERAS_LAYER(UnitNormalization);

}  // namespace keras::layers
