#pragma once
// keras::regularizers (keras/src/regularizers/regularizers.py, __init__.py): penalties on weights
// or activations, summed into the loss. Calling one returns a scalar tensor in x's dtype whose
// gradient flows to x.
//
//   layers::Dense({.units = 8, .kernel_regularizer = regularizers::L2(1e-4)})
//   Tensor penalty = regularizers::L1L2({.l1 = 0.01, .l2 = 0.01})(w);
#include <memory>
#include <string>

#include "keras/core/tensor.hpp"
#include "keras/serialization/config.hpp"

namespace keras::regularizers {

class Regularizer {
 public:
  virtual ~Regularizer() = default;
  static constexpr const char* kFamily = "regularizer";  // for error messages
  // The penalty for x: a scalar tensor.
  virtual Tensor operator()(const Tensor& x) const = 0;
  virtual std::string class_name() const = 0;
  virtual Config get_config() const = 0;
};

// l1 * sum(abs(x)). Keras stores l1 as a float32 tensor, so the penalty and the config use
// l1 rounded to float32 (0.01 is written 0.009999999776482582).
class L1 : public Regularizer {
 public:
  explicit L1(double l1 = 0.01);  // l1 finite and >= 0, else ValueError
  Tensor operator()(const Tensor& x) const override;
  std::string class_name() const override { return "L1"; }
  Config get_config() const override;  // {"l1"}
  double l1() const { return l1_; }

 private:
  double l1_;
};

// l2 * sum(square(x)).
class L2 : public Regularizer {
 public:
  explicit L2(double l2 = 0.01);
  Tensor operator()(const Tensor& x) const override;
  std::string class_name() const override { return "L2"; }
  Config get_config() const override;  // {"l2"}
  double l2() const { return l2_; }

 private:
  double l2_;
};

struct L1L2Options {
  double l1 = 0.0;
  double l2 = 0.0;
};
// l1 * sum(abs(x)) + l2 * sum(square(x)); a zero factor's term is left out. (The string
// "l1_l2" / "l1l2" gives l1 = l2 = 0, as Keras's get does.)
class L1L2 : public Regularizer {
 public:
  explicit L1L2(L1L2Options options = {});
  Tensor operator()(const Tensor& x) const override;
  std::string class_name() const override { return "L1L2"; }
  Config get_config() const override;  // {"l1", "l2"}
  double l1() const { return l1_; }
  double l2() const { return l2_; }

 private:
  double l1_, l2_;
};

struct OrthogonalRegularizerOptions {
  double factor = 0.01;
  std::string mode = "rows";  // or "columns"
};
// For a rank-2 x: factor * 0.5 * sum(|off-diagonal entries of the Gram matrix of the
// L2-normalized rows (or columns)|) / num_pairs, num_pairs = size * (size - 1) / 2.
// factor is rounded to float32, as Keras stores it as a float32 tensor.
class OrthogonalRegularizer : public Regularizer {
 public:
  explicit OrthogonalRegularizer(OrthogonalRegularizerOptions options = {});
  Tensor operator()(const Tensor& x) const override;
  std::string class_name() const override { return "OrthogonalRegularizer"; }
  Config get_config() const override;  // {"factor", "mode"}
  double factor() const { return factor_; }
  const std::string& mode() const { return mode_; }

 private:
  double factor_;
  std::string mode_;
};

// keras.regularizers.get: "l1", "l2", "l1l2" (also "l1_l2"), "orthogonal_regularizer" or a class
// name, with default arguments. ValueError listing the known names otherwise.
std::shared_ptr<Regularizer> get(const std::string& identifier);
std::shared_ptr<Regularizer> deserialize(const Config& config);
// {"module": "keras.regularizers", "class_name", "config", "registered_name": null}.
Config serialize(const Regularizer& regularizer);

}  // namespace keras::regularizers
