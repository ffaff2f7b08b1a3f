#pragma once
// Constant initializers (keras/src/initializers/constant_initializers.py): Zeros, Ones,
// Constant(value), Identity(gain). STFT is not implemented (it needs SciPy's window functions).
#include "keras/initializers/initializer.hpp"

namespace keras::initializers {

class Zeros : public Initializer {
 public:
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override;
  std::string class_name() const override { return "Zeros"; }
};

class Ones : public Initializer {
 public:
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override;
  std::string class_name() const override { return "Ones"; }
};

// Every element is `value` (cast to the requested dtype).
class Constant : public Initializer {
 public:
  explicit Constant(double value = 0.0) : value_(value) {}
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override;
  std::string class_name() const override { return "Constant"; }
  Config get_config() const override;  // {"value": value}
  double value() const { return value_; }

 private:
  double value_;
};

// gain * eye(rows, cols); only for 2-D shapes (ValueError otherwise).
class Identity : public Initializer {
 public:
  explicit Identity(double gain = 1.0) : gain_(gain) {}
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override;
  std::string class_name() const override { return "Identity"; }
  // Keras's Identity has no get_config (its config is {}, and a saved gain is lost); we write
  // {} for the default gain and {"gain": gain} otherwise, which Keras reads back correctly.
  Config get_config() const override;
  double gain() const { return gain_; }

 private:
  double gain_;
};

}  // namespace keras::initializers
