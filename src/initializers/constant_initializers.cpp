// Zeros, Ones, Constant, Identity (keras/src/initializers/constant_initializers.py).
#include "keras/initializers/constant_initializers.hpp"

#include "keras/core/config.hpp"
#include "keras/ops/ops.hpp"

namespace keras::initializers {

Tensor Zeros::operator()(const Shape& shape, std::optional<DType> dtype) const {
  return ops::zeros(shape, dtype.value_or(config::floatx()));
}

Tensor Ones::operator()(const Shape& shape, std::optional<DType> dtype) const {
  return ops::ones(shape, dtype.value_or(config::floatx()));
}

Tensor Constant::operator()(const Shape& shape, std::optional<DType> dtype) const {
  // Keras: cast(value, dtype) * ones(shape, dtype).
  return ops::full(shape, Tensor(value_), dtype.value_or(config::floatx()));
}

Config Constant::get_config() const { return Config{{"value", value_}}; }

Tensor Identity::operator()(const Shape& shape, std::optional<DType> dtype) const {
  if (shape.rank() != 2)
    throw ValueError(
        "Identity matrix initializer can only be used for 2D matrices. Received: shape=" +
        shape.to_string() + " of rank " + std::to_string(shape.rank()) + ".");
  DType dt = dtype.value_or(config::floatx());
  Tensor eye = ops::eye(shape[0], shape[1], 0, dt);
  return gain_ == 1.0 ? eye : ops::multiply(Tensor(gain_), eye);
}

Config Identity::get_config() const {
  Config c = Config::object();
  if (gain_ != 1.0) c["gain"] = gain_;
  return c;
}

}  // namespace keras::initializers
