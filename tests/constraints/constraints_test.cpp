// keras::constraints on every backend: projections, configs and the registry.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/constraints/constraints.hpp"
#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"

namespace keras {
namespace {

using testing::expect_throws_with;

using namespace constraints;

class ConstraintsTest : public testing::BackendTest {};

void expect_near(const Tensor& t, const std::vector<double>& expected, double tol = 1e-5) {
  std::vector<double> v = t.to_vector<double>();
  ASSERT_EQ(v.size(), expected.size());
  for (size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(v[i], expected[i], tol) << "element " << i;
}

// Columns (3, 4) with norm 5 and (0, 1) with norm 1.
Tensor kernel() { return ops::convert_to_tensor<float>({3, 0, 4, 1}, Shape{2, 2}); }

TEST_P(ConstraintsTest, MaxNorm) {
  double eps = config::epsilon();
  Tensor w = MaxNorm()(kernel());  // max_value 2 over axis 0
  EXPECT_EQ(w.backend_name(), backend_name());
  expect_near(w, {3 * 2 / (5 + eps), 0, 4 * 2 / (5 + eps), 1 / (1 + eps)});
  // Over axis 1: rows (3, 0) norm 3 and (4, 1) norm sqrt(17).
  double r = std::sqrt(17.0);
  expect_near(MaxNorm({.max_value = 3, .axis = 1})(kernel()),
              {3 * 3 / (3 + eps), 0, 4 * 3 / (r + eps), 3 / (r + eps)});
  // All axes (none): the Frobenius norm sqrt(26).
  double f = std::sqrt(26.0);
  expect_near(MaxNorm({.max_value = 1, .axis = ops::Axis()})(kernel()),
              {3 / (f + eps), 0, 4 / (f + eps), 1 / (f + eps)});
  // Conv kernel, axis {0, 1, 2}: every filter gets norm <= max_value.
  Tensor conv = ops::multiply(ops::ones({3, 3, 2, 4}), Tensor(2.0));
  Tensor c = MaxNorm({.max_value = 1.5, .axis = {0, 1, 2}})(conv);
  auto norms = ops::sqrt(ops::sum(ops::square(c), {.axis = {0, 1, 2}})).to_vector<double>();
  for (double n : norms) EXPECT_NEAR(n, 1.5, 1e-5);
}

TEST_P(ConstraintsTest, MinMaxNormUnitNormNonNeg) {
  double eps = config::epsilon();
  // Norms 5 and 1 clipped into [2, 4]: 4 and 2.
  expect_near(MinMaxNorm({.min_value = 2, .max_value = 4})(kernel()),
              {3 * 4 / (5 + eps), 0, 4 * 4 / (5 + eps), 2 / (1 + eps)});
  // rate 0.5: halfway, 4.5 and 1.5.
  expect_near(MinMaxNorm({.min_value = 2, .max_value = 4, .rate = 0.5})(kernel()),
              {3 * 4.5 / (5 + eps), 0, 4 * 4.5 / (5 + eps), 1.5 / (1 + eps)});
  expect_near(UnitNorm()(kernel()), {3 / (5 + eps), 0, 4 / (5 + eps), 1 / (1 + eps)});
  expect_near(UnitNorm({.axis = 1})(kernel()),
              {1 / (1 + eps / 3), 0, 4 / (std::sqrt(17.0) + eps), 1 / (std::sqrt(17.0) + eps)});
  Tensor n = NonNeg()(ops::convert_to_tensor<float>({-1, 0, 2.5, -0.1}));
  EXPECT_EQ(n.dtype(), float32);
  expect_near(n, {0, 0, 2.5, 0});
  // Integer weights: the norms are float, so the result is float.
  EXPECT_TRUE(is_floating(UnitNorm()(ops::convert_to_tensor<int32_t>({3, 4})).dtype()));
}

TEST(ConstraintConfigs, MatchKeras) {
  EXPECT_EQ(serialize(MaxNorm()).dump(),
            R"({"module":"keras.constraints","class_name":"MaxNorm","config":)"
            R"({"max_value":2,"axis":0},"registered_name":null})");
  EXPECT_EQ(MaxNorm({.max_value = 2.5, .axis = {0, 1, 2}}).get_config().dump(),
            R"({"max_value":2.5,"axis":[0,1,2]})");
  EXPECT_EQ(MinMaxNorm().get_config().dump(),
            R"({"min_value":0.0,"max_value":1.0,"rate":1.0,"axis":0})");
  EXPECT_EQ(UnitNorm({.axis = ops::Axis()}).get_config().dump(), R"({"axis":null})");
  EXPECT_EQ(NonNeg().get_config().dump(), "{}");
}

TEST(ConstraintRegistry, AliasesAndRoundTrips) {
  for (const auto& [alias, cls] : std::vector<std::pair<std::string, std::string>>{
           {"max_norm", "MaxNorm"},
           {"min_max_norm", "MinMaxNorm"},
           {"non_neg", "NonNeg"},
           {"unit_norm", "UnitNorm"},
           {"MaxNorm", "MaxNorm"},
           {"NonNeg", "NonNeg"},
       }) {
    auto c = get(alias);
    EXPECT_EQ(c->class_name(), cls) << alias;
    Config env = serialize(*c);
    EXPECT_EQ(serialize(*deserialize(env)), env) << alias;
  }
  for (const Config& env :
       {serialize(MaxNorm({.max_value = 3, .axis = {0, 1, 2}})),
        serialize(MinMaxNorm({.min_value = 0.5, .max_value = 2.0, .rate = 0.25, .axis = 1})),
        serialize(UnitNorm({.axis = ops::Axis()})), serialize(UnitNorm({.axis = -1}))})
    EXPECT_EQ(serialize(*deserialize(env)), env) << env.dump();
  expect_throws_with([] { get("maxnorm"); }, "Unknown constraint 'maxnorm'. Known constraints:");
  expect_throws_with(
      [] { deserialize(Config::parse(R"({"class_name": "UnitNorm", "config": {"axes": 0}})")); },
      "UnitNorm.__init__() got an unexpected keyword argument 'axes'");
}

KERAS_INSTANTIATE_BACKEND_TEST(ConstraintsTest);

}  // namespace
}  // namespace keras
