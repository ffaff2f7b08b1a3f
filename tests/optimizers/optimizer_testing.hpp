#pragma once
// Shared helpers for the optimizer tests: a small quadratic problem run both through an
// optimizer and through a reference update written in plain double arithmetic from Keras's
// formulas (keras/src/optimizers/*.py).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "keras/ops/ops.hpp"
#include "keras/optimizers/optimizers.hpp"
#include "testing/backends.hpp"

namespace keras::optimizer_testing {

using Vec = std::vector<double>;

inline Tensor tensor(const Vec& v, const Shape& shape) {
  std::vector<float> f(v.begin(), v.end());
  return ops::convert_to_tensor(f, shape);
}

inline Vec values(const Tensor& t) { return t.to_vector<double>(); }

struct Problem {
  std::vector<Shape> shapes = {{3}, {2, 2}};
  std::vector<Vec> init = {{1.0, -2.0, 0.5}, {0.3, -0.7, 1.5, 0.2}};
  // Gradient of a separable quadratic: g_i = a_i * w_i - b_i.
  static Vec grad(const Vec& w, size_t var) {
    Vec g(w.size());
    for (size_t i = 0; i < w.size(); ++i)
      g[i] = static_cast<double>(i % 3 + 1) * w[i] - 0.1 * static_cast<double>(i + 1 + var);
    return g;
  }
  std::vector<Variable> make_variables() const {
    std::vector<Variable> vars;
    for (size_t k = 0; k < shapes.size(); ++k) {
      Variable v(tensor(init[k], shapes[k]), {.name = k == 0 ? "bias" : "kernel"});
      v.set_path(k == 0 ? "dense/bias" : "dense/kernel");
      vars.push_back(v);
    }
    return vars;
  }
};

// Reference: begin_step(t) once per step (t = iterations before the step), then
// update(var, w, g, t) per variable.
struct Reference {
  std::function<void(int t)> begin_step = [](int) {};
  std::function<void(size_t var, Vec& w, const Vec& g, int t)> update;
};

inline void expect_near_vec(const Vec& actual, const Vec& expected, double rtol, double atol,
                            const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], atol + rtol * std::abs(expected[i]))
        << what << " element " << i;
}

// Runs `steps` steps of `optimizer` and of `ref` from the same start and compares the variables
// after every step.
inline void run_and_compare(optimizers::Optimizer& optimizer, Reference ref, int steps = 5,
                            double rtol = 2e-5, double atol = 2e-6,
                            const Problem& problem = Problem()) {
  std::vector<Variable> vars = problem.make_variables();
  std::vector<Vec> ref_w = problem.init;
  for (int t = 0; t < steps; ++t) {
    std::vector<Tensor> grads;
    for (size_t k = 0; k < vars.size(); ++k)
      grads.push_back(tensor(Problem::grad(values(vars[k].value()), k), problem.shapes[k]));
    optimizer.apply(grads, vars);
    ref.begin_step(t);
    for (size_t k = 0; k < vars.size(); ++k) ref.update(k, ref_w[k], Problem::grad(ref_w[k], k), t);
    for (size_t k = 0; k < vars.size(); ++k)
      expect_near_vec(
          values(vars[k].value()), ref_w[k], rtol, atol,
          optimizer.class_name() + " step " + std::to_string(t) + " var " + std::to_string(k));
  }
  EXPECT_EQ(optimizer.iterations().item<int64_t>(), steps);
}

// Per-variable state of the reference loops, keyed by variable index.
struct Slots {
  std::vector<Vec> a, b, c;
  Vec& at(std::vector<Vec>& s, size_t var, size_t n, double init = 0.0) {
    if (s.size() <= var) s.resize(var + 1);
    if (s[var].empty()) s[var].assign(n, init);
    return s[var];
  }
};

}  // namespace keras::optimizer_testing
