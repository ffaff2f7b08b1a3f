#include <gtest/gtest.h>

#include <cmath>

#include "testing/gradient_check.hpp"
#include "testing/weight_gradient_check.hpp"

#include "keras/autodiff/gradient_tape.hpp"

namespace keras::testing {

Tensor test_values(const Shape& shape, double lo, double hi, uint64_t seed) {
  std::vector<double> v(static_cast<size_t>(shape.num_elements()));
  uint64_t s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (double& x : v) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    double u = static_cast<double>(s >> 11) / 9007199254740992.0;
    x = lo + (hi - lo) * u;
  }
  return ops::convert_to_tensor(v, shape);
}

namespace {

Tensor weighted_sum(const TensorFn& f, const std::vector<Tensor>& xs, const Tensor& w) {
  Tensor y = f(xs);
  if (y.dtype() != DType::Float64) y = ops::cast(y, DType::Float64);
  return ops::sum(ops::multiply(y, w));
}

}  // namespace

void expect_gradients_match(const TensorFn& f, const std::vector<Tensor>& inputs,
                            const std::string& what, GradCheckOptions options) {
  Tensor y0 = f(inputs);
  Tensor w = test_values(y0.shape(), 0.5, 1.5, 7);
  auto [value, grads] =
      value_and_grad([&](const std::vector<Tensor>& xs) { return weighted_sum(f, xs, w); })(inputs);
  ASSERT_EQ(grads.size(), inputs.size()) << what;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].dtype() != DType::Float64) continue;
    ASSERT_TRUE(grads[i].defined()) << what << ": no gradient for input " << i;
    ASSERT_EQ(grads[i].shape(), inputs[i].shape()) << what << ": gradient shape, input " << i;
    std::vector<double> analytic = grads[i].to_vector<double>();
    std::vector<double> base = inputs[i].to_vector<double>();
    for (size_t j = 0; j < base.size(); ++j) {
      auto eval = [&](double delta) {
        std::vector<double> v = base;
        v[j] += delta;
        std::vector<Tensor> xs = inputs;
        xs[i] = ops::convert_to_tensor(v, inputs[i].shape(),
                                       {.backend = std::string(inputs[i].backend_name())});
        return weighted_sum(f, xs, w).item<double>();
      };
      double numeric = (eval(options.eps) - eval(-options.eps)) / (2 * options.eps);
      double tol = options.atol + options.rtol * std::fabs(numeric);
      EXPECT_NEAR(analytic[j], numeric, tol) << what << ": d/d input " << i << " element " << j
                                             << " (backend " << inputs[i].backend_name() << ")";
    }
  }
}

void expect_second_gradients_match(const TensorFn& f, const std::vector<Tensor>& inputs,
                                   const std::string& what, GradCheckOptions options) {
  Tensor y0 = f(inputs);
  Tensor w = test_values(y0.shape(), 0.5, 1.5, 7);
  TensorFn first = [&, w](const std::vector<Tensor>& xs) {
    auto grads =
        keras::grad([&](const std::vector<Tensor>& p) { return weighted_sum(f, p, w); })(xs);
    std::vector<Tensor> flat;
    for (const Tensor& g : grads) flat.push_back(ops::reshape(g, {-1}));
    return ops::concatenate(flat, 0);
  };
  options.atol = std::max(options.atol, 1e-5);
  options.rtol = std::max(options.rtol, 1e-4);
  expect_gradients_match(first, inputs, what + " (second order)", options);
}

void expect_weight_gradients_match(std::vector<Variable> vars, const std::function<Tensor()>& loss,
                                   const std::string& what, GradCheckOptions options) {
  std::vector<Tensor> grads;
  {
    GradientTape tape;
    Tensor l = loss();
    grads = tape.gradient(l, vars);
  }
  ASSERT_EQ(grads.size(), vars.size()) << what;
  for (size_t i = 0; i < vars.size(); ++i) {
    ASSERT_EQ(grads[i].shape(), vars[i].shape()) << what;
    std::vector<double> analytic = ops::cast(grads[i], DType::Float64).to_vector<double>();
    std::vector<double> base = ops::cast(vars[i].value(), DType::Float64).to_vector<double>();
    for (size_t j = 0; j < base.size(); ++j) {
      auto eval = [&](double delta) {
        std::vector<double> v = base;
        v[j] += delta;
        vars[i].assign(ops::convert_to_tensor(v, vars[i].shape()));
        double out = loss().item<double>();
        vars[i].assign(ops::convert_to_tensor(base, vars[i].shape()));
        return out;
      };
      double numeric = (eval(options.eps) - eval(-options.eps)) / (2 * options.eps);
      EXPECT_NEAR(analytic[j], numeric, options.atol + options.rtol * std::fabs(numeric))
          << what << ": weight " << vars[i].name() << " element " << j;
    }
  }
}

}  // namespace keras::testing
