#pragma once
// The config fields shared by the normalization layers.
#include "layers/config_fields.hpp"

namespace keras::layers::fields {

// beta and gamma's initializers, regularizers and constraints (LayerNormalization,
// GroupNormalization), where a null initializer keeps the default.
template <class O>
Fields<O> beta_gamma() {
  std::vector<Weight<O>> weights = {KERAS_WEIGHT_ARGS(O, beta), KERAS_WEIGHT_ARGS(O, gamma)};
  return table<O>(initializers(weights, /*keep_on_null=*/true), regularizers_constraints(weights));
}

}  // namespace keras::layers::fields
