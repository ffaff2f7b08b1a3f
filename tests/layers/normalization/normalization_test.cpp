// LayerNormalization, GroupNormalization, UnitNormalization.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/layers/layers.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class NormalizationTest : public BackendTest {};

// Normalizes consecutive groups of `n` values (mean 0, variance 1 with epsilon).
std::vector<double> normalized(const std::vector<double>& x, size_t n, double eps) {
  std::vector<double> out;
  for (size_t s = 0; s < x.size(); s += n) {
    double m = 0, v = 0;
    for (size_t i = 0; i < n; ++i) m += x[s + i];
    m /= static_cast<double>(n);
    for (size_t i = 0; i < n; ++i) v += (x[s + i] - m) * (x[s + i] - m);
    v /= static_cast<double>(n);
    for (size_t i = 0; i < n; ++i) out.push_back((x[s + i] - m) / std::sqrt(v + eps));
  }
  return out;
}

TEST_P(NormalizationTest, LayerNormalizationHarness) {
  run_layer_test({.make = [] { return Layer(layers::LayerNormalization()); },
                  .input_shape = {3, 4, 5},
                  .expected_output_shape = {3, 4, 5},
                  .expected_weights = {{"gamma", {5}}, {"beta", {5}}}});
  run_layer_test({.make =
                      [] {
                        return Layer(layers::LayerNormalization({.axis = {1, 2}}));
                      },
                  .input_shape = {3, 4, 5},
                  .expected_output_shape = {3, 4, 5},
                  .expected_weights = {{"gamma", {4, 5}}, {"beta", {4, 5}}}});
  run_layer_test({.make = [] { return Layer(layers::LayerNormalization({.rms_scaling = true})); },
                  .input_shape = {3, 6},
                  .expected_output_shape = {3, 6},
                  .expected_weights = {{"gamma", {6}}}});
}

TEST_P(NormalizationTest, LayerNormalizationValues) {
  std::vector<double> xv = {1, 2, 3, 4, -1, 0, 5, 2};
  Tensor x = tensor_of(xv, {2, 4});
  layers::LayerNormalization ln;
  expect_near_all(values_of(ln(x)), normalized(xv, 4, 1e-3), 1e-5);
  ln->set_weights({tensor_of({1, 2, 3, 4}, {4}), tensor_of({0, 1, 0, -1}, {4})});
  std::vector<double> n = normalized(xv, 4, 1e-3), want;
  const double g[4] = {1, 2, 3, 4}, b[4] = {0, 1, 0, -1};
  for (size_t i = 0; i < n.size(); ++i) want.push_back(n[i] * g[i % 4] + b[i % 4]);
  expect_near_all(values_of(ln(x)), want, 1e-5);
  // Over axes {1, 2} of (2, 2, 2): the same as over the flattened example.
  layers::LayerNormalization ln2({.axis = {-2, -1}, .epsilon = 0.1, .center = false});
  expect_near_all(values_of(ln2(tensor_of(xv, {2, 2, 2}))), normalized(xv, 4, 0.1), 1e-5);
  EXPECT_EQ(ln2->weights().size(), 1u);
  // rms_scaling: x / sqrt(var + eps), not centred.
  layers::LayerNormalization rms({.rms_scaling = true});
  std::vector<double> r = values_of(rms(tensor_of({1, 3}, {1, 2})));
  expect_near_all(r, {1 / std::sqrt(1.001), 3 / std::sqrt(1.001)}, 1e-5);
}

TEST_P(NormalizationTest, LayerNormalizationConfigAndErrors) {
  layers::LayerNormalization ln({.epsilon = 0.01, .center = false});
  Config c = ln->get_config();
  EXPECT_EQ(c["axis"], Config::array({-1}));
  EXPECT_EQ(c["rms_scaling"], false);
  std::vector<std::string> keys = config_keys(c);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "name", "trainable", "dtype", "axis", "epsilon", "center", "scale",
                      "rms_scaling", "beta_initializer", "gamma_initializer", "beta_regularizer",
                      "gamma_regularizer", "beta_constraint", "gamma_constraint"}));
  EXPECT_EQ(layers::deserialize(layers::serialize(*ln))->get_config(), c);
  layers::LayerNormalization bad({.axis = 2});
  KERAS_EXPECT_THROW_WITH(bad(ops::ones({2, 3})), ValueError, "out of bounds");
  layers::LayerNormalization dup({.axis = {1, -1}});
  KERAS_EXPECT_THROW_WITH(dup(ops::ones({2, 3})), ValueError, "uplicate axes");
  layers::LayerNormalization ok;
  ok(ops::ones({2, 3}));
  KERAS_EXPECT_THROW_WITH(ok(ops::ones({2, 4})), ValueError, "LayerNormalization");
}

TEST_P(NormalizationTest, GroupNormalization) {
  run_layer_test({.make = [] { return Layer(layers::GroupNormalization({.groups = 2})); },
                  .input_shape = {2, 3, 3, 4},
                  .expected_output_shape = {2, 3, 3, 4},
                  .expected_weights = {{"gamma", {4}}, {"beta", {4}}}});
  run_layer_test(
      {.make = [] { return Layer(layers::GroupNormalization({.groups = -1, .axis = 1})); },
       .input_shape = {2, 3, 5},
       .expected_output_shape = {2, 3, 5},
       .expected_weights = {{"gamma", {3}}, {"beta", {3}}}});
  // (1, 2, 4) with 2 groups on the last axis: channels {0,1} and {2,3} over both steps.
  std::vector<double> xv = {1, 2, 3, 4, 5, 6, 7, 9};
  layers::GroupNormalization gn({.groups = 2});
  std::vector<double> y = values_of(gn(tensor_of(xv, {1, 2, 4})));
  std::vector<double> g0 = normalized({1, 2, 5, 6}, 4, 1e-3),
                      g1 = normalized({3, 4, 7, 9}, 4, 1e-3);
  expect_near_all(y, {g0[0], g0[1], g1[0], g1[1], g0[2], g0[3], g1[2], g1[3]}, 1e-5);
  // Instance normalization writes the resolved number of groups, as Keras does.
  layers::GroupNormalization inst({.groups = -1});
  inst(ops::ones({1, 2, 6}));
  EXPECT_EQ(inst->get_config()["groups"], 6);
  KERAS_EXPECT_THROW_WITH(layers::GroupNormalization({.groups = 0}), ValueError, "groups");
  layers::GroupNormalization three({.groups = 3});
  KERAS_EXPECT_THROW_WITH(three(ops::ones({1, 2, 8})), ValueError, "multiple");
  layers::GroupNormalization many({.groups = 16});
  KERAS_EXPECT_THROW_WITH(many(ops::ones({1, 2, 8})), ValueError, "cannot be more than");
  EXPECT_EQ(layers::deserialize(layers::serialize(*gn))->get_config(), gn->get_config());
}

TEST_P(NormalizationTest, UnitNormalization) {
  run_layer_test({.make = [] { return Layer(layers::UnitNormalization()); },
                  .input_shape = {2, 3},
                  .expected_output_shape = {2, 3}});
  layers::UnitNormalization un;
  expect_near_all(values_of(un(tensor_of({3, 4, 0, 0}, {2, 2}))), {0.6, 0.8, 0, 0}, 1e-6);
  layers::UnitNormalization un2({.axis = {1, 2}});
  expect_near_all(values_of(un2(tensor_of({1, 1, 1, 1}, {1, 2, 2}))), {0.5, 0.5, 0.5, 0.5}, 1e-6);
  EXPECT_EQ(un->get_config()["axis"], -1);
  EXPECT_EQ(un2->get_config()["axis"], Config::array({1, 2}));
  layers::UnitNormalization bad({.axis = 3});
  KERAS_EXPECT_THROW_WITH(bad(ops::ones({2, 3})), ValueError, "out of bounds");
}

KERAS_INSTANTIATE_BACKEND_TEST(NormalizationTest);

}  // namespace
}  // namespace keras::testing
