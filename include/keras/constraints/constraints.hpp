#pragma once
// keras::constraints (keras/src/constraints/constraints.py, __init__.py): projections applied to
// a variable after each optimizer update.
//
//   layers::Dense({.units = 8, .kernel_constraint = constraints::MaxNorm({.max_value = 3})})
//   Tensor projected = constraints::UnitNorm({.axis = {0, 1, 2}})(conv_kernel);
#include <memory>
#include <string>

#include "keras/core/tensor.hpp"
#include "keras/ops/core.hpp"
#include "keras/serialization/config.hpp"

namespace keras::constraints {

class Constraint {
 public:
  virtual ~Constraint() = default;
  static constexpr const char* kFamily = "constraint";  // for error messages
  // The projected weights (same shape; floating dtype).
  virtual Tensor operator()(const Tensor& w) const = 0;
  virtual std::string class_name() const = 0;
  virtual Config get_config() const { return Config::object(); }
};

struct MaxNormOptions {
  double max_value = 2;
  // The axes the norms are computed over: 0 for a Dense kernel (input_dim, units), {0, 1, 2} for
  // a channels_last Conv2D kernel; none means all axes.
  ops::Axis axis = 0;
};
// Rescales each slice whose L2 norm exceeds max_value down to max_value:
// w * clip(norms, 0, max_value) / (epsilon + norms).
class MaxNorm : public Constraint {
 public:
  explicit MaxNorm(MaxNormOptions options = {}) : options_(options) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "MaxNorm"; }
  // {"max_value", "axis"}; an integral max_value is written as an integer (Keras's default 2).
  Config get_config() const override;

 private:
  MaxNormOptions options_;
};

struct MinMaxNormOptions {
  double min_value = 0.0;
  double max_value = 1.0;
  double rate = 1.0;  // 1 enforces strictly; < 1 moves the norms part of the way each step
  ops::Axis axis = 0;
};
// w * (rate * clip(norms, min_value, max_value) + (1 - rate) * norms) / (epsilon + norms).
class MinMaxNorm : public Constraint {
 public:
  explicit MinMaxNorm(MinMaxNormOptions options = {}) : options_(options) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "MinMaxNorm"; }
  Config get_config() const override;  // {"min_value", "max_value", "rate", "axis"}

 private:
  MinMaxNormOptions options_;
};

// maximum(w, 0).
class NonNeg : public Constraint {
 public:
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "NonNeg"; }
};

struct UnitNormOptions {
  ops::Axis axis = 0;
};
// w / (epsilon + norms).
class UnitNorm : public Constraint {
 public:
  explicit UnitNorm(UnitNormOptions options = {}) : options_(options) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "UnitNorm"; }
  Config get_config() const override;  // {"axis"}

 private:
  UnitNormOptions options_;
};

// keras.constraints.get: "max_norm", "min_max_norm", "non_neg", "unit_norm" or a class name,
// with default arguments. ValueError listing the known names otherwise.
std::shared_ptr<Constraint> get(const std::string& identifier);
std::shared_ptr<Constraint> deserialize(const Config& config);
// {"module": "keras.constraints", "class_name", "config", "registered_name": null}.
Config serialize(const Constraint& constraint);

}  // namespace keras::constraints
