// L1, L2, L1L2, OrthogonalRegularizer and keras.regularizers.get / serialize / deserialize
// (keras/src/regularizers/regularizers.py, __init__.py).
#include "keras/regularizers/regularizers.hpp"

#include <cmath>
#include <mutex>
#include <sstream>

#include "keras/ops/ops.hpp"
#include "keras/serialization/object_registry.hpp"
#include "serialization/config_args.hpp"

namespace keras::regularizers {

namespace {

// Keras's validate_float_arg: a finite, non-negative number.
double validate_float_arg(double value, const char* owner, const char* name) {
  if (!std::isfinite(value) || value < 0) {
    std::ostringstream s;
    s << owner << ": invalid value for argument " << name
      << ": expected a non-negative float. Received: " << name << "=" << value;
    throw ValueError(s.str());
  }
  return value;
}

// The value a Python float takes after ops.convert_to_tensor (float32) and float() again.
double as_float32(double v) { return static_cast<double>(static_cast<float>(v)); }

// A scalar factor applied in x's dtype (Keras: ops.cast(factor, x.dtype)).
Tensor factor_like(double factor, const Tensor& x) { return ops::cast(Tensor(factor), x.dtype()); }

}  // namespace

L1::L1(double l1) : l1_(as_float32(validate_float_arg(l1, "L1", "l1"))) {}

Tensor L1::operator()(const Tensor& x) const {
  return ops::multiply(factor_like(l1_, x), ops::sum(ops::absolute(x)));
}

Config L1::get_config() const { return Config{{"l1", l1_}}; }

L2::L2(double l2) : l2_(validate_float_arg(l2, "L2", "l2")) {}

Tensor L2::operator()(const Tensor& x) const {
  return ops::multiply(factor_like(l2_, x), ops::sum(ops::square(x)));
}

Config L2::get_config() const { return Config{{"l2", l2_}}; }

L1L2::L1L2(L1L2Options options)
    : l1_(validate_float_arg(options.l1, "L1L2", "l1")),
      l2_(validate_float_arg(options.l2, "L1L2", "l2")) {}

Tensor L1L2::operator()(const Tensor& x) const {
  Tensor regularization = ops::zeros({}, x.dtype());
  if (l1_ != 0.0)
    regularization =
        ops::add(regularization, ops::multiply(factor_like(l1_, x), ops::sum(ops::absolute(x))));
  if (l2_ != 0.0)
    regularization =
        ops::add(regularization, ops::multiply(factor_like(l2_, x), ops::sum(ops::square(x))));
  return regularization;
}

Config L1L2::get_config() const {
  Config c = Config::object();
  c["l1"] = l1_;
  c["l2"] = l2_;
  return c;
}

OrthogonalRegularizer::OrthogonalRegularizer(OrthogonalRegularizerOptions options)
    : factor_(as_float32(validate_float_arg(options.factor, "OrthogonalRegularizer", "factor"))),
      mode_(options.mode) {
  if (mode_ != "rows" && mode_ != "columns")
    throw ValueError(
        "OrthogonalRegularizer: invalid value for argument `mode`. Expected one of "
        "{\"rows\", \"columns\"}. Received: mode=" +
        mode_);
}

Tensor OrthogonalRegularizer::operator()(const Tensor& x) const {
  if (x.ndim() != 2)
    throw ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=" +
                     x.shape().to_string());
  Tensor product;
  int64_t size;
  if (mode_ == "rows") {
    Tensor n = ops::normalize(x, 1);
    product = ops::matmul(n, ops::transpose(n));
    size = x.shape()[0];
  } else {
    Tensor n = ops::normalize(x, 0);
    product = ops::matmul(ops::transpose(n), n);
    size = x.shape()[1];
  }
  Tensor off_diagonal = ops::multiply(
      product, ops::subtract(Tensor(1.0), ops::eye(size, std::nullopt, 0, product.dtype())));
  double num_pairs = static_cast<double>(size) * (static_cast<double>(size) - 1.0) / 2.0;
  return ops::divide(ops::multiply(Tensor(factor_ * 0.5), ops::sum(ops::absolute(off_diagonal))),
                     Tensor(num_pairs));
}

Config OrthogonalRegularizer::get_config() const {
  Config c = Config::object();
  c["factor"] = factor_;
  c["mode"] = mode_;
  return c;
}

// ---- registry ----

namespace {

using saving::ConfigArgs;
using Registry = saving::Registry<Regularizer>;

void register_builtins() {
  static std::once_flag once;
  std::call_once(once, [] {
    Registry& r = Registry::instance();
    r.add("L1",
          [](const Config& c) {
            ConfigArgs a(c, "L1");
            double l1 = a.number("l1", 0.01);
            a.finish();
            return std::make_shared<L1>(l1);
          },
          {"l1"});
    r.add("L2",
          [](const Config& c) {
            ConfigArgs a(c, "L2");
            double l2 = a.number("l2", 0.01);
            a.finish();
            return std::make_shared<L2>(l2);
          },
          {"l2"});
    // Keras's snake-case name of L1L2 is "l1l2"; "l1_l2" is its exported function name.
    r.add("L1L2",
          [](const Config& c) {
            ConfigArgs a(c, "L1L2");
            L1L2Options o{.l1 = a.number("l1", 0.0), .l2 = a.number("l2", 0.0)};
            a.finish();
            return std::make_shared<L1L2>(o);
          },
          {"l1l2", "l1_l2"});
    r.add("OrthogonalRegularizer",
          [](const Config& c) {
            ConfigArgs a(c, "OrthogonalRegularizer");
            OrthogonalRegularizerOptions o{.factor = a.number("factor", 0.01),
                                           .mode = a.string("mode", "rows")};
            a.finish();
            return std::make_shared<OrthogonalRegularizer>(o);
          },
          {"orthogonal_regularizer"});
  });
}

[[maybe_unused]] const bool registered = (register_builtins(), true);

}  // namespace

std::shared_ptr<Regularizer> get(const std::string& identifier) {
  register_builtins();
  return Registry::instance().create(identifier, Config::object(), Regularizer::kFamily);
}

std::shared_ptr<Regularizer> deserialize(const Config& config) {
  register_builtins();
  return Registry::instance().deserialize(config, Regularizer::kFamily);
}

Config serialize(const Regularizer& regularizer) {
  return saving::make_envelope("keras.regularizers", regularizer.class_name(),
                               regularizer.get_config());
}

}  // namespace keras::regularizers
